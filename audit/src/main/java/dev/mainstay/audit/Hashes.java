package dev.mainstay.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/** The chain's hash: SHA-256 over a label, the previous row's hash and the row's canonical bytes. */
public final class Hashes {

    /** The hash before the first row: 32 zero bytes. */
    public static final byte[] GENESIS = new byte[32];

    private static final byte[] LABEL = "mainstay-audit-v1\n".getBytes(StandardCharsets.US_ASCII);

    private Hashes() {
    }

    /** The hash of a row whose predecessor's hash is {@code prev}. */
    public static byte[] chain(AuditCrypto crypto, byte[] prev, byte[] canonical) {
        MessageDigest digest = crypto.sha256();
        digest.update(LABEL);
        digest.update(prev);
        digest.update(canonical);
        return digest.digest();
    }

    /** SHA-256 of {@code bytes}. */
    public static byte[] sha256(AuditCrypto crypto, byte[] bytes) {
        return crypto.sha256().digest(bytes);
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    static byte[] unhex(String hex) {
        try {
            return HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not hexadecimal: '" + (hex.length() > 80 ? hex.substring(0, 80) + "…" : hex) + "'");
        }
    }

    static void checkLength(byte[] hash, String what) throws GeneralSecurityException {
        if (hash.length != 32) {
            throw new GeneralSecurityException(what + " is " + hash.length + " bytes, not 32");
        }
    }
}
