package dev.mainstay.platform.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * A KEK whose bytes this JVM holds, read from a key file or a keystore: wraps with AES-KWP
 * (RFC 5649) on the mode's provider (SunJCE, or BouncyCastle FIPS in FIPS mode).
 */
final class InMemoryKek extends KeyEncryptionKey {

    private final SecretKey key;
    private final CryptoProviders providers;

    private InMemoryKek(String id, SecretKey key, CryptoProviders providers) {
        super(id);
        this.key = key;
        this.providers = providers;
    }

    /**
     * A KEK from raw key bytes; its id is {@code <source>:<fingerprint>}, the fingerprint being the
     * first 8 bytes of SHA-256 over a label and the key (it identifies the key without revealing it).
     *
     * @throws IllegalArgumentException unless the key is 32 bytes
     */
    static InMemoryKek fromBytes(String source, byte[] raw, CryptoProviders providers) {
        if (raw.length != 32) {
            throw new IllegalArgumentException("a key-encryption key is 32 bytes (AES-256), not " + raw.length);
        }
        return new InMemoryKek(source + ":" + fingerprint(raw, providers), new SecretKeySpec(raw, "AES"), providers);
    }

    @Override
    byte[] wrap(SecretKey dataKey) {
        try {
            Cipher cipher = providers.cipher(providers.keyWrap());
            cipher.init(Cipher.WRAP_MODE, key, providers.random());
            return cipher.wrap(dataKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot wrap a data key with KEK " + id() + " (" + providers.name() + ")", e);
        }
    }

    @Override
    SecretKey unwrap(byte[] wrapped) throws GeneralSecurityException {
        Cipher cipher = providers.cipher(providers.keyWrap());
        cipher.init(Cipher.UNWRAP_MODE, key);
        return (SecretKey) cipher.unwrap(wrapped, "AES", Cipher.SECRET_KEY);
    }
}
