package dev.mainstay.devservices;

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
import java.util.Comparator;
import java.util.Enumeration;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The Keycloak server distribution ({@code org.keycloak:keycloak-quarkus-dist}, a zip on Maven
 * Central) that {@link KeycloakServer} runs: where to find the zip and how to unpack it.
 *
 * <p>Why a zip from the Maven repository: the build already downloads it (devservices declares it
 * in {@code provided} scope), so neither developers nor CI need a container engine or a separate
 * download step, and the version is pinned once in the root POM ({@code version.keycloak}).
 */
public final class KeycloakDistribution {

    /** System property with the path of the distribution zip; set by the build for every test JVM. */
    public static final String PROPERTY = "mainstay.keycloak.distribution";

    /** The file written last into an unpacked home, so a home without it is never used. */
    static final String MARKER = ".mainstay-unpacked";

    private static final String ARTIFACT = "keycloak-quarkus-dist";

    private KeycloakDistribution() {
    }

    /** The pinned Keycloak version, e.g. {@code 26.7.3} (from the root POM's {@code version.keycloak}). */
    public static String version() {
        Properties properties = new Properties();
        try (InputStream in = KeycloakDistribution.class.getResourceAsStream("keycloak/keycloak.properties")) {
            if (in == null) {
                throw new IllegalStateException("keycloak/keycloak.properties is missing from mainstay-devservices");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the pinned Keycloak version", e);
        }
        return properties.getProperty("version");
    }

    /**
     * A directory for homes that are reused across runs, {@code <java.io.tmpdir>/mainstay-keycloak/<version>}:
     * tests unpack there once, since unpacking and Keycloak's first-start build take most of a minute.
     */
    public static Path cacheDirectory() {
        return Path.of(System.getProperty("java.io.tmpdir"), "mainstay-keycloak", version());
    }

    /**
     * Finds the distribution zip: the system property {@value #PROPERTY} if set, else the pinned
     * version in the user's local Maven repository ({@code ~/.m2/repository}).
     *
     * @throws IllegalStateException if the zip is not there; the message names the Maven command that fetches it
     */
    public static Path locate() {
        return locate(System.getProperty(PROPERTY), Path.of(System.getProperty("user.home")), version());
    }

    /** {@link #locate()} with its inputs given; visible for tests. */
    static Path locate(String property, Path userHome, String version) {
        if (property != null && !property.isBlank()) {
            Path zip = Path.of(property);
            if (!Files.isRegularFile(zip)) {
                throw new IllegalStateException("The Keycloak distribution named by -D" + PROPERTY + " does not exist: "
                    + zip + ". Fetch it with: " + fetchCommand(version));
            }
            return zip;
        }
        Path zip = userHome.resolve(".m2/repository/org/keycloak/" + ARTIFACT + "/" + version + "/"
            + ARTIFACT + "-" + version + ".zip");
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException("The Keycloak " + version + " distribution is not in the local Maven repository ("
                + zip + "). Fetch it with: " + fetchCommand(version) + " (or run ./mvnw install once), or point -D"
                + PROPERTY + " at a " + ARTIFACT + " zip.");
        }
        return zip;
    }

    private static String fetchCommand(String version) {
        return "./mvnw dependency:get -Dtransitive=false -Dartifact=org.keycloak:" + ARTIFACT + ":" + version + ":zip";
    }

    /**
     * Unpacks {@code zip} into {@code home} unless a previous call already did, and returns
     * {@code home}. The zip's top-level directory ({@code keycloak-<version>/}) is stripped, so
     * {@code home/bin/kc.sh} is the start script.
     *
     * <p>The tree is written to a temporary sibling and moved into place in one rename, under a file
     * lock, so an interrupted unpack or a concurrent JVM never leaves a half-written home behind.
     *
     * @throws IllegalStateException if {@code home} exists but was not unpacked by Mainstay
     */
    public static Path unpack(Path zip, Path home) {
        Path target = home.toAbsolutePath().normalize();
        if (Files.exists(target.resolve(MARKER))) {
            return target;
        }
        Path parent = target.getParent();
        try {
            Files.createDirectories(parent);
            Path lockFile = parent.resolve(target.getFileName() + ".lock");
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                if (Files.exists(target.resolve(MARKER))) {
                    return target;
                }
                if (Files.exists(target)) {
                    throw new IllegalStateException("Keycloak home " + target + " exists but is not a distribution Mainstay"
                        + " unpacked (no " + MARKER + "). Remove it or choose another directory.");
                }
                unpackInto(zip, parent, target);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not unpack " + zip + " into " + target, e);
        }
        return target;
    }

    private static void unpackInto(Path zip, Path parent, Path target) throws IOException {
        Path staging = Files.createTempDirectory(parent, target.getFileName() + ".unpacking-");
        try {
            extract(zip, staging);
            Files.writeString(staging.resolve(MARKER), zip.getFileName() + "\n");
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(staging, target);
            }
        } catch (IOException | RuntimeException e) {
            deleteTree(staging);
            throw e;
        }
    }

    private static void extract(Path zip, Path staging) throws IOException {
        try (ZipFile archive = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = archive.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                int slash = name.indexOf('/');
                String relative = slash < 0 ? "" : name.substring(slash + 1);
                if (relative.isEmpty()) {
                    continue;
                }
                Path file = staging.resolve(relative).normalize();
                if (!file.startsWith(staging)) {
                    throw new IOException("Keycloak archive entry escapes its directory: " + name);
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(file);
                } else {
                    Files.createDirectories(file.getParent());
                    try (InputStream in = archive.getInputStream(entry)) {
                        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        // java.util.zip does not restore Unix modes; the start scripts must be executable.
        Path bin = staging.resolve("bin");
        if (!Files.isRegularFile(bin.resolve("kc.sh"))) {
            throw new IOException(zip + " is not a Keycloak server distribution: it has no bin/kc.sh");
        }
        try (var scripts = Files.newDirectoryStream(bin, "*.sh")) {
            for (Path script : scripts) {
                script.toFile().setExecutable(true, false);
            }
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (var tree = Files.walk(root)) {
            tree.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Best effort: a leftover staging directory is never used, only wastes space.
        }
    }
}
