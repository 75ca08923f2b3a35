package dev.mainstay.platform.identity;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.zip.CRC32;

/**
 * The shape of an API token: {@code msy_}, 32 base62 characters of randomness (190 bits), and
 * 6 base62 characters of CRC-32 over them. The prefix makes a leaked token recognisable to
 * secret scanners ({@code msy_[0-9A-Za-z]{38}}); the checksum lets Mainstay and scanners tell a
 * real token from a random string without a database lookup.
 */
public final class TokenFormat {

    /** Every token starts with this. */
    public static final String PREFIX = "msy_";
    static final int RANDOM_CHARS = 32;
    static final int CHECKSUM_CHARS = 6;
    /** Length of a whole token. */
    public static final int LENGTH = PREFIX.length() + RANDOM_CHARS + CHECKSUM_CHARS;

    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();

    private TokenFormat() {
    }

    /** A new token. */
    static String generate() {
        StringBuilder body = new StringBuilder(RANDOM_CHARS);
        for (int i = 0; i < RANDOM_CHARS; i++) {
            body.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return PREFIX + body + checksum(body.toString());
    }

    /** Whether {@code text} has a token's shape and a correct checksum. */
    public static boolean isWellFormed(String text) {
        if (text == null || text.length() != LENGTH || !text.startsWith(PREFIX)) {
            return false;
        }
        for (int i = PREFIX.length(); i < LENGTH; i++) {
            if (ALPHABET.indexOf(text.charAt(i)) < 0) {
                return false;
            }
        }
        String body = text.substring(PREFIX.length(), PREFIX.length() + RANDOM_CHARS);
        return checksum(body).equals(text.substring(PREFIX.length() + RANDOM_CHARS));
    }

    /** The part shown in lists, enough to tell tokens apart: {@code msy_AbC1}. */
    static String displayPrefix(String token) {
        return token.substring(0, PREFIX.length() + 4);
    }

    private static String checksum(String body) {
        CRC32 crc = new CRC32();
        crc.update(body.getBytes(StandardCharsets.US_ASCII));
        long value = crc.getValue();
        char[] out = new char[CHECKSUM_CHARS];
        for (int i = CHECKSUM_CHARS - 1; i >= 0; i--) {
            out[i] = ALPHABET.charAt((int) (value % ALPHABET.length()));
            value /= ALPHABET.length();
        }
        return new String(out);
    }
}
