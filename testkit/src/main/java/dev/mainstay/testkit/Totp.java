package dev.mainstay.testkit;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * RFC 6238 time-based one-time passwords as an authenticator app computes them (HmacSHA1, 30-second
 * steps), from the base32 secret Keycloak shows at enrollment or seeds in the test realm.
 */
public final class Totp {

    /** The step length the {@code mainstay} realm's OTP policy uses. */
    public static final int PERIOD_SECONDS = 30;
    /** The code length the {@code mainstay} realm's OTP policy uses. */
    public static final int DIGITS = 6;

    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private Totp() {
    }

    /** The 6-digit code for {@code base32Secret} at {@code at}. */
    public static String code(String base32Secret, Instant at) {
        return code(decodeBase32(base32Secret), timeStep(at), DIGITS);
    }

    /** The number of the 30-second step {@code at} falls in. */
    public static long timeStep(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), PERIOD_SECONDS);
    }

    /** The instant the given step begins. */
    public static Instant stepStart(long step) {
        return Instant.ofEpochSecond(step * PERIOD_SECONDS);
    }

    /**
     * The HOTP value (RFC 4226) of {@code key} for counter {@code step}, {@code digits} long with leading zeros.
     *
     * @throws IllegalArgumentException if digits is not between 6 and 9
     */
    public static String code(byte[] key, long step, int digits) {
        if (digits < 6 || digits > 9) {
            throw new IllegalArgumentException("digits must be between 6 and 9: " + digits);
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            byte[] hash = mac.doFinal(ByteBuffer.allocate(Long.BYTES).putLong(step).array());
            int offset = hash[hash.length - 1] & 0x0f;
            int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
                | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
            int modulus = (int) Math.pow(10, digits);
            return String.format(Locale.ROOT, "%0" + digits + "d", binary % modulus);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is not available in this JDK", e);
        }
    }

    /**
     * Decodes RFC 4648 base32, ignoring case, spaces (Keycloak shows the secret in groups of four)
     * and padding.
     *
     * @throws IllegalArgumentException on a character outside the base32 alphabet
     */
    public static byte[] decodeBase32(String text) {
        String clean = text.replace(" ", "").replace("=", "").toUpperCase(Locale.ROOT);
        ByteBuffer out = ByteBuffer.allocate(clean.length() * 5 / 8);
        int buffer = 0;
        int bits = 0;
        for (char c : clean.toCharArray()) {
            int value = BASE32.indexOf(c);
            if (value < 0) {
                throw new IllegalArgumentException("not a base32 character: '" + c + "' in " + text);
            }
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8) {
                out.put((byte) (buffer >> (bits - 8)));
                bits -= 8;
            }
        }
        return out.array();
    }

    /** Encodes {@code bytes} as unpadded RFC 4648 base32. */
    public static String encodeBase32(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(BASE32.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(BASE32.charAt((buffer << (5 - bits)) & 31));
        }
        return out.toString();
    }
}
