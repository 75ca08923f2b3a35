package dev.mainstay.reports.bundle;

import dev.mainstay.reports.ReferencedFiles;
import dev.mainstay.reports.ReportException;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads an upload bundle in one pass: {@link #metadata()} first, then each report with
 * {@link #nextReport()}, whose content must be read (or left) before asking for the next. Files
 * under {@code referenced/} are kept in memory, within {@link BundleLimits#maxReferencedBytes()},
 * and answered by {@link #referencedFiles()}.
 *
 * <p>Reads POSIX ustar, pax (long names, large sizes) and GNU tar (long names); regular files
 * and directories only. A failure of the underlying stream (a damaged or truncated archive, the
 * client going away) is kept and answered by {@link #failure()}, because parsers reading an
 * entry's content may report it as their own.
 */
public final class BundleReader implements AutoCloseable {

    /** Where referenced files live in a bundle. */
    public static final String REFERENCED = "referenced/";

    /**
     * A report file in the bundle.
     *
     * @param name    its path in the archive, e.g. {@code target/surefire-reports/TEST-a.xml}
     * @param size    its size in bytes
     * @param content its bytes; valid until the next call to {@link #nextReport()}
     */
    public record Entry(String name, long size, InputStream content) {
    }

    private static final int BLOCK = 512;

    private final BundleLimits limits;
    private final Source source;
    private final Map<String, byte[]> referenced = new HashMap<>();
    private long referencedBytes;
    private int files;
    private long remaining;
    private long padding;
    private boolean metadataRead;
    private boolean ended;

    /**
     * @throws BundleException when {@code gzipped} does not start as gzip data
     */
    public BundleReader(InputStream gzipped, BundleLimits limits) throws BundleException, IOException {
        this.limits = limits;
        GZIPInputStream gzip;
        try {
            gzip = new GZIPInputStream(gzipped, 64 << 10);
        } catch (ZipException | EOFException e) {
            throw new BundleException(BundleException.Kind.MALFORMED,
                "the body is not gzip-compressed; send a .tar.gz (e.g. tar czf bundle.tgz mainstay.json reports/)", e);
        }
        this.source = new Source(gzip);
    }

    /**
     * Reads the first entry, which must be {@code mainstay.json}.
     *
     * @throws BundleException when the first file is another one, or the archive is damaged
     * @throws ReportException when the metadata is invalid; the message names the field
     */
    public UploadMetadata metadata() throws BundleException, ReportException, IOException {
        if (metadataRead) {
            throw new IllegalStateException("the metadata was read already");
        }
        metadataRead = true;
        Optional<Header> first = nextFileOrFailure();
        if (first.isEmpty()) {
            throw new BundleException(BundleException.Kind.INVALID, "the bundle is empty; its first file must be " + UploadMetadata.ENTRY);
        }
        if (!first.get().name().equals(UploadMetadata.ENTRY)) {
            throw new BundleException(BundleException.Kind.INVALID, "the bundle's first file must be " + UploadMetadata.ENTRY
                + ", not " + first.get().name() + " (put it first: tar czf bundle.tgz " + UploadMetadata.ENTRY + " reports/)");
        }
        try {
            return UploadMetadata.read(content());
        } catch (IOException e) {
            throw failure().orElseThrow(() -> e);
        }
    }

    /**
     * The next report file, skipping directories and collecting referenced files; empty at the end.
     *
     * @throws BundleException when the archive is damaged, holds a link or device, or passes a limit
     */
    public Optional<Entry> nextReport() throws BundleException, IOException {
        if (!metadataRead) {
            throw new IllegalStateException("read the metadata first");
        }
        while (true) {
            Optional<Header> next = nextFileOrFailure();
            if (next.isEmpty()) {
                return Optional.empty();
            }
            Header header = next.get();
            if (!header.name().startsWith(REFERENCED)) {
                return Optional.of(new Entry(header.name(), header.size(), content()));
            }
            referencedBytes += header.size();
            if (referencedBytes > limits.maxReferencedBytes()) {
                throw fail(new BundleException(BundleException.Kind.TOO_LARGE, "the files under " + REFERENCED
                    + " come to more than the limit of " + limits.maxReferencedBytes() + " bytes"));
            }
            try {
                referenced.put(header.name(), content().readAllBytes());
            } catch (IOException e) {
                throw failure().orElseThrow(() -> e);
            }
        }
    }

    /**
     * The files under {@code referenced/} read so far: {@code file:///a/b/test.xml} is the entry
     * {@code referenced/a/b/test.xml}. Other URIs are never available.
     */
    public ReferencedFiles referencedFiles() {
        return uri -> referencedName(uri).map(referenced::get).map(ByteArrayInputStream::new);
    }

    /** The name under which the file at {@code uri} travels in a bundle, or empty for a URI that is not a file. */
    public static Optional<String> referencedName(URI uri) {
        if (!"file".equalsIgnoreCase(uri.getScheme()) || uri.getPath() == null) {
            return Optional.empty();
        }
        return Optional.of(REFERENCED + stripLeadingSlashes(uri.getPath()));
    }

    /** The failure of the archive itself, when reading it failed; parsers may have reported it as theirs. */
    public Optional<BundleException> failure() {
        return Optional.ofNullable(source.failure);
    }

    /** Bytes of the expanded archive read so far. */
    public long bytesRead() {
        return source.count;
    }

    /** Files (not directories) met so far, the metadata included. */
    public int files() {
        return files;
    }

    @Override
    public void close() throws IOException {
        source.in.close();
    }

    private InputStream content() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (remaining == 0) {
                    return -1;
                }
                int n = source.read(b, off, (int) Math.min(len, remaining));
                if (n < 0) {
                    BundleException truncated = fail(malformed("the bundle ends in the middle of a file; it is truncated"));
                    throw new IOException(truncated.getMessage(), truncated);
                }
                remaining -= n;
                return n;
            }
        };
    }

    private record Header(String name, long size) {
    }

    /** The next file's header; a failure of the archive is answered as itself, not as the I/O error it caused. */
    private Optional<Header> nextFileOrFailure() throws BundleException, IOException {
        try {
            return nextFile();
        } catch (IOException e) {
            throw failure().orElseThrow(() -> e);
        }
    }

    private Optional<Header> nextFile() throws BundleException, IOException {
        skipRest();
        String longName = null;
        Long paxSize = null;
        while (!ended) {
            byte[] block = new byte[BLOCK];
            if (!readBlock(block)) {
                ended = true;
                return Optional.empty();
            }
            if (isZero(block)) {
                ended = true;
                return Optional.empty();
            }
            checkChecksum(block);
            char type = (char) block[156];
            long size;
            try {
                size = paxSize != null ? paxSize : number(block, 124, 12, "size");
            } catch (BundleException e) {
                throw fail(e);
            }
            String name = longName != null ? longName : headerName(block);
            longName = null;
            paxSize = null;
            switch (type) {
                case 'x' -> {
                    Map<String, String> pax = pax(readSmall(size, "pax header"));
                    if (pax.containsKey("path")) {
                        longName = pax.get("path");
                    }
                    if (pax.containsKey("size")) {
                        try {
                            paxSize = Long.parseLong(pax.get("size"));
                        } catch (NumberFormatException e) {
                            throw fail(malformed("a pax header has a size that is not a number"));
                        }
                    }
                }
                case 'g' -> readSmall(size, "pax global header");
                case 'L' -> longName = trimNul(new String(readSmall(size, "GNU long name"), StandardCharsets.UTF_8));
                case 'K' -> readSmall(size, "GNU long link name");
                case '5' -> skip(size + padding(size));
                case '0', '\0', '7' -> {
                    return Optional.of(file(normalise(name), size));
                }
                case '1', '2' -> throw fail(new BundleException(BundleException.Kind.INVALID, normalise(name)
                    + " is a link; a bundle holds regular files only (tar's --dereference copies what links point to)"));
                default -> throw fail(new BundleException(BundleException.Kind.INVALID, normalise(name)
                    + " is not a regular file (tar entry type '" + type + "'); a bundle holds regular files only"));
            }
        }
        return Optional.empty();
    }

    private Header file(String name, long size) throws BundleException {
        if (size < 0) {
            throw fail(malformed(name + " has a negative size"));
        }
        files++;
        if (files > limits.maxFiles()) {
            throw fail(new BundleException(BundleException.Kind.TOO_LARGE, "the bundle holds more than the limit of "
                + limits.maxFiles() + " files"));
        }
        if (size > limits.maxFileBytes()) {
            throw fail(new BundleException(BundleException.Kind.TOO_LARGE, name + " is " + size + " bytes, more than the limit of "
                + limits.maxFileBytes() + " bytes per file"));
        }
        if (source.count + size > limits.maxBytes()) {
            throw fail(new BundleException(BundleException.Kind.TOO_LARGE, "the bundle expands to more than the limit of "
                + limits.maxBytes() + " bytes (at " + name + ", " + size + " bytes)"));
        }
        remaining = size;
        padding = padding(size);
        return new Header(name, size);
    }

    private void skipRest() throws BundleException, IOException {
        skip(remaining + padding);
        remaining = 0;
        padding = 0;
    }

    private static long padding(long size) {
        return (BLOCK - size % BLOCK) % BLOCK;
    }

    /** Skips exactly {@code n} bytes of the archive. */
    private void skip(long n) throws BundleException, IOException {
        long left = n;
        byte[] buffer = new byte[8192];
        while (left > 0) {
            int r = source.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (r < 0) {
                throw fail(malformed("the bundle ends in the middle of a file; it is truncated"));
            }
            left -= r;
        }
    }

    private byte[] readSmall(long size, String what) throws BundleException, IOException {
        if (size < 0 || size > 64 << 10) {
            throw fail(malformed("a " + what + " of " + size + " bytes is beyond the limit of 65536"));
        }
        byte[] data = new byte[(int) size];
        int off = 0;
        while (off < data.length) {
            int r = source.read(data, off, data.length - off);
            if (r < 0) {
                throw fail(malformed("the bundle ends in the middle of a " + what));
            }
            off += r;
        }
        skip(padding(size));
        return data;
    }

    private boolean readBlock(byte[] block) throws BundleException, IOException {
        int off = 0;
        while (off < BLOCK) {
            int r = source.read(block, off, BLOCK - off);
            if (r < 0) {
                if (off == 0) {
                    return false;
                }
                throw fail(malformed("the bundle ends in the middle of a tar header; it is truncated"));
            }
            off += r;
        }
        return true;
    }

    private void checkChecksum(byte[] block) throws BundleException {
        BundleException mismatch = malformed("not a tar archive: a header's checksum does not match (after " + files + " files)");
        long stored;
        try {
            stored = number(block, 148, 8, "checksum");
        } catch (BundleException notANumber) {
            throw fail(mismatch);
        }
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            byte b = i >= 148 && i < 156 ? (byte) ' ' : block[i];
            unsigned += b & 0xff;
            signed += b;
        }
        if (stored != unsigned && stored != signed) {
            throw fail(mismatch);
        }
    }

    /** A numeric header field; the caller records a failure. */
    private static long number(byte[] block, int offset, int length, String field) throws BundleException {
        if ((block[offset] & 0x80) != 0) {
            // GNU base-256: big-endian two's complement in the remaining bytes.
            long value = block[offset] & 0x7f;
            for (int i = offset + 1; i < offset + length; i++) {
                if (value > (Long.MAX_VALUE >> 8)) {
                    throw malformed("a tar header's " + field + " is too large");
                }
                value = (value << 8) | (block[i] & 0xff);
            }
            return value;
        }
        long value = 0;
        boolean digits = false;
        for (int i = offset; i < offset + length; i++) {
            byte b = block[i];
            if (b == 0 || (b == ' ' && digits)) {
                break;
            }
            if (b == ' ' && !digits) {
                continue;
            }
            if (b < '0' || b > '7' || value > (Long.MAX_VALUE >> 3)) {
                throw malformed("not a tar archive: a header's " + field + " is not an octal number");
            }
            value = (value << 3) | (b - '0');
            digits = true;
        }
        return value;
    }

    private static String headerName(byte[] block) {
        String name = field(block, 0, 100);
        boolean ustar = block[257] == 'u' && block[258] == 's' && block[259] == 't' && block[260] == 'a' && block[261] == 'r';
        boolean gnu = ustar && block[262] == ' ';
        if (ustar && !gnu) {
            String prefix = field(block, 345, 155);
            if (!prefix.isEmpty()) {
                return prefix + "/" + name;
            }
        }
        return name;
    }

    private static String field(byte[] block, int offset, int length) {
        int end = offset;
        while (end < offset + length && block[end] != 0) {
            end++;
        }
        return new String(block, offset, end - offset, StandardCharsets.UTF_8);
    }

    private Map<String, String> pax(byte[] data) throws BundleException {
        Map<String, String> records = new HashMap<>();
        int pos = 0;
        while (pos < data.length) {
            int space = pos;
            while (space < data.length && data[space] != ' ') {
                space++;
            }
            int length;
            try {
                length = Integer.parseInt(new String(data, pos, space - pos, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw fail(malformed("a pax header record has no length"));
            }
            if (length <= space - pos + 1 || pos + length > data.length || data[pos + length - 1] != '\n') {
                throw fail(malformed("a pax header record is damaged"));
            }
            String record = new String(data, space + 1, pos + length - space - 2, StandardCharsets.UTF_8);
            int eq = record.indexOf('=');
            if (eq > 0) {
                records.put(record.substring(0, eq), record.substring(eq + 1));
            }
            pos += length;
        }
        return records;
    }

    private static String trimNul(String s) {
        int nul = s.indexOf('\0');
        return nul < 0 ? s : s.substring(0, nul);
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private String normalise(String name) throws BundleException {
        String n = name;
        while (n.startsWith("./")) {
            n = n.substring(2);
        }
        n = stripLeadingSlashes(n);
        if (n.isEmpty() || n.length() > 4096 || n.indexOf('\0') >= 0) {
            throw fail(malformed("a file in the bundle has an empty or invalid name"));
        }
        return n;
    }

    private static String stripLeadingSlashes(String s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) == '/') {
            i++;
        }
        return s.substring(i);
    }

    private static BundleException malformed(String message) {
        return new BundleException(BundleException.Kind.MALFORMED, message);
    }

    private BundleException fail(BundleException e) {
        if (source.failure == null) {
            source.failure = e;
        }
        return source.failure;
    }

    /** The expanded archive: counts its bytes and keeps the first failure of the compressed stream. */
    private final class Source {
        private final InputStream in;
        private long count;
        private BundleException failure;

        Source(InputStream in) {
            this.in = in;
        }

        int read(byte[] b, int off, int len) throws IOException {
            if (failure != null) {
                throw new IOException(failure.getMessage(), failure);
            }
            int n;
            try {
                n = in.read(b, off, len);
            } catch (ZipException e) {
                throw new IOException(fail(new BundleException(BundleException.Kind.MALFORMED,
                    "the bundle's gzip data is damaged: " + e.getMessage(), e)).getMessage(), e);
            } catch (EOFException e) {
                throw new IOException(fail(new BundleException(BundleException.Kind.MALFORMED,
                    "the bundle's gzip data ends early; it is truncated", e)).getMessage(), e);
            } catch (IOException e) {
                fail(new BundleException(BundleException.Kind.MALFORMED, "the upload stopped: " + e.getMessage(), e));
                throw e;
            }
            if (n > 0) {
                count += n;
                if (count > limits.maxBytes()) {
                    throw new IOException(fail(new BundleException(BundleException.Kind.TOO_LARGE,
                        "the bundle expands to more than the limit of " + limits.maxBytes() + " bytes")).getMessage());
                }
            }
            return n;
        }
    }
}
