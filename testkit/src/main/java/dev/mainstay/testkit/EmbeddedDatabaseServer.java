package dev.mainstay.testkit;

import dev.mainstay.devservices.EmbeddedPostgresServer;

/** Databases on an embedded PostgreSQL started for this JVM and thrown away after it. */
final class EmbeddedDatabaseServer implements DatabaseServer {

    private final EmbeddedPostgresServer server;

    EmbeddedDatabaseServer() {
        // Durability buys nothing for a throw-away test server; skipping fsync makes it faster.
        this.server = EmbeddedPostgresServer.builder()
            .serverConfig("fsync", "off")
            .serverConfig("full_page_writes", "off")
            .start();
    }

    @Override
    public TestDatabase createDatabase(String name) {
        if (!server.createDatabaseIfAbsent(name)) {
            throw new IllegalStateException("database " + name + " already exists on " + describe());
        }
        return new TestDatabase(name, server.jdbcUrl(name), EmbeddedPostgresServer.SUPERUSER, "");
    }

    @Override
    public String describe() {
        return "embedded PostgreSQL on localhost:" + server.port();
    }

    @Override
    public void close() {
        server.close();
    }
}
