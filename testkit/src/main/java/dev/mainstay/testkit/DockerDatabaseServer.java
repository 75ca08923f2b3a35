package dev.mainstay.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/** Databases in a PostgreSQL 17 container started through Testcontainers (opt-in). */
final class DockerDatabaseServer implements DatabaseServer {

    static final String IMAGE = "postgres:17";

    private final PostgreSQLContainer<?> container;

    DockerDatabaseServer() {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw new IllegalStateException("-D" + PostgresExtension.DOCKER_PROPERTY + "=true asks for PostgreSQL in"
                + " Docker, but no Docker engine answered. Start one, or drop the property to use the embedded"
                + " PostgreSQL.");
        }
        this.container = new PostgreSQLContainer<>(IMAGE);
        container.start();
    }

    @Override
    public TestDatabase createDatabase(String name) {
        try (Connection c = DriverManager.getConnection(container.getJdbcUrl(), container.getUsername(), container.getPassword());
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + name + " in " + describe(), e);
        }
        String url = "jdbc:postgresql://" + container.getHost() + ":" + container.getMappedPort(5432) + "/" + name;
        return new TestDatabase(name, url, container.getUsername(), container.getPassword());
    }

    @Override
    public String describe() {
        return "PostgreSQL container " + IMAGE;
    }

    @Override
    public void close() {
        container.stop();
    }
}
