package dev.mainstay.bench;

import dev.mainstay.devservices.EmbeddedPostgresServer;
import dev.mainstay.testkit.TempDirs;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;

/** An embedded PostgreSQL with Mainstay's schema, for benchmarks that need the real database. */
final class BenchDatabase implements AutoCloseable {

    private final EmbeddedPostgresServer server;
    private final String url;

    BenchDatabase() {
        server = EmbeddedPostgresServer.builder().persistentDataDirectory(TempDirs.create("mainstay-bench-pg-")).port(0).start();
        server.createDatabaseIfAbsent("bench");
        url = server.jdbcUrl("bench");
        Flyway.configure().dataSource(url, EmbeddedPostgresServer.SUPERUSER, "").locations("classpath:db/migration").load().migrate();
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url, EmbeddedPostgresServer.SUPERUSER, "");
    }

    @Override
    public void close() {
        server.close();
    }
}
