package dev.mainstay.platform.queue.forge.github;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * The GitHub App's JSON web tokens: RS256, issued {@value #BACKDATE_SECONDS} s in the past (GitHub's
 * advice against clock drift) and valid {@link #LIFETIME} in all, the most GitHub accepts. They
 * are used only to obtain installation tokens.
 */
final class AppJwt {

    static final int BACKDATE_SECONDS = 60;
    static final Duration LIFETIME = Duration.ofMinutes(10);

    private final long appId;
    private final PrivateKey key;
    private final Clock clock;

    AppJwt(long appId, PrivateKey key, Clock clock) {
        if (appId <= 0) {
            throw new IllegalArgumentException("a GitHub App id is positive: " + appId);
        }
        this.appId = appId;
        this.key = key;
        this.clock = clock;
    }

    /**
     * Reads an RSA private key from PEM, as GitHub hands it out (PKCS#1, {@code BEGIN RSA PRIVATE KEY})
     * or converted to PKCS#8 ({@code BEGIN PRIVATE KEY}).
     *
     * @throws IllegalArgumentException naming the file when it holds neither; the key itself is never in the message
     */
    static PrivateKey readPrivateKey(Path pem) {
        try (Reader reader = Files.newBufferedReader(pem, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(reader)) {
            Object object = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (object instanceof PEMKeyPair pair) {
                return converter.getPrivateKey(pair.getPrivateKeyInfo());
            }
            if (object instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            throw new IllegalArgumentException(GitHubSettings.PRIVATE_KEY + ": " + pem
                + " holds no unencrypted RSA private key (expected BEGIN RSA PRIVATE KEY or BEGIN PRIVATE KEY)");
        } catch (IOException e) {
            throw new IllegalArgumentException(GitHubSettings.PRIVATE_KEY + ": " + pem + " cannot be read as PEM: "
                + e.getClass().getSimpleName(), e);
        }
    }

    /** A new JWT for the App. */
    String next() {
        long iat = clock.instant().getEpochSecond() - BACKDATE_SECONDS;
        long exp = iat + LIFETIME.toSeconds();
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String header = url.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.US_ASCII));
        String claims = url.encodeToString(("{\"iat\":" + iat + ",\"exp\":" + exp + ",\"iss\":\"" + appId + "\"}")
            .getBytes(StandardCharsets.US_ASCII));
        try {
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(key);
            signer.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
            return header + "." + claims + "." + url.encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the GitHub App's JWT with RS256", e);
        }
    }
}
