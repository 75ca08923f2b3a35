package dev.mainstay.testkit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Looks for a value anywhere in a database, as someone with a copy of it would: every column of
 * every table in the {@code public} schema, text columns by their text, {@code bytea} columns by
 * the value's UTF-8 bytes, other types by their text form. Tests use it to show that confidential
 * values are stored only encrypted.
 */
public final class PlaintextScan {

    private PlaintextScan() {
    }

    /** The {@code table.column}s holding {@code needle} in at least one row, in table and column order. */
    public static List<String> columnsContaining(Connection c, String needle) throws SQLException {
        List<String> columns = new ArrayList<>();
        List<String[]> all = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c"
            + " JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name"
            + " WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' ORDER BY c.table_name, c.ordinal_position");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                all.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
            }
        }
        for (String[] column : all) {
            String table = quote(column[0]);
            String name = quote(column[1]);
            String match = "bytea".equals(column[2])
                ? "position(convert_to(?, 'UTF8') in " + name + ") > 0"
                : "strpos(" + name + "::text, ?) > 0";
            try (PreparedStatement s = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM " + table + " WHERE " + match + ")")) {
                s.setString(1, needle);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        columns.add(column[0] + "." + column[1]);
                    }
                }
            }
        }
        return columns;
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
