package dev.mainstay.platform.ingest;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.UUID;
import org.postgresql.copy.CopyIn;

/**
 * Rows in PostgreSQL's binary COPY format, written to a {@link CopyIn} in chunks: no text
 * escaping, and bytea, uuid and timestamps go as their bytes. Texts lose any NUL character (which
 * PostgreSQL's text cannot hold) to U+FFFD.
 */
final class BinaryCopy {

    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, 0};
    private static final LocalDate EPOCH = LocalDate.of(2000, 1, 1);
    private static final long EPOCH_MICROS = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse("2000-01-01T00:00:00Z"));
    private static final int FLUSH_AT = 1 << 20;

    private final CopyIn copy;
    private byte[] buffer = new byte[FLUSH_AT + (64 << 10)];
    private int length;
    private long rows;

    BinaryCopy(CopyIn copy) {
        this.copy = copy;
        put(HEADER, 0, HEADER.length);
    }

    /** Starts a row of {@code fields} values; flushes what the buffer holds when it is full. */
    BinaryCopy row(int fields) throws SQLException {
        if (length >= FLUSH_AT) {
            flush();
        }
        short16(fields);
        rows++;
        return this;
    }

    BinaryCopy text(String value) {
        return value == null ? nul() : bytes(utf8(value));
    }

    /** What {@link #text} writes for {@code value}, for a value of many rows: encoded once, written with {@link #bytes}. */
    static byte[] utf8(String value) {
        String clean = value.indexOf('\0') >= 0 ? value.replace('\0', '\uFFFD') : value;
        return clean.getBytes(StandardCharsets.UTF_8);
    }

    BinaryCopy bytes(byte[] value) {
        if (value == null) {
            return nul();
        }
        int32(value.length);
        put(value, 0, value.length);
        return this;
    }

    BinaryCopy int4(int value) {
        int32(4);
        int32(value);
        return this;
    }

    BinaryCopy int8(long value) {
        int32(8);
        int64(value);
        return this;
    }

    BinaryCopy uuid(UUID value) {
        int32(16);
        int64(value.getMostSignificantBits());
        int64(value.getLeastSignificantBits());
        return this;
    }

    BinaryCopy date(LocalDate value) {
        int32(4);
        int32((int) ChronoUnit.DAYS.between(EPOCH, value));
        return this;
    }

    BinaryCopy timestamp(Instant value) {
        if (value == null) {
            return nul();
        }
        int32(8);
        int64(ChronoUnit.MICROS.between(Instant.EPOCH, value) - EPOCH_MICROS);
        return this;
    }

    BinaryCopy nul() {
        int32(-1);
        return this;
    }

    /** Ends the copy; returns the rows PostgreSQL took. */
    long finish() throws SQLException {
        short16(-1);
        flush();
        long copied = copy.endCopy();
        if (copied != rows) {
            throw new SQLException("COPY took " + copied + " rows of " + rows);
        }
        return copied;
    }

    /** Abandons the copy, when the upload fails; the transaction is rolled back after. */
    void cancel() {
        if (copy.isActive()) {
            try {
                copy.cancelCopy();
            } catch (SQLException e) {
                // The transaction is being rolled back anyway; the cancel only frees the connection sooner.
            }
        }
    }

    private void flush() throws SQLException {
        if (length > 0) {
            copy.writeToCopy(buffer, 0, length);
            length = 0;
        }
    }

    private void short16(int v) {
        ensure(2);
        buffer[length++] = (byte) (v >>> 8);
        buffer[length++] = (byte) v;
    }

    private void int32(int v) {
        ensure(4);
        buffer[length++] = (byte) (v >>> 24);
        buffer[length++] = (byte) (v >>> 16);
        buffer[length++] = (byte) (v >>> 8);
        buffer[length++] = (byte) v;
    }

    private void int64(long v) {
        int32((int) (v >>> 32));
        int32((int) v);
    }

    private void put(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buffer, length, len);
        length += len;
    }

    private void ensure(int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }
}
