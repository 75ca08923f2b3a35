package dev.mainstay.platform.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.SecretKey;

/**
 * The key-encryption key (KEK): wraps data keys for storage and unwraps them for use. It comes
 * from the customer's key source ({@link KekSource}) and is never stored by Mainstay.
 *
 * <p>Two kinds, each unwrapping only what it wrapped: {@link InMemoryKek}, a key this JVM holds
 * (from a key file or a keystore), wrapping with AES-KWP (RFC 5649) on the mode's provider; and
 * {@link Pkcs11Kek}, a key that never leaves an HSM, wrapping with AES-GCM inside the HSM. The
 * {@link #id()} stored beside each wrapped data key says which KEK wrapped it.
 */
public abstract sealed class KeyEncryptionKey permits InMemoryKek, Pkcs11Kek {

    private final String id;

    KeyEncryptionKey(String id) {
        this.id = id;
    }

    /**
     * A KEK from raw key bytes; its id is {@code <source>:<fingerprint>}.
     *
     * @throws IllegalArgumentException unless the key is 32 bytes
     */
    static KeyEncryptionKey fromBytes(String source, byte[] raw, CryptoProviders providers) {
        return InMemoryKek.fromBytes(source, raw, providers);
    }

    /**
     * The first 8 bytes, in hex, of SHA-256 over a label and {@code material}: the key itself for a
     * KEK held in memory, the key's check value for one in an HSM. Tells keys apart without
     * revealing them.
     */
    static String fingerprint(byte[] material, CryptoProviders providers) {
        try {
            MessageDigest digest = providers.digest("SHA-256");
            digest.update("mainstay-kek-fingerprint".getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(digest.digest(material), 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(providers.name() + " cannot compute SHA-256", e);
        }
    }

    /**
     * Names the KEK in each data key row: its source, and a fingerprint that tells one key from
     * another without revealing either. Stable across restarts.
     */
    public String id() {
        return id;
    }

    /** The data key, wrapped. */
    abstract byte[] wrap(SecretKey dataKey);

    /**
     * The data key inside {@code wrapped}.
     *
     * @throws GeneralSecurityException when this KEK did not wrap it, or the bytes were changed
     */
    abstract SecretKey unwrap(byte[] wrapped) throws GeneralSecurityException;

    @Override
    public String toString() {
        return id;
    }
}
