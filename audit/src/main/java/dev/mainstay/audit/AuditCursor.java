package dev.mainstay.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * A feed's position in {@code audit_cursor}: locked for the length of the caller's transaction
 * (so replicas take turns) and moved in it, together with the work it describes.
 */
public final class AuditCursor {

    private AuditCursor() {
    }

    /** Locks {@code source}'s row, making it at {@code initial} if it is new, and returns its position. */
    public static String lock(Connection c, String source, String initial, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO audit_cursor (source, position, updated_at) VALUES (?, ?, ?)"
            + " ON CONFLICT (source) DO NOTHING")) {
            s.setString(1, source);
            s.setString(2, initial);
            s.setTimestamp(3, Timestamp.from(now));
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("SELECT position FROM audit_cursor WHERE source = ? FOR UPDATE")) {
            s.setString(1, source);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    /** Moves {@code source}'s row, locked by {@link #lock}, to {@code position}. */
    public static void move(Connection c, String source, String position, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE audit_cursor SET position = ?, updated_at = ? WHERE source = ?")) {
            s.setString(1, position);
            s.setTimestamp(2, Timestamp.from(now));
            s.setString(3, source);
            s.executeUpdate();
        }
    }
}
