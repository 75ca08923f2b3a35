package dev.mainstay.reports.junit;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Replaces the control characters XML 1.0 forbids (U+0000–U+001F except tab, line feed and
 * carriage return), which test output written raw into a report often carries (ANSI colour
 * codes, NUL), with U+FFFD, so that the rest of the report can still be read. Works on the bytes
 * of UTF-8 and other ASCII-compatible encodings, where those characters are single bytes; a
 * UTF-16 report (it starts with a byte order mark) passes through untouched.
 */
final class Xml10Bytes extends FilterInputStream {

    private static final byte[] REPLACEMENT = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD};

    private boolean started;
    private boolean utf16;
    private int pending;
    private byte[] chunk = new byte[0];

    Xml10Bytes(InputStream in) {
        super(in.markSupported() ? in : new java.io.BufferedInputStream(in));
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
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
        int written = 0;
        while (pending > 0 && written < len) {
            b[off + written++] = REPLACEMENT[REPLACEMENT.length - pending--];
        }
        if (written == len) {
            return written;
        }
        // Read at most a third of the room, so that every byte can grow to three.
        int want = Math.max(1, (len - written) / 3);
        if (chunk.length < want) {
            chunk = new byte[want];
        }
        int n = in.read(chunk, 0, want);
        if (n < 0) {
            return written == 0 ? -1 : written;
        }
        for (int i = 0; i < n; i++) {
            int c = chunk[i] & 0xFF;
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                for (byte r : REPLACEMENT) {
                    if (written < len) {
                        b[off + written++] = r;
                    } else {
                        pending++;
                    }
                }
            } else {
                b[off + written++] = chunk[i];
            }
        }
        return written;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = 0;
        while (skipped < n && read() >= 0) {
            skipped++;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
