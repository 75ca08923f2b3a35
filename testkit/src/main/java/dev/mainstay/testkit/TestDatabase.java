package dev.mainstay.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * One test class's own database: where it is and how to reach it, at the level psql sees it.
 *
 * @param name     the database name, unique within the test JVM's server
 * @param jdbcUrl  a JDBC URL without credentials
 * @param user     a role that owns the database
 * @param password that role's password; empty for the embedded server's trusted local role
 */
public record TestDatabase(String name, String jdbcUrl, String user, String password) {

    /** Opens a new connection; the caller closes it. */
    public Connection connect() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (!password.isEmpty()) {
            props.setProperty("password", password);
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
