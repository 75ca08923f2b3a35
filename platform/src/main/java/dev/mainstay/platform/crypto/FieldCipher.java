package dev.mainstay.platform.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.UUID;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Encrypts and decrypts confidential fields: AES-256-GCM, a fresh 96-bit nonce per value, a 128-bit
 * tag, under the primary data key of the value's org and purpose.
 *
 * <p>Ciphertext format, version 1 (persisted; a new layout gets a new version byte, and this
 * class keeps reading the old ones):
 * <pre>
 * offset  size  field
 * 0       1     version = 0x01
 * 1       16    data key id (UUID, big-endian)
 * 17      12    GCM nonce
 * 29      n+16  AES-256-GCM ciphertext of the n plaintext bytes, then the tag
 * </pre>
 * The additional data is {@code FieldContext.aad}: the header above plus org, purpose, table,
 * column and row id, so a value only decrypts where it was written.
 */
public final class FieldCipher {

    static final byte VERSION_1 = 1;
    static final int HEADER = 1 + 16;
    static final int NONCE = 12;
    static final int TAG_BITS = 128;
    static final int OVERHEAD = HEADER + NONCE + TAG_BITS / 8;

    private final DataKeys keys;
    private final CryptoProviders providers;
    private final ThreadLocal<PerThread> perThread;

    /** A thread's cipher, and the buffer it assembles additional data in (no allocation per value). */
    private static final class PerThread {
        final Cipher cipher;
        byte[] aad = new byte[256];

        PerThread(Cipher cipher) {
            this.cipher = cipher;
        }

        void updateAad(FieldContext context, byte[] headerSource, int offset) {
            aad = context.aad(headerSource, offset, aad);
            cipher.updateAAD(aad, 0, context.aadLength());
        }
    }

    public FieldCipher(DataKeys keys) {
        this.keys = keys;
        this.providers = keys.providers();
        this.perThread = ThreadLocal.withInitial(() -> {
            try {
                return new PerThread(providers.cipher("AES/GCM/NoPadding"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(providers.name() + " offers no AES/GCM/NoPadding", e);
            }
        });
    }

    /** Encrypts {@code plaintext} for {@code context}. */
    public byte[] encrypt(FieldContext context, byte[] plaintext) {
        DataKeys.DataKey key = keys.primary(context.org(), context.purpose());
        byte[] header = key.header();
        try {
            PerThread thread = perThread.get();
            Cipher cipher = thread.cipher;
            // The provider makes the nonce from its own random source (FIPS modules require that).
            cipher.init(Cipher.ENCRYPT_MODE, key.key(), providers.random());
            byte[] nonce = cipher.getIV();
            if (nonce.length != NONCE) {
                throw new IllegalStateException(providers.name() + " made a " + nonce.length + "-byte GCM nonce, not " + NONCE);
            }
            thread.updateAad(context, header, 0);
            byte[] out = new byte[HEADER + NONCE + cipher.getOutputSize(plaintext.length)];
            System.arraycopy(header, 0, out, 0, HEADER);
            System.arraycopy(nonce, 0, out, HEADER, NONCE);
            cipher.doFinal(plaintext, 0, plaintext.length, out, HEADER + NONCE);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt " + context + " with " + providers.name(), e);
        }
    }

    /** Encrypts a string (UTF-8). */
    public byte[] encryptString(FieldContext context, String plaintext) {
        return encrypt(context, plaintext.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Decrypts a value written by {@link #encrypt} for the same {@code context}.
     *
     * @throws FieldCipherException saying why it cannot: malformed, unknown or destroyed key, wrong KEK, or not authentic
     */
    public byte[] decrypt(FieldContext context, byte[] ciphertext) {
        UUID keyId = keyIdOf(ciphertext);
        DataKeys.DataKey key = keys.byId(keyId);
        try {
            PerThread thread = perThread.get();
            Cipher cipher = thread.cipher;
            cipher.init(Cipher.DECRYPT_MODE, key.key(), new GCMParameterSpec(TAG_BITS, ciphertext, HEADER, NONCE));
            thread.updateAad(context, ciphertext, 0);
            return cipher.doFinal(ciphertext, HEADER + NONCE, ciphertext.length - HEADER - NONCE);
        } catch (AEADBadTagException e) {
            throw new FieldCipherException(FieldCipherException.Reason.NOT_AUTHENTIC, "the value in " + context
                + " was changed or belongs to another row, column, table or org");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot decrypt " + context + " with " + providers.name(), e);
        }
    }

    /** Decrypts a string written by {@link #encryptString}. */
    public String decryptString(FieldContext context, byte[] ciphertext) {
        return new String(decrypt(context, ciphertext), StandardCharsets.UTF_8);
    }

    /**
     * The value encrypted again under the current primary key of its org and purpose, or the same
     * bytes when it already is: the step the re-encryption job repeats until a retired key has
     * nothing left under it.
     */
    public byte[] reencrypt(FieldContext context, byte[] ciphertext) {
        if (keyIdOf(ciphertext).equals(keys.primary(context.org(), context.purpose()).id())) {
            return ciphertext;
        }
        byte[] plaintext = decrypt(context, ciphertext);
        try {
            return encrypt(context, plaintext);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /**
     * A keyed blind index of {@code normalizedValue} for equality lookups: HMAC-SHA256 under a data
     * key of the org kept for this column, truncated to 16 bytes. Equal values give equal indexes;
     * nothing else can be learned from it without the key. The caller normalises (e.g. lower-cases
     * an e-mail address) before.
     */
    public byte[] blindIndex(String org, String table, String column, String normalizedValue) {
        DataKeys.DataKey key = keys.primary(org, "blind-index:" + table + "." + column);
        try {
            Mac mac = providers.mac("HmacSHA256");
            mac.init(key.key());
            return Arrays.copyOf(mac.doFinal(normalizedValue.getBytes(StandardCharsets.UTF_8)), 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot compute a blind index with " + providers.name(), e);
        }
    }

    /**
     * The id of the data key a ciphertext was written under.
     *
     * @throws FieldCipherException with {@code MALFORMED} when it is not a ciphertext of a known version
     */
    public static UUID keyIdOf(byte[] ciphertext) {
        if (ciphertext == null || ciphertext.length < OVERHEAD) {
            throw new FieldCipherException(FieldCipherException.Reason.MALFORMED, "not a Mainstay ciphertext: "
                + (ciphertext == null ? "null" : ciphertext.length + " bytes, at least " + OVERHEAD + " expected"));
        }
        if (ciphertext[0] != VERSION_1) {
            throw new FieldCipherException(FieldCipherException.Reason.MALFORMED, "unknown ciphertext version " + ciphertext[0]);
        }
        return new UUID(longAt(ciphertext, 1), longAt(ciphertext, 9));
    }

    private static long longAt(byte[] bytes, int offset) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (bytes[offset + i] & 0xFF);
        }
        return value;
    }

    /** The ciphertext header of values written under the data key {@code keyId}. */
    static byte[] header(UUID keyId) {
        return ByteBuffer.allocate(HEADER).put(VERSION_1).putLong(keyId.getMostSignificantBits())
            .putLong(keyId.getLeastSignificantBits()).array();
    }
}
