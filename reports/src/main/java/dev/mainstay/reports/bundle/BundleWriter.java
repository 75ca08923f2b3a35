package dev.mainstay.reports.bundle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/**
 * Writes an upload bundle: {@code mainstay.json} first, then each file added, as a POSIX tar
 * (pax headers for names longer than ustar holds) compressed with gzip. The output depends only
 * on the metadata and the files, never on times, owners or modes, so the same files make the same
 * bytes and a bundle's hash can serve as its idempotency key.
 */
public final class BundleWriter implements AutoCloseable {

    private static final int BLOCK = 512;

    private final GZIPOutputStream out;
    private long files;

    /** Starts a bundle on {@code out} with {@code metadata} as its first file. */
    public BundleWriter(OutputStream out, UploadMetadata metadata) throws IOException {
        this.out = new GZIPOutputStream(out, 64 << 10);
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        metadata.write(json);
        add(UploadMetadata.ENTRY, json.toByteArray());
    }

    /** Adds a file with {@code content}. */
    public void add(String name, byte[] content) throws IOException {
        header(name, content.length);
        out.write(content);
        pad(content.length);
    }

    /**
     * Adds a file of {@code size} bytes read from {@code content}.
     *
     * @throws IOException when {@code content} holds fewer or more bytes than {@code size}
     */
    public void add(String name, long size, InputStream content) throws IOException {
        header(name, size);
        byte[] buffer = new byte[64 << 10];
        long left = size;
        while (left > 0) {
            int n = content.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IOException(name + " changed while it was added: it ended " + left + " bytes early");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
        if (content.read() >= 0) {
            throw new IOException(name + " changed while it was added: it grew past " + size + " bytes");
        }
        pad(size);
    }

    /** Files added, the metadata included. */
    public long files() {
        return files;
    }

    /** Ends the archive and the gzip stream, and closes the output. */
    @Override
    public void close() throws IOException {
        out.write(new byte[2 * BLOCK]);
        out.close();
    }

    private void header(String name, long size) throws IOException {
        if (name.isEmpty() || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("invalid file name in a bundle: '" + name + "'");
        }
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        boolean longName = nameBytes.length > 100;
        boolean largeSize = size > 077777777777L;
        if (longName || largeSize) {
            StringBuilder pax = new StringBuilder();
            if (longName) {
                pax.append(paxRecord("path", name));
            }
            if (largeSize) {
                pax.append(paxRecord("size", Long.toString(size)));
            }
            byte[] data = pax.toString().getBytes(StandardCharsets.UTF_8);
            out.write(block("PaxHeader/" + Long.toString(files), data.length, 'x'));
            out.write(data);
            pad(data.length);
        }
        out.write(block(longName ? name.substring(0, Math.min(name.length(), 50)) : name, largeSize ? 0 : size, '0'));
        files++;
    }

    private static String paxRecord(String key, String value) {
        String body = " " + key + "=" + value + "\n";
        int bodyLength = body.getBytes(StandardCharsets.UTF_8).length;
        int length = bodyLength + Integer.toString(bodyLength).length();
        if (Integer.toString(length).length() != Integer.toString(bodyLength).length()) {
            length++;
        }
        return length + body;
    }

    private static byte[] block(String name, long size, char type) {
        byte[] block = new byte[BLOCK];
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(nameBytes, 0, block, 0, Math.min(nameBytes.length, 100));
        octal(block, 100, 8, 0644);
        octal(block, 108, 8, 0);
        octal(block, 116, 8, 0);
        octal(block, 124, 12, size);
        octal(block, 136, 12, 0);
        block[156] = (byte) type;
        System.arraycopy("ustar\u000000".getBytes(StandardCharsets.US_ASCII), 0, block, 257, 8);
        for (int i = 148; i < 156; i++) {
            block[i] = ' ';
        }
        long sum = 0;
        for (byte b : block) {
            sum += b & 0xff;
        }
        octal(block, 148, 7, sum);
        return block;
    }

    /** {@code value} in octal, zero-padded to {@code length - 1} digits and a NUL. */
    private static void octal(byte[] block, int offset, int length, long value) {
        String digits = Long.toOctalString(value);
        String padded = "0".repeat(length - 1 - digits.length()) + digits;
        System.arraycopy(padded.getBytes(StandardCharsets.US_ASCII), 0, block, offset, length - 1);
        block[offset + length - 1] = 0;
    }

    private void pad(long size) throws IOException {
        int padding = (int) ((BLOCK - size % BLOCK) % BLOCK);
        if (padding > 0) {
            out.write(new byte[padding]);
        }
    }
}
