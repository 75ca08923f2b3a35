package dev.mainstay.cli.upload;

import dev.mainstay.reports.bundle.BundleWriter;
import dev.mainstay.reports.bundle.UploadMetadata;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * An upload bundle written to a file, streamed from the reports on disk (never held in memory),
 * with the SHA-256 of its bytes: the idempotency key. {@link BundleWriter} writes the same bytes
 * for the same metadata and files, so a retried CI step sends the same key.
 *
 * @param file    where it is
 * @param size    its size in bytes
 * @param sha256  lower-case hex SHA-256 of its bytes
 * @param entries what it holds after {@code mainstay.json}, in order
 */
record BundleFile(Path file, long size, String sha256, List<Entry> entries) {

    /**
     * A file in the bundle.
     *
     * @param name its name in the archive
     * @param path where it is read from
     */
    record Entry(String name, Path path) {
    }

    /** Writes {@code metadata} and then each entry, in order, to {@code target}. */
    static BundleFile write(Path target, UploadMetadata metadata, List<Entry> entries) throws IOException {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        try (OutputStream file = Files.newOutputStream(target);
             BundleWriter bundle = new BundleWriter(new BufferedOutputStream(new DigestOutputStream(file, sha256), 64 << 10), metadata)) {
            for (Entry entry : entries) {
                try (InputStream in = Files.newInputStream(entry.path())) {
                    bundle.add(entry.name(), Files.size(entry.path()), in);
                }
            }
        }
        return new BundleFile(target, Files.size(target), HexFormat.of().formatHex(sha256.digest()), List.copyOf(entries));
    }
}
