package dev.mainstay.devservices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresServerTest {

    @Test
    void a_throw_away_server_runs_postgresql_17_unprivileged_and_deletes_its_data_on_close() throws Exception {
        Path dataDir;
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.builder().serverConfig("fsync", "off").start()) {
            assertTrue(server.createDatabaseIfAbsent("probe"), "a new database is created");
            assertFalse(server.createDatabaseIfAbsent("probe"), "creating it again is a no-op");
            try (Connection c = server.dataSource("probe").getConnection(); Statement s = c.createStatement()) {
                assertEquals("17", scalar(s, "SHOW server_version").split("\\.")[0], "pinned major version");
                dataDir = Path.of(scalar(s, "SHOW data_directory"));
                long backendPid = Long.parseLong(scalar(s, "SELECT pg_backend_pid()"));
                Path proc = Path.of("/proc/" + backendPid);
                int uid = (Integer) Files.getAttribute(proc, "unix:uid");
                boolean ownUserNamespace = !Files.readSymbolicLink(proc.resolve("ns/user"))
                    .equals(Files.readSymbolicLink(Path.of("/proc/self/ns/user")));
                assertTrue(uid != 0 || ownUserNamespace,
                    "PostgreSQL runs unprivileged: as another user, or in a user namespace of its own");
            }
            assertTrue(Files.exists(dataDir.resolve("PG_VERSION")), "data lives in " + dataDir);
        }
        assertFalse(Files.exists(dataDir), "the throw-away data directory is removed on close");
    }

    @Test
    void a_persistent_server_keeps_its_data_across_restarts(@TempDir Path temp) throws Exception {
        Path data = temp.resolve("pg");
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.builder().persistentDataDirectory(data).start()) {
            server.createDatabaseIfAbsent("keep");
            try (Connection c = server.dataSource("keep").getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE note (text varchar(20))");
                s.execute("INSERT INTO note VALUES ('still here')");
            }
        }
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.builder().persistentDataDirectory(data).start()) {
            assertFalse(server.createDatabaseIfAbsent("keep"), "the database survived the restart");
            try (Connection c = server.dataSource("keep").getConnection(); Statement s = c.createStatement()) {
                assertEquals("still here", scalar(s, "SELECT text FROM note"));
            }
        }
    }

    @Test
    void a_database_name_that_is_not_a_plain_identifier_is_refused() {
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.builder().start()) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> server.createDatabaseIfAbsent("x; DROP DATABASE postgres"));
            assertTrue(e.getMessage().contains("x; DROP DATABASE postgres"), e.getMessage());
        }
    }

    @Test
    void as_root_without_user_namespaces_initdb_is_run_as_an_unprivileged_user(@TempDir Path temp) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(PostgresBinaries.runningAsRoot(),
            "the setpriv fallback only matters when running as root");
        Path bin = PostgresBinaries.prepare().resolve("bin");
        Path data = Files.createDirectories(Path.of("/var/tmp").resolve("mainstay-setpriv-" + ProcessHandle.current().pid()));
        try {
            Files.setAttribute(data, "unix:uid", PostgresBinaries.UNPRIVILEGED_ID);
            Files.setAttribute(data, "unix:gid", PostgresBinaries.UNPRIVILEGED_ID);
            // Run the wrapper directly as root, as zonky does where unshare is not available.
            Process initdb = new ProcessBuilder(bin.resolve("initdb").toString(), "-A", "trust", "-U", "postgres",
                "-D", data.toString(), "--locale=C", "-E", "UTF-8")
                .redirectErrorStream(true).redirectOutput(temp.resolve("initdb.log").toFile()).start();
            assertEquals(0, initdb.waitFor(), () -> readQuietly(temp.resolve("initdb.log")));
            assertEquals(PostgresBinaries.UNPRIVILEGED_ID, Files.getAttribute(data.resolve("PG_VERSION"), "unix:uid"),
                "the cluster's files belong to the unprivileged user");
        } finally {
            try (var tree = Files.walk(data)) {
                tree.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return "(no output: " + e + ")";
        }
    }

    private static String scalar(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
