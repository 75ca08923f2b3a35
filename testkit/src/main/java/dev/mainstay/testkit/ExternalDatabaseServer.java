package dev.mainstay.testkit;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Databases on a server the developer points at with a JDBC URL such as
 * {@code jdbc:postgresql://db:5432/postgres?user=ci&password=secret}; the role must be allowed to
 * create databases. The databases are dropped when the JVM's tests are done.
 */
final class ExternalDatabaseServer implements DatabaseServer {

    private final URI base;
    private final String user;
    private final String password;
    private final java.util.List<String> created = new java.util.ArrayList<>();

    ExternalDatabaseServer(String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException(PostgresExtension.EXTERNAL_URL_ENV
                + " must be a jdbc:postgresql:// URL, got: " + jdbcUrl.replaceAll("password=[^&]*", "password=***"));
        }
        this.base = URI.create(jdbcUrl.substring("jdbc:".length()));
        Map<String, String> params = queryParameters(base.getRawQuery());
        this.user = params.getOrDefault("user", System.getProperty("user.name"));
        this.password = params.getOrDefault("password", "");
    }

    @Override
    public TestDatabase createDatabase(String name) {
        execute("CREATE DATABASE " + name);
        created.add(name);
        return new TestDatabase(name, urlFor(name), user, password);
    }

    @Override
    public String describe() {
        return "external PostgreSQL at " + base.getHost() + ":" + base.getPort();
    }

    @Override
    public void close() {
        for (String name : created) {
            execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    private String urlFor(String database) {
        return "jdbc:postgresql://" + base.getRawAuthority() + "/" + database;
    }

    private void execute(String sql) {
        String adminUrl = "jdbc:postgresql://" + base.getRawAuthority() + base.getRawPath();
        try (Connection c = DriverManager.getConnection(adminUrl, user, password); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not run '" + sql + "' on " + describe() + " as " + user, e);
        }
    }

    private static Map<String, String> queryParameters(String query) {
        Map<String, String> params = new LinkedHashMap<>();
        if (query == null) {
            return params;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                params.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return params;
    }
}
