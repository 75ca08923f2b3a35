package dev.mainstay.devservices;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A real Keycloak server ({@code kc.sh start-dev}) as a child process, for {@code ./mainstay dev}
 * and for tests.
 *
 * <p>Design: the distribution is unpacked once into a home directory ({@link KeycloakDistribution})
 * and reused, because unpacking and Keycloak's first-start build take most of a minute. Realms are
 * imported at start from JSON files ({@code --import-realm}), which Keycloak skips for realms that
 * already exist, so a persistent ({@link Database#DEV_FILE}) server keeps changes made in its admin
 * console. The server listens on 127.0.0.1 only. Its management interface (health) gets a free
 * port of its own, because Keycloak's default, 9000, is a popular port.
 *
 * <p>One server per home at a time: {@link Builder#start()} holds a lock on the home while the
 * server runs, and stops a Keycloak left running on that home by an earlier JVM that was killed
 * ({@code kill -9}) before it could stop its child.
 */
public final class KeycloakServer implements AutoCloseable {

    /** Where Keycloak keeps its data; {@code DEV_MEM} forgets everything when it stops. */
    public enum Database {
        /** An H2 file database in {@code <home>/data/h2}: survives restarts. */
        DEV_FILE("dev-file"),
        /** An in-memory H2 database: every start imports the realms afresh. */
        DEV_MEM("dev-mem");

        private final String option;

        Database(String option) {
            this.option = option;
        }
    }

    /** The default HTTP port, beside Mainstay's 8443 and clear of Keycloak's own default 8080. */
    public static final int DEFAULT_HTTP_PORT = 8180;

    private static final String PID_FILE = "mainstay-keycloak.pid";
    private static final String LOCK_FILE = "mainstay-keycloak.lock";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path home;
    private final Path logFile;
    private final int httpPort;
    private final int managementPort;
    private final String adminUsername;
    private final String adminPassword;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private KeycloakServer(Process process, Builder settings, int httpPort, int managementPort,
                           FileChannel lockChannel, FileLock lock) {
        this.process = process;
        this.home = settings.home;
        this.logFile = settings.logFile();
        this.httpPort = httpPort;
        this.managementPort = managementPort;
        this.adminUsername = settings.adminUsername;
        this.adminPassword = settings.adminPassword;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Starts building a server. */
    public static Builder builder() {
        return new Builder();
    }

    /** The server's root URL, e.g. {@code http://localhost:8180}. */
    public URI baseUri() {
        return baseUri(httpPort);
    }

    /** The OIDC issuer of {@code realm}, e.g. {@code http://localhost:8180/realms/mainstay}. */
    public URI issuer(String realm) {
        return issuer(httpPort, realm);
    }

    /** The root URL of a server on {@code httpPort}, which need not be this process's. */
    public static URI baseUri(int httpPort) {
        return URI.create("http://localhost:" + httpPort);
    }

    /** The OIDC issuer of {@code realm} on a server on {@code httpPort}, which need not be this process's. */
    public static URI issuer(int httpPort, String realm) {
        return URI.create(baseUri(httpPort) + "/realms/" + realm);
    }

    /** The HTTP port. */
    public int httpPort() {
        return httpPort;
    }

    /** The management port, where {@code /health/ready} answers. */
    public int managementPort() {
        return managementPort;
    }

    /** The directory the distribution is unpacked in. */
    public Path home() {
        return home;
    }

    /** The file Keycloak's console output goes to. */
    public Path logFile() {
        return logFile;
    }

    /** The user name of the {@code master} realm's bootstrap administrator. */
    public String adminUsername() {
        return adminUsername;
    }

    /** The password of the {@code master} realm's bootstrap administrator. */
    public String adminPassword() {
        return adminPassword;
    }

    /** The operating-system process id of the server. */
    public long pid() {
        return process.pid();
    }

    /** True while the server process runs. */
    public boolean isRunning() {
        return process.isAlive();
    }

    /**
     * Stops the server: SIGTERM to it and its descendants, SIGKILL after 30 seconds. Idempotent.
     *
     * @throws IllegalStateException if the process survives SIGKILL
     */
    public void stop() {
        try {
            if (process.isAlive() && !KeycloakProcesses.terminate(process.toHandle(), STOP_TIMEOUT)) {
                throw new IllegalStateException("Keycloak (pid " + process.pid() + ") did not stop even after SIGKILL");
            }
            Files.deleteIfExists(home.resolve(PID_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not remove " + home.resolve(PID_FILE), e);
        } finally {
            release(lockChannel, lock);
        }
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    private static void release(FileChannel channel, FileLock lock) {
        try (channel) {
            if (lock.isValid()) {
                lock.release();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not release the Keycloak home lock", e);
        }
    }

    /** Thrown when another live server (in this or another JVM) already uses the requested home. */
    public static final class HomeInUseException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        HomeInUseException(Path home) {
            super("Keycloak home " + home + " is in use by another running Keycloak server; stop it or choose another home");
        }
    }

    /** Settings for a server; {@link #start()} unpacks the distribution if needed and starts it. */
    public static final class Builder {
        private Path home;
        private Path distribution;
        private int httpPort = DEFAULT_HTTP_PORT;
        private int managementPort;
        private Database database = Database.DEV_FILE;
        private final Map<String, RealmImport> realms = new LinkedHashMap<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private String adminUsername;
        private String adminPassword;
        private Path javaHome;
        private Path logFile;
        private Duration startupTimeout = Duration.ofSeconds(180);

        private Builder() {
        }

        /** The directory to unpack the distribution into (once) and run it from. Required. */
        public Builder home(Path home) {
            this.home = Objects.requireNonNull(home, "home").toAbsolutePath().normalize();
            return this;
        }

        /** The distribution zip; defaults to {@link KeycloakDistribution#locate()}. */
        public Builder distribution(Path zip) {
            this.distribution = Objects.requireNonNull(zip, "zip");
            return this;
        }

        /**
         * The HTTP port; {@value #DEFAULT_HTTP_PORT} by default, 0 picks a free one.
         *
         * @throws IllegalArgumentException if the port is outside 0..65535
         */
        public Builder httpPort(int port) {
            this.httpPort = checkPort(port);
            return this;
        }

        /**
         * The management (health) port; 0, the default, picks a free one.
         *
         * @throws IllegalArgumentException if the port is outside 0..65535
         */
        public Builder managementPort(int port) {
            this.managementPort = checkPort(port);
            return this;
        }

        /** Where Keycloak keeps its data; {@link Database#DEV_FILE} by default. */
        public Builder database(Database database) {
            this.database = Objects.requireNonNull(database, "database");
            return this;
        }

        /**
         * Imports {@code realm} from the JSON file {@code file} at start, unless the realm exists.
         * {@link #start()} waits until every imported realm serves its OIDC discovery document.
         *
         * @throws IllegalArgumentException if {@code file} is not a readable file
         */
        public Builder importRealm(String realm, Path file) {
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException("realm file for " + realm + " is not readable: " + file);
            }
            try {
                return importRealm(realm, Files.readString(file));
            } catch (IOException e) {
                throw new UncheckedIOException("Could not read realm file " + file, e);
            }
        }

        /** As {@link #importRealm(String, Path)}, with the realm file's text. */
        public Builder importRealm(String realm, String json) {
            Objects.requireNonNull(realm, "realm");
            if (!realm.matches("[A-Za-z0-9_-]+")) {
                throw new IllegalArgumentException("realm name must be letters, digits, '_' or '-': " + realm);
            }
            realms.put(realm, new RealmImport(realm, Objects.requireNonNull(json, "json")));
            return this;
        }

        /** Sets an environment variable of the Keycloak process, e.g. a value for a realm-file placeholder. */
        public Builder environment(String name, String value) {
            environment.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * The {@code master} realm's administrator, created when the master realm is first created
         * (so a persistent server keeps the first one it was given). Required.
         */
        public Builder bootstrapAdmin(String username, String password) {
            this.adminUsername = Objects.requireNonNull(username, "username");
            this.adminPassword = Objects.requireNonNull(password, "password");
            return this;
        }

        /** The JDK to run Keycloak with; defaults to this JVM's if it is 21 or newer. */
        public Builder javaHome(Path javaHome) {
            this.javaHome = Objects.requireNonNull(javaHome, "javaHome");
            return this;
        }

        /** The file to write Keycloak's output to; defaults to {@code <home>/data/log/mainstay-keycloak.out}. */
        public Builder logFile(Path logFile) {
            this.logFile = Objects.requireNonNull(logFile, "logFile").toAbsolutePath();
            return this;
        }

        /** How long {@link #start()} waits for the realms; 180 seconds by default. */
        public Builder startupTimeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("startup timeout must be positive: " + timeout);
            }
            this.startupTimeout = timeout;
            return this;
        }

        /**
         * Unpacks the distribution if needed, starts Keycloak and waits until every imported realm
         * answers.
         *
         * @throws IllegalStateException if a setting is missing, a port is taken, or Keycloak exits or
         *                               is not ready in time (the message carries the end of its log)
         * @throws HomeInUseException    if another running server uses the home
         */
        public KeycloakServer start() {
            if (home == null) {
                throw new IllegalStateException("home(...) is required: the directory to run Keycloak from");
            }
            if (adminUsername == null) {
                throw new IllegalStateException("bootstrapAdmin(username, password) is required");
            }
            Path java = javaHome != null ? javaHome : defaultJavaHome();
            KeycloakDistribution.unpack(distribution != null ? distribution : KeycloakDistribution.locate(), home);
            FileChannel channel = null;
            FileLock lock = null;
            try {
                channel = FileChannel.open(home.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                lock = tryLock(channel);
                if (lock == null) {
                    throw new HomeInUseException(home);
                }
                KeycloakProcesses.stopLeftover(home.resolve(PID_FILE), home, STOP_TIMEOUT);
                int http = httpPort == 0 ? freePort() : requireFree(httpPort, "HTTP");
                int management = managementPort == 0 ? freePort() : requireFree(managementPort, "management");
                writeRealmFiles();
                Process process = launch(java, http, management);
                Files.writeString(home.resolve(PID_FILE), process.pid() + "\n");
                KeycloakServer server = new KeycloakServer(process, this, http, management, channel, lock);
                channel = null;
                try {
                    awaitRealms(server);
                } catch (RuntimeException e) {
                    server.stop();
                    throw e;
                }
                return server;
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start Keycloak in " + home, e);
            } finally {
                // Until a server owns them, the lock and its channel are ours to release.
                releaseQuietly(channel, lock);
            }
        }

        private Process launch(Path java, int http, int management) throws IOException {
            List<String> command = new ArrayList<>(List.of(
                home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-host=127.0.0.1", "--http-port=" + http,
                "--http-management-host=127.0.0.1", "--http-management-port=" + management,
                "--db=" + database.option, "--health-enabled=true"));
            if (!realms.isEmpty()) {
                command.add("--import-realm");
            }
            Path log = logFile();
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            Map<String, String> env = builder.environment();
            env.put("JAVA_HOME", java.toString());
            env.put("KC_BOOTSTRAP_ADMIN_USERNAME", adminUsername);
            env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
            env.putAll(environment);
            return builder.start();
        }

        private void writeRealmFiles() throws IOException {
            Path imports = home.resolve("data/import");
            Files.createDirectories(imports);
            // Keycloak imports every file in the directory: drop files from earlier runs.
            try (var old = Files.newDirectoryStream(imports, "*.json")) {
                for (Path file : old) {
                    Files.delete(file);
                }
            }
            for (RealmImport realm : realms.values()) {
                Files.writeString(imports.resolve(realm.name() + "-realm.json"), realm.json());
            }
        }

        private void awaitRealms(KeycloakServer server) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            long deadline = System.nanoTime() + startupTimeout.toNanos();
            List<String> waiting = new ArrayList<>(realms.keySet());
            if (waiting.isEmpty()) {
                waiting.add("master");
            }
            while (!waiting.isEmpty()) {
                if (!server.process.isAlive()) {
                    throw new IllegalStateException("Keycloak exited with " + server.process.exitValue() + " before it was ready. "
                        + "End of " + logFile() + ":\n" + KeycloakProcesses.tail(logFile(), 40));
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Keycloak did not serve realm(s) " + waiting + " within " + startupTimeout
                        + ". End of " + logFile() + ":\n" + KeycloakProcesses.tail(logFile(), 40));
                }
                waiting.removeIf(realm -> answers(http, server.issuer(realm).resolve(
                    server.issuer(realm).getPath() + "/.well-known/openid-configuration")));
                if (!waiting.isEmpty()) {
                    KeycloakProcesses.sleep(Duration.ofMillis(250));
                }
            }
        }

        private static boolean answers(HttpClient http, URI uri) {
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding());
                return response.statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for Keycloak", e);
            }
        }

        private Path logFile() {
            return logFile != null ? logFile : home.resolve("data/log/mainstay-keycloak.out");
        }

        private static Path defaultJavaHome() {
            if (Runtime.version().feature() < 21) {
                throw new IllegalStateException("Keycloak needs Java 21 or newer, but this JVM is " + Runtime.version()
                    + "; pass javaHome(...) pointing at a JDK 21+ (for example /usr/lib/jvm/temurin-25-jdk-amd64)");
            }
            return Path.of(System.getProperty("java.home"));
        }

        private static FileLock tryLock(FileChannel channel) throws IOException {
            try {
                return channel.tryLock();
            } catch (OverlappingFileLockException e) {
                return null;
            }
        }

        private static void releaseQuietly(FileChannel channel, FileLock lock) {
            if (channel == null) {
                return;
            }
            try (channel) {
                if (lock != null && lock.isValid()) {
                    lock.release();
                }
            } catch (IOException e) {
                // The channel is closed by the try; closing releases the lock as well.
            }
        }

        private static int checkPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
            }
            return port;
        }

        private static int freePort() throws IOException {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            }
        }

        private static int requireFree(int port, String what) {
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new IllegalStateException("Keycloak's " + what + " port " + port + " is already in use on localhost"
                    + " (another Keycloak?); choose another port or stop what listens there", e);
            }
        }
    }

    private record RealmImport(String name, String json) {
    }
}
