package dev.mainstay.platform.crypto;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import org.bouncycastle.crypto.CryptoServicesRegistrar;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;

/**
 * The JCA provider every cryptographic operation of Mainstay's field encryption runs on, and the
 * names it gives the algorithms.
 *
 * <p>{@link #standard()} is the JDK's SunJCE, whose AES-GCM uses AES-NI; BouncyCastle's
 * pure-Java AES is about twenty times slower and is never used for bulk work. {@link #fips()} is
 * BouncyCastle FIPS; it is only accepted when the JVM runs it in approved-only mode (system
 * property {@value #APPROVED_ONLY_PROPERTY}{@code =true}, set by the launcher before any
 * BouncyCastle class loads), so that no unapproved algorithm can be reached.
 *
 * @param provider      the provider, or null for the JDK's default choice (SunJCE for AES)
 * @param name          how logs and errors name it
 * @param keyWrap       the AES-KWP (RFC 5649) transformation's name at this provider
 * @param keystoreType  the keystore type for a KEK in a file: PKCS12 (JDK) or BCFKS (FIPS)
 * @param random        the random source for keys and nonces
 */
public record CryptoProviders(Provider provider, String name, String keyWrap, String keystoreType, SecureRandom random) {

    /** The BouncyCastle FIPS module's switch for approved-only mode, read once when it loads. */
    public static final String APPROVED_ONLY_PROPERTY = "org.bouncycastle.fips.approved_only";

    /** The JDK's providers: SunJCE with AES-NI, the default DRBG. */
    public static CryptoProviders standard() {
        return new CryptoProviders(null, "SunJCE", "AES/KWP/NoPadding", "PKCS12", new SecureRandom());
    }

    /**
     * BouncyCastle FIPS in approved-only mode.
     *
     * @throws IllegalStateException when the JVM did not start the module in approved-only mode
     */
    public static CryptoProviders fips() {
        Provider provider = new BouncyCastleFipsProvider();
        if (!CryptoServicesRegistrar.isInApprovedOnlyMode()) {
            throw new IllegalStateException("FIPS mode needs BouncyCastle FIPS in approved-only mode: start the JVM with -D"
                + APPROVED_ONLY_PROPERTY + "=true (./mainstay sets it when mainstay.crypto.fips=true)");
        }
        try {
            return new CryptoProviders(provider, provider.getName(), "AESKWP", "BCFKS",
                SecureRandom.getInstance("DEFAULT", provider));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("BouncyCastle FIPS offers no DEFAULT random source", e);
        }
    }

    /** {@link #fips()} when {@code fips} is true, else {@link #standard()}. */
    public static CryptoProviders of(boolean fips) {
        return fips ? fips() : standard();
    }

    Cipher cipher(String transformation) throws GeneralSecurityException {
        return provider == null ? Cipher.getInstance(transformation) : Cipher.getInstance(transformation, provider);
    }

    Mac mac(String algorithm) throws GeneralSecurityException {
        return provider == null ? Mac.getInstance(algorithm) : Mac.getInstance(algorithm, provider);
    }

    MessageDigest digest(String algorithm) throws GeneralSecurityException {
        return provider == null ? MessageDigest.getInstance(algorithm) : MessageDigest.getInstance(algorithm, provider);
    }

    /** A new random AES-256 key. */
    SecretKey newAesKey() {
        try {
            KeyGenerator generator = provider == null ? KeyGenerator.getInstance("AES") : KeyGenerator.getInstance("AES", provider);
            generator.init(256, random);
            return generator.generateKey();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(name + " cannot make an AES-256 key", e);
        }
    }
}
