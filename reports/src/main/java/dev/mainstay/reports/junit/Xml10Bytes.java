package dev.mainstay.reports.junit;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Replaces the control characters XML 1.0 forbids (U+0000–U+001F except tab, line feed and
 * carriage return), which test output written raw into a report often carries (ANSI colour
 * codes, NUL), with U+FFFD, so that the rest of the report can still be read. Works on the bytes
 * of UTF-8 and other ASCII-compatible encodings, where those characters are single bytes; a
 * UTF-16 report (it starts with a byte order mark) passes through untouched.
 *
 * <p>Bytes are read straight into the caller's buffer and scanned; only a read that holds a
 * forbidden byte is rewritten, and since each such byte grows to three, what no longer fits is
 * kept and handed out first on the next read.
 */
final class Xml10Bytes extends FilterInputStream {

    private static final byte[] REPLACEMENT = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD};
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101_0101_0101_0101L;
    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;

    private boolean started;
    private boolean utf16;
    /** Replaced bytes that did not fit the last read: {@code carried[carriedFrom..carriedTo)}. */
    private byte[] carried = new byte[0];
    private int carriedFrom;
    private int carriedTo;
    private final byte[] one = new byte[1];

    Xml10Bytes(InputStream in) {
        super(in.markSupported() ? in : new java.io.BufferedInputStream(in));
    }

    @Override
    public int read() throws IOException {
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!started) {
            started = true;
            in.mark(2);
            int first = in.read();
            int second = in.read();
            in.reset();
            utf16 = (first == 0xFE && second == 0xFF) || (first == 0xFF && second == 0xFE);
        }
        if (utf16) {
            return in.read(b, off, len);
        }
        if (carriedFrom < carriedTo) {
            int n = Math.min(len, carriedTo - carriedFrom);
            System.arraycopy(carried, carriedFrom, b, off, n);
            carriedFrom += n;
            return n;
        }
        int n = in.read(b, off, len);
        int forbidden = n > 0 ? firstForbidden(b, off, off + n) : -1;
        return forbidden < 0 ? n : replace(b, off, forbidden, off + n, off + len);
    }

    /** Where the first byte XML 1.0 forbids is in {@code b[from..to)}, or -1. */
    static int firstForbidden(byte[] b, int from, int to) {
        int i = from;
        // Eight bytes at a time: reports are mostly text with no forbidden byte at all, and most
        // words hold no byte below a space (tab, line feed, carriage return) to be told apart.
        while (i + Long.BYTES <= to) {
            long word = (long) LONGS.get(b, i);
            if (belowSpace(word) != 0 && anyForbidden(word)) {
                break;
            }
            i += Long.BYTES;
        }
        for (; i < to; i++) {
            if (forbidden(b[i])) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Whether one of the eight bytes in {@code word} is forbidden, tested on all at once: a byte's
     * top bit is set in each mask where the byte passes the test. Each byte's low seven bits are
     * added to or compared apart from the top bit, so no carry crosses into the next byte.
     */
    static boolean anyForbidden(long word) {
        long low = word & ~HIGH_BITS;
        long notTab = ((low ^ '\t' * ONES) + 0x7F * ONES) & HIGH_BITS;
        long notLineFeed = ((low ^ '\n' * ONES) + 0x7F * ONES) & HIGH_BITS;
        long notReturn = ((low ^ '\r' * ONES) + 0x7F * ONES) & HIGH_BITS;
        return (belowSpace(word) & notTab & notLineFeed & notReturn) != 0;
    }

    /** The top bit of each byte of {@code word} below 0x20 (a byte of 0x80 or more is not). */
    private static long belowSpace(long word) {
        return ~((word & ~HIGH_BITS) + 0x60 * ONES) & ~word & HIGH_BITS;
    }

    private static boolean forbidden(byte c) {
        // A byte of 0x80 or more is negative: part of a multi-byte character, never forbidden.
        return c >= 0 && c < 0x20 && c != '\t' && c != '\n' && c != '\r';
    }

    /**
     * Rewrites {@code b[at..end)}, which starts with a forbidden byte, with each forbidden byte
     * replaced, into {@code b[at..limit)}, carrying what does not fit; returns the bytes now in
     * {@code b} from {@code off}.
     */
    private int replace(byte[] b, int off, int at, int end, int limit) {
        byte[] rest = Arrays.copyOfRange(b, at, end);
        carriedFrom = 0;
        carriedTo = 0;
        int out = at;
        for (byte c : rest) {
            if (forbidden(c)) {
                for (byte r : REPLACEMENT) {
                    out = put(b, out, limit, r);
                }
            } else {
                out = put(b, out, limit, c);
            }
        }
        return out - off;
    }

    private int put(byte[] b, int out, int limit, byte value) {
        if (out < limit) {
            b[out] = value;
            return out + 1;
        }
        if (carriedTo == carried.length) {
            carried = Arrays.copyOf(carried, Math.max(64, carried.length * 2));
        }
        carried[carriedTo++] = value;
        return out;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] skipped = new byte[(int) Math.max(0, Math.min(n, 8192))];
        long left = n;
        while (left > 0) {
            int read = read(skipped, 0, (int) Math.min(skipped.length, left));
            if (read < 0) {
                break;
            }
            left -= read;
        }
        return n - left;
    }

    @Override
    public int available() throws IOException {
        return carriedTo - carriedFrom + in.available();
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
