package dev.mainstay.testkit.github;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

/**
 * The GitHub App registered on the simulator: its id and its RSA key pair. GitHub gives an App's
 * owner the private key as a PKCS#1 PEM ({@code BEGIN RSA PRIVATE KEY}); operators often convert
 * it to PKCS#8 ({@code BEGIN PRIVATE KEY}): both are offered so that tests can use either.
 */
public final class SimulatedApp {

    private final long id;
    private final long installationId;
    private final KeyPair keys;

    SimulatedApp(long id, long installationId) {
        this.id = id;
        this.installationId = installationId;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            this.keys = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make an RSA key pair", e);
        }
    }

    /** The App's id, the {@code iss} of its JWTs. */
    public long id() {
        return id;
    }

    /** The id of the App's one installation, on every simulated repository. */
    public long installationId() {
        return installationId;
    }

    /** The private key as GitHub hands it out: PKCS#1 PEM. */
    public String privateKeyPkcs1Pem() {
        try {
            byte[] pkcs1 = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded()).parsePrivateKey()
                .toASN1Primitive().getEncoded();
            return pem("RSA PRIVATE KEY", pkcs1);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the App's key as PKCS#1", e);
        }
    }

    /** The private key as PKCS#8 PEM. */
    public String privateKeyPkcs8Pem() {
        return pem("PRIVATE KEY", keys.getPrivate().getEncoded());
    }

    /** A private key of another App: JWTs signed with it are forgeries. */
    public static String foreignPrivateKeyPkcs8Pem() {
        return new SimulatedApp(0, 0).privateKeyPkcs8Pem();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /**
     * Checks an App JWT as GitHub does: RS256 signed with this App's key, issued by this App, not
     * expired, and valid for at most ten minutes.
     *
     * @return why it is refused, or null when it is accepted
     */
    String refusal(String jwt, Instant now) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            return "A JSON web token could not be decoded";
        }
        try {
            Base64.Decoder url = Base64.getUrlDecoder();
            JsonNode header = Payloads.JSON.readTree(url.decode(parts[0]));
            if (!"RS256".equals(header.path("alg").asText())) {
                return "'alg' must be RS256";
            }
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(keys.getPublic());
            verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!verifier.verify(url.decode(parts[2]))) {
                return "A JSON web token could not be decoded";
            }
            JsonNode claims = Payloads.JSON.readTree(url.decode(parts[1]));
            long iat = claims.path("iat").asLong();
            long exp = claims.path("exp").asLong();
            if (!String.valueOf(id).equals(claims.path("iss").asText())) {
                return "'Issuer' claim ('iss') must be the App's id";
            }
            if (exp <= now.getEpochSecond()) {
                return "'Expiration time' claim ('exp') is too far in the past";
            }
            if (iat > now.getEpochSecond() + 60 || exp - iat > 600) {
                return "'Expiration time' claim ('exp') is too far in the future";
            }
            return null;
        } catch (IOException | IllegalArgumentException | GeneralSecurityException e) {
            return "A JSON web token could not be decoded";
        }
    }
}
