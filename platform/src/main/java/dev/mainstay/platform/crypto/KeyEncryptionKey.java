package dev.mainstay.platform.crypto;

import java.security.GeneralSecurityException;
import java.security.Key;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key-encryption key: wraps and unwraps data keys with AES-KWP (RFC 5649). It comes from the
 * customer's key source ({@link KekSource}) and is never stored by Mainstay.
 *
 * @param id        names the KEK in each data key row: its source and a fingerprint
 * @param key       the AES-256 key
 * @param providers the provider that runs the wrapping
 */
public record KeyEncryptionKey(String id, Key key, CryptoProviders providers) {

    /**
     * A KEK from raw key bytes; its id is {@code <source>:<fingerprint>}, the fingerprint being the
     * first 8 bytes of SHA-256 over a label and the key (it identifies the key without revealing it).
     *
     * @throws IllegalArgumentException unless the key is 32 bytes
     */
    static KeyEncryptionKey fromBytes(String source, byte[] raw, CryptoProviders providers) {
        if (raw.length != 32) {
            throw new IllegalArgumentException("a key-encryption key is 32 bytes (AES-256), not " + raw.length);
        }
        try {
            var digest = providers.digest("SHA-256");
            digest.update("mainstay-kek-fingerprint".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String fingerprint = HexFormat.of().formatHex(digest.digest(raw), 0, 8);
            return new KeyEncryptionKey(source + ":" + fingerprint, new SecretKeySpec(raw, "AES"), providers);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(providers.name() + " cannot compute SHA-256", e);
        }
    }

    /** The data key, wrapped. */
    byte[] wrap(SecretKey dataKey) {
        try {
            Cipher cipher = providers.cipher(providers.keyWrap());
            cipher.init(Cipher.WRAP_MODE, key, providers.random());
            return cipher.wrap(dataKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot wrap a data key with KEK " + id + " (" + providers.name() + ")", e);
        }
    }

    /**
     * The data key inside {@code wrapped}.
     *
     * @throws GeneralSecurityException when this KEK did not wrap it, or the bytes were changed
     */
    SecretKey unwrap(byte[] wrapped) throws GeneralSecurityException {
        Cipher cipher = providers.cipher(providers.keyWrap());
        cipher.init(Cipher.UNWRAP_MODE, key);
        return (SecretKey) cipher.unwrap(wrapped, "AES", Cipher.SECRET_KEY);
    }
}
