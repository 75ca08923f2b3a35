package dev.mainstay.devservices;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * Unpacks the pinned PostgreSQL binaries where zonky's {@code EmbeddedPostgres} will find them
 * ({@code <workdir>/PG-<md5 of the archive>/} with a {@code .exists} marker), so that Mainstay
 * controls how they are started.
 *
 * <p>Why: PostgreSQL refuses to run as root ({@code initdb: cannot be run as root}), and CI
 * machines and containers often run builds as root. zonky starts the binaries under
 * {@code unshare -U} (a user namespace where the process is not root) when the kernel allows
 * it; where it does not (many container runtimes forbid user namespaces), Mainstay's own
 * fallback applies: the two entry points zonky executes, {@code initdb} and {@code pg_ctl},
 * are small scripts that, when they find themselves running as uid 0, drop to an unprivileged
 * user with {@code setpriv} before running the real binary; everything those start
 * ({@code postgres}) then runs unprivileged too. For any other user they run the binary as is.
 *
 * <p>Unpacking is guarded by a file lock and finished by an atomic rename, so concurrent JVMs
 * (parallel test forks, a dev server beside a test run) never see a half-written tree.
 */
final class PostgresBinaries {

    /** The uid and gid PostgreSQL runs as when Mainstay is started as root (the overflow "nobody" id). */
    static final int UNPRIVILEGED_ID = 65534;

    private static final String MARKER = ".exists";

    private PostgresBinaries() {
    }

    /**
     * Returns the directory holding the binaries for this machine ({@code bin/}, {@code lib/}, ...),
     * unpacked (and wrapped, when running as root) if they were not yet. Its parent is the working
     * directory to hand to zonky's {@code setOverrideWorkingDirectory}.
     *
     * @throws IllegalStateException if no binaries exist for this operating system and CPU
     */
    static Path prepare() {
        byte[] archive = readArchive();
        Path workdir = Path.of(System.getProperty("java.io.tmpdir"), "mainstay-embedded-pg");
        Path pgDir = workdir.resolve("PG-" + md5(archive));
        if (Files.exists(pgDir.resolve(MARKER))) {
            return pgDir;
        }
        try {
            Files.createDirectories(workdir);
            Path lockFile = workdir.resolve(pgDir.getFileName() + ".lock");
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                if (!Files.exists(pgDir.resolve(MARKER))) {
                    unpack(archive, workdir, pgDir);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not unpack the PostgreSQL binaries under " + workdir, e);
        }
        return pgDir;
    }

    /**
     * True when PostgreSQL will run under Mainstay's {@code setpriv} fallback: this JVM is root
     * and zonky cannot use a user namespace. Its data directory must then belong to
     * {@link #UNPRIVILEGED_ID}.
     */
    static boolean dropsPrivilegesWithSetpriv() {
        return runningAsRoot() && !LinuxUtils.isUnshareAvailable();
    }

    /**
     * The command line that runs {@code binary} the way zonky runs it: inside a user namespace
     * ({@code unshare -U}) when root and the kernel allows it, so that it meets the data directory
     * with the same owner as the server that made it.
     */
    static List<String> command(Path binary, String... args) {
        List<String> command = new ArrayList<>();
        if (runningAsRoot() && LinuxUtils.isUnshareAvailable()) {
            command.addAll(List.of("unshare", "-U"));
        }
        command.add(binary.toString());
        command.addAll(List.of(args));
        return command;
    }

    /** True when this JVM runs as uid 0, where PostgreSQL must be started as another user. */
    static boolean runningAsRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // No /proc (macOS) or no unix view: fall back to the user name.
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static void unpack(byte[] archive, Path workdir, Path pgDir) throws IOException {
        Path staging = Files.createTempDirectory(workdir, pgDir.getFileName() + ".unpacking-");
        // A temporary directory is private (0700); the unprivileged server must be able to read the binaries.
        Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(new ByteArrayInputStream(archive)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path target = staging.resolve(entry.getName()).normalize();
                if (!target.startsWith(staging)) {
                    throw new IOException("PostgreSQL archive entry escapes its directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(target.getParent());
                    Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                } else if (entry.isLink()) {
                    Files.createDirectories(target.getParent());
                    Files.createLink(target, staging.resolve(entry.getLinkName()).normalize());
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                    if ((entry.getMode() & 0111) != 0 || entry.getName().matches("(\\./)?bin/.*")) {
                        target.toFile().setExecutable(true, false);
                    }
                }
            }
        }
        if (runningAsRoot()) {
            wrapForUnprivilegedUser(staging.resolve("bin"), "initdb");
            wrapForUnprivilegedUser(staging.resolve("bin"), "pg_ctl");
        }
        Files.createFile(staging.resolve(MARKER));
        try {
            Files.move(staging, pgDir, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(staging, pgDir);
        }
    }

    private static void wrapForUnprivilegedUser(Path bin, String name) throws IOException {
        Path original = bin.resolve(name);
        Path real = bin.resolve(name + ".real");
        Files.move(original, real);
        String script = """
            #!/bin/sh
            # Written by Mainstay: PostgreSQL refuses to run as root, so as root run it as an unprivileged user.
            real="$(dirname "$0")/%s"
            if [ "$(id -u)" = 0 ]; then
              exec setpriv --reuid=%d --regid=%d --clear-groups -- "$real" "$@"
            fi
            exec "$real" "$@"
            """.formatted(real.getFileName(), UNPRIVILEGED_ID, UNPRIVILEGED_ID);
        Files.writeString(original, script);
        Files.setPosixFilePermissions(original, Set.of(
            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE,
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE));
    }

    private static byte[] readArchive() {
        String system = operatingSystem();
        String hardware = architecture();
        try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, hardware)) {
            if (in == null) {
                throw new IllegalStateException("No embedded PostgreSQL binaries for " + system + " " + hardware
                    + "; point Mainstay at an external PostgreSQL instead (mainstay.db.url).");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the embedded PostgreSQL binaries for " + system + " " + hardware, e);
        }
    }

    // The same names zonky's EmbeddedPostgres uses, so that both compute one digest for one archive.
    private static String operatingSystem() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        if (os.startsWith("linux")) {
            return "Linux";
        }
        if (os.startsWith("mac")) {
            return "Darwin";
        }
        if (os.startsWith("windows")) {
            return "Windows";
        }
        throw new IllegalStateException("Embedded PostgreSQL does not support the operating system " + os);
    }

    private static String architecture() {
        String arch = System.getProperty("os.arch");
        return "amd64".equals(arch) ? "x86_64" : arch;
    }

    private static String md5(byte[] bytes) {
        try {
            // MD5 only names the unpack directory, matching zonky's layout; it guards nothing.
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is missing from this JDK", e);
        }
    }
}
