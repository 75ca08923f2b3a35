package dev.mainstay.devservices;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A real PostgreSQL server on localhost, from the pinned embedded binaries.
 *
 * <p>Two uses: {@code ./mainstay dev} keeps its data in a persistent directory and restarts on it;
 * tests start a throw-away server whose data directory is deleted on {@link #close()}.
 * It listens on localhost only and trusts local connections as the superuser
 * {@value #SUPERUSER}, which is fine for a developer's machine and for tests and is why
 * production never uses it.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    /** The superuser of an embedded server; local connections need no password. */
    public static final String SUPERUSER = "postgres";

    private static final Logger LOG = Logger.getLogger(EmbeddedPostgresServer.class.getName());
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts building a server. */
    public static Builder builder() {
        return new Builder();
    }

    /** The TCP port the server listens on (localhost). */
    public int port() {
        return postgres.getPort();
    }

    /** A JDBC URL for {@code database} as the superuser, e.g. for psql-level inspection. */
    public String jdbcUrl(String database) {
        return jdbcUrl(port(), database);
    }

    /** The JDBC URL of {@code database} on an embedded server listening on {@code port}, which need not be this process's. */
    public static String jdbcUrl(int port, String database) {
        return "jdbc:postgresql://localhost:" + port + "/" + database;
    }

    /** A data source for {@code database} as the superuser. */
    public DataSource dataSource(String database) {
        return postgres.getDatabase(SUPERUSER, database);
    }

    /**
     * Creates {@code database} unless it exists.
     *
     * @return true when the database was created now, false when it was already there
     * @throws IllegalArgumentException if the name is not a lower-case SQL identifier
     */
    public boolean createDatabaseIfAbsent(String database) {
        if (!DATABASE_NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("database name must match " + DATABASE_NAME + ": " + database);
        }
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                exists.setString(1, database);
                try (ResultSet rs = exists.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            try (Statement create = c.createStatement()) {
                create.execute("CREATE DATABASE " + database);
            }
            return true;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + database + " on " + jdbcUrl("postgres"), e);
        }
    }

    /** Stops the server; a throw-away server's data directory is deleted. */
    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not stop embedded PostgreSQL on port " + port(), e);
        }
    }

    /** Settings for a server; {@link #start()} unpacks binaries if needed and starts it. */
    public static final class Builder {
        private Path dataDirectory;
        private int port;
        private final Map<String, String> serverConfig = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Keeps the data in {@code directory}, which survives {@link #close()} and is reused by the
         * next start. Without it, the server uses a temporary directory deleted on close.
         */
        public Builder persistentDataDirectory(Path directory) {
            this.dataDirectory = Objects.requireNonNull(directory, "directory").toAbsolutePath();
            return this;
        }

        /**
         * The port to listen on; 0 (the default) picks a free one.
         *
         * @throws IllegalArgumentException if the port is outside 0..65535
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
            }
            this.port = port;
            return this;
        }

        /** Sets a {@code postgresql.conf} parameter for this run, e.g. {@code fsync=off} for tests. */
        public Builder serverConfig(String key, String value) {
            serverConfig.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Starts the server and waits until it accepts connections.
         *
         * @throws IllegalStateException if the data directory cannot be used or PostgreSQL fails to start
         */
        public EmbeddedPostgresServer start() {
            Path binaries = PostgresBinaries.prepare();
            boolean persistent = dataDirectory != null;
            try {
                Path data = persistent ? dataDirectory : Files.createTempDirectory("mainstay-pg-");
                prepareDataDirectory(data);
                if (persistent) {
                    stopLeftoverServer(binaries, data);
                }
                EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setOverrideWorkingDirectory(binaries.getParent().toFile())
                    .setDataDirectory(data)
                    .setCleanDataDirectory(!persistent)
                    .setPort(port)
                    .setLocaleConfig("locale", "C")
                    .setPGStartupWait(Duration.ofSeconds(60));
                serverConfig.forEach(builder::setServerConfig);
                return new EmbeddedPostgresServer(builder.start());
            } catch (IOException e) {
                throw new IllegalStateException("Could not start embedded PostgreSQL"
                    + (persistent ? " in " + dataDirectory : ""), e);
            }
        }

        private static void prepareDataDirectory(Path data) throws IOException {
            Files.createDirectories(data);
            if (!PostgresBinaries.dropsPrivilegesWithSetpriv()) {
                return;
            }
            // PostgreSQL runs as an unprivileged user: it must own its data directory and be able
            // to reach it through every parent directory.
            for (Path p = data.getParent(); p != null; p = p.getParent()) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
                if (!perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    throw new IllegalStateException("PostgreSQL cannot run as root, so Mainstay runs it as uid "
                        + PostgresBinaries.UNPRIVILEGED_ID + ", which cannot reach " + data + " because " + p
                        + " is not searchable by other users. Choose a data directory elsewhere (for example under /var/tmp)"
                        + " or run Mainstay as a regular user.");
                }
            }
            if (!Integer.valueOf(PostgresBinaries.UNPRIVILEGED_ID).equals(Files.getAttribute(data, "unix:uid"))) {
                try (var tree = Files.walk(data)) {
                    for (Path p : (Iterable<Path>) tree::iterator) {
                        Files.setAttribute(p, "unix:uid", PostgresBinaries.UNPRIVILEGED_ID);
                        Files.setAttribute(p, "unix:gid", PostgresBinaries.UNPRIVILEGED_ID);
                    }
                }
            }
        }

        /**
         * A process killed with SIGKILL leaves its postmaster running on the persistent data
         * directory; stop it so that this start can take the directory over.
         */
        private static void stopLeftoverServer(Path binaries, Path data) throws IOException {
            Path pidFile = data.resolve("postmaster.pid");
            if (!Files.exists(pidFile)) {
                return;
            }
            List<String> lines = Files.readAllLines(pidFile);
            Optional<ProcessHandle> postmaster = lines.isEmpty() ? Optional.empty()
                : parsePid(lines.get(0)).flatMap(ProcessHandle::of);
            if (postmaster.isEmpty() || !postmaster.get().isAlive()) {
                return;
            }
            LOG.warning("Stopping PostgreSQL (pid " + postmaster.get().pid() + ") left running on " + data
                + " by an earlier run that did not shut down.");
            Path pgCtl = binaries.resolve("bin/pg_ctl");
            try {
                Process stop = new ProcessBuilder(PostgresBinaries.command(pgCtl, "-D", data.toString(), "stop", "-m", "fast", "-w", "-t", "30"))
                    .redirectErrorStream(true)
                    .start();
                String out = new String(stop.getInputStream().readAllBytes());
                if (stop.waitFor() != 0) {
                    throw new IllegalStateException("Could not stop the PostgreSQL left running on " + data + ": " + out.strip());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while stopping PostgreSQL on " + data, e);
            }
        }

        private static Optional<Long> parsePid(String line) {
            try {
                return Optional.of(Long.parseLong(line.strip()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
    }
}
