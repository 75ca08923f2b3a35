package dev.mainstay.platform.flaky.webhooks;

import dev.mainstay.platform.crypto.CryptoProviders;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook secrets and the {@code X-Mainstay-Signature} header: {@code sha256=} and the hex
 * HMAC-SHA256, keyed with the webhook's secret (its UTF-8 bytes, prefix included), over
 * {@code <timestamp>.<body>}, where the timestamp is the {@code X-Mainstay-Timestamp} header (Unix
 * seconds). Binding the time lets a receiver refuse a replayed request; binding the body, a changed
 * one. Runs on the appliance's providers: BouncyCastle FIPS in FIPS mode.
 */
final class WebhookSignature {

    /** Prefix of generated secrets, so that secret scanners can tell them. */
    static final String SECRET_PREFIX = "mswh_";

    private final CryptoProviders providers;

    WebhookSignature(CryptoProviders providers) {
        this.providers = providers;
    }

    /** A new secret: {@value #SECRET_PREFIX} and 256 random bits, base64url. */
    String newSecret() {
        byte[] raw = new byte[32];
        providers.random().nextBytes(raw);
        return SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    /** The header value for {@code body} sent at {@code timestamp} with {@code secret}. */
    String sign(String secret, long timestamp, String body) {
        try {
            Mac mac = providers.provider() == null ? Mac.getInstance("HmacSHA256") : Mac.getInstance("HmacSHA256", providers.provider());
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available at " + providers.name() + ": " + e.getMessage(), e);
        }
    }
}
