package dev.mainstay.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.devservices.EmbeddedPostgresServer;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PostgresExtensionTest {

    /** Two test classes, each with its own database; both see only their own rows. */
    @MainstayDatabase(migrations = "classpath:testkit-migrations")
    @Nested
    class FirstClass {
        @Test
        void gets_a_fresh_database_with_migrations_applied(TestDatabase db) throws Exception {
            assertEquals(List.of("0"), db.column("SELECT count(*) FROM probe"), "migrated and empty");
            try (Connection c = db.connect(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO probe VALUES (1, 'first')");
            }
            SeenDatabases.first = db.name();
        }
    }

    @MainstayDatabase(migrations = "classpath:testkit-migrations")
    @Nested
    class SecondClass {
        @Test
        void does_not_see_another_classes_rows(TestDatabase db) throws Exception {
            assertEquals(List.of("0"), db.column("SELECT count(*) FROM probe"), "fresh database: " + db.name());
            assertEquals(List.of("1"), db.column("SELECT max(version) FROM flyway_schema_history"));
            if (SeenDatabases.first != null) {
                assertNotEquals(SeenDatabases.first, db.name());
            }
        }
    }

    @Test
    void an_external_server_named_by_jdbc_url_hands_out_databases_and_drops_them_afterwards() throws Exception {
        try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.builder().start()) {
            String url = pg.jdbcUrl("postgres") + "?user=" + EmbeddedPostgresServer.SUPERUSER;
            TestDatabase db;
            try (DatabaseServer server = PostgresExtension.newServer(url, false)) {
                assertTrue(server.describe().startsWith("external PostgreSQL at localhost:"), server.describe());
                db = server.createDatabase("external_probe");
                assertEquals(List.of("external_probe"), db.column("SELECT current_database()"));
            }
            try (Connection c = pg.dataSource("postgres").getConnection(); Statement s = c.createStatement();
                 var rs = s.executeQuery("SELECT count(*) FROM pg_database WHERE datname = 'external_probe'")) {
                rs.next();
                assertEquals(0, rs.getInt(1), "dropped on close");
            }
        }
    }

    @Test
    void an_external_url_that_is_not_postgresql_is_refused_by_name() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> PostgresExtension.newServer("jdbc:mysql://db/x?password=hunter2", false));
        assertTrue(e.getMessage().contains(PostgresExtension.EXTERNAL_URL_ENV), e.getMessage());
        assertTrue(!e.getMessage().contains("hunter2"), "the password is not echoed: " + e.getMessage());
    }

    @Test
    void docker_mode_fails_loudly_when_no_docker_engine_answers() {
        org.junit.jupiter.api.Assumptions.assumeFalse(
            org.testcontainers.DockerClientFactory.instance().isDockerAvailable(), "a Docker engine is running here");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> PostgresExtension.newServer(null, true));
        assertTrue(e.getMessage().contains("no Docker engine answered"), e.getMessage());
    }

    static final class SeenDatabases {
        static volatile String first;
    }
}
