package dev.mainstay.reports;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Fails with {@link TooLarge} once more than {@code max} bytes were read. */
public final class LimitedInputStream extends FilterInputStream {

    /** The stream went past its limit. */
    public static final class TooLarge extends IOException {
        private final long max;

        TooLarge(long max) {
            super("larger than " + max + " bytes");
            this.max = max;
        }

        /** The limit that was passed. */
        public long max() {
            return max;
        }

        /** The rejection of {@code report} for passing the limit. */
        public ReportException rejection(String report) {
            return new ReportException(report, java.util.OptionalLong.empty(), "larger than the limit of " + max + " bytes");
        }
    }

    private final long max;
    private long read;

    public LimitedInputStream(InputStream in, long max) {
        super(in);
        this.max = max;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        count(skipped);
        return skipped;
    }

    private void count(long n) throws TooLarge {
        read += n;
        if (read > max) {
            throw new TooLarge(max);
        }
    }

    /** Bytes read so far. */
    public long bytesRead() {
        return read;
    }
}
