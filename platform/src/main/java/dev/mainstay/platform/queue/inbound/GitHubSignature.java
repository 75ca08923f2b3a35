package dev.mainstay.platform.queue.inbound;

import dev.mainstay.platform.crypto.CryptoProviders;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * GitHub's {@code X-Hub-Signature-256}: {@code sha256=} and the hex HMAC-SHA256 of the body, keyed
 * with the webhook secret's UTF-8 bytes. Compared in constant time; computed on the appliance's
 * providers (BouncyCastle FIPS in FIPS mode).
 */
public final class GitHubSignature {

    private static final Pattern HEADER = Pattern.compile("sha256=[0-9a-f]{64}");

    private final CryptoProviders providers;

    public GitHubSignature(CryptoProviders providers) {
        this.providers = providers;
    }

    /** True when {@code header} signs {@code body} under {@code secret}. */
    boolean matches(String secret, byte[] body, String header) {
        if (header == null || !HEADER.matcher(header).matches()) {
            return false;
        }
        return MessageDigest.isEqual(hmac(secret, body), HexFormat.of().parseHex(header.substring("sha256=".length())));
    }

    private byte[] hmac(String secret, byte[] body) {
        try {
            Mac mac = providers.provider() == null ? Mac.getInstance("HmacSHA256") : Mac.getInstance("HmacSHA256", providers.provider());
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available at " + providers.name() + ": " + e.getMessage(), e);
        }
    }
}
