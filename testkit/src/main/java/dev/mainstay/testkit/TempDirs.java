package dev.mainstay.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Temporary directories for appliance data. Unlike JUnit's {@code @TempDir} (mode 0700) they are
 * searchable by other users, because an embedded PostgreSQL started by root runs unprivileged
 * and must reach its data directory inside.
 */
public final class TempDirs {

    private TempDirs() {
    }

    /** Creates a new directory under the system temporary directory. */
    public static Path create(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a temporary directory", e);
        }
    }
}
