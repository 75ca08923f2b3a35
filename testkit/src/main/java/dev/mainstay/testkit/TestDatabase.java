package dev.mainstay.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;

/**
 * One test class's own database: where it is and how to reach it, at the level psql sees it.
 *
 * @param name     the database name, unique within the test JVM's server
 * @param jdbcUrl  a JDBC URL without credentials
 * @param user     a role that owns the database
 * @param password that role's password; empty for the embedded server's trusted local role
 */
public record TestDatabase(String name, String jdbcUrl, String user, String password) {

    /** Numbers the databases and roles {@link #fresh} and {@link #freshWithApplicationRole} make. */
    private static final AtomicInteger FRESH = new AtomicInteger();

    /** Opens a new connection; the caller closes it. */
    public Connection connect() throws SQLException {
        return connectAs(user, password);
    }

    /**
     * A new database on the same server, owned by the same role, with the migrations at
     * {@code locations} applied: for a test that needs a database no other test has touched.
     */
    public TestDatabase fresh(String... locations) throws SQLException {
        return fresh(user, password, locations);
    }

    /**
     * Like {@link #fresh}, but owned by a new login role that is not a superuser and that runs the
     * migrations, as the application's role does in production: for tests of what that role may
     * not do. Needs a role allowed to create roles (the embedded server's is).
     */
    public TestDatabase freshWithApplicationRole(String... locations) throws SQLException {
        String role = name + "_app_" + FRESH.incrementAndGet();
        String rolePassword = UUID.randomUUID().toString();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE \"" + role + "\" LOGIN NOSUPERUSER PASSWORD '" + rolePassword + "'");
        }
        return fresh(role, rolePassword, locations);
    }

    /**
     * A new database with the default migrations applied up to {@code version} only, for a test
     * of what a later migration does to the data an older Mainstay left.
     */
    public TestDatabase freshAt(String version) throws SQLException {
        return create(user, password, version, new String[0]);
    }

    /** Applies every default migration after the ones already applied, as an upgrade does. */
    public void migrate() {
        flyway(null, new String[0]).migrate();
    }

    private TestDatabase fresh(String owner, String ownerPassword, String... locations) throws SQLException {
        return create(owner, ownerPassword, null, locations);
    }

    /** A new database owned by {@code owner}, migrated to {@code target} (null: the latest). */
    private TestDatabase create(String owner, String ownerPassword, String target, String[] locations) throws SQLException {
        String freshName = name + "_" + FRESH.incrementAndGet();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE \"" + freshName + "\" OWNER \"" + owner + "\"");
        }
        int at = jdbcUrl.lastIndexOf("/" + name);
        TestDatabase fresh = new TestDatabase(freshName, jdbcUrl.substring(0, at) + "/" + freshName
            + jdbcUrl.substring(at + name.length() + 1), owner, ownerPassword);
        if (!owner.equals(user)) {
            try (Connection c = fresh.connectAs(user, password); Statement s = c.createStatement()) {
                s.execute("ALTER SCHEMA public OWNER TO \"" + owner + "\"");
            }
        }
        fresh.flyway(target, locations).migrate();
        return fresh;
    }

    private Flyway flyway(String target, String[] locations) {
        var config = Flyway.configure().dataSource(jdbcUrl, user, password)
            .locations(locations.length == 0 ? new String[] {"classpath:db/migration"} : locations).failOnMissingLocations(true);
        return (target == null ? config : config.target(target)).load();
    }

    private Connection connectAs(String role, String rolePassword) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", role);
        if (!rolePassword.isEmpty()) {
            props.setProperty("password", rolePassword);
        }
        return DriverManager.getConnection(jdbcUrl, props);
    }

    /** Runs {@code sql} and returns every row's first column as text, for terse assertions. */
    public List<String> column(String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
