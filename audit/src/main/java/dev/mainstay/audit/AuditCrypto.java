package dev.mainstay.audit;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.crypto.CryptoServicesRegistrar;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;

/**
 * The provider the trail's hashing and signing run on. {@link #standard()}: the JDK (SHA-256,
 * Ed25519 signatures). {@link #fipsMode()}: BouncyCastle FIPS in approved-only mode (SHA-256, ECDSA
 * P-256 signatures). Verification of either key type works in both.
 *
 * @param provider the provider, or null for the JDK's
 * @param ecdsa    whether new checkpoints are signed with ECDSA P-256 (FIPS) rather than Ed25519
 */
public record AuditCrypto(Provider provider, boolean ecdsa) {

    /** Ed25519, as JCA names it. */
    public static final String ED25519 = "Ed25519";
    /** ECDSA over P-256 with SHA-256, as JCA names it. */
    public static final String ECDSA_P256 = "SHA256withECDSA";

    public static AuditCrypto standard() {
        return new AuditCrypto(null, false);
    }

    /**
     * BouncyCastle FIPS; the JVM must run it in approved-only mode.
     *
     * @throws IllegalStateException otherwise
     */
    public static AuditCrypto fipsMode() {
        BouncyCastleFipsProvider provider = new BouncyCastleFipsProvider();
        if (!CryptoServicesRegistrar.isInApprovedOnlyMode()) {
            throw new IllegalStateException("FIPS mode needs BouncyCastle FIPS in approved-only mode "
                + "(-Dorg.bouncycastle.fips.approved_only=true)");
        }
        return new AuditCrypto(provider, true);
    }

    public static AuditCrypto of(boolean fips) {
        return fips ? fipsMode() : standard();
    }

    /** The signature algorithm new checkpoints are signed with. */
    public String signatureAlgorithm() {
        return ecdsa ? ECDSA_P256 : ED25519;
    }

    MessageDigest sha256() {
        try {
            return provider == null ? MessageDigest.getInstance("SHA-256") : MessageDigest.getInstance("SHA-256", provider);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    Signature signature(String algorithm) throws GeneralSecurityException {
        return provider == null ? Signature.getInstance(algorithm) : Signature.getInstance(algorithm, provider);
    }

    KeyFactory keyFactory(String algorithm) throws GeneralSecurityException {
        return provider == null ? KeyFactory.getInstance(algorithm) : KeyFactory.getInstance(algorithm, provider);
    }

    KeyPairGenerator keyPairGenerator() throws GeneralSecurityException {
        if (ecdsa) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC", provider);
            g.initialize(new ECGenParameterSpec("P-256"), random());
            return g;
        }
        return KeyPairGenerator.getInstance(ED25519);
    }

    SecureRandom random() throws GeneralSecurityException {
        return provider == null ? new SecureRandom() : SecureRandom.getInstance("DEFAULT", provider);
    }
}
