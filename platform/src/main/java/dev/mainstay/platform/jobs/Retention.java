package dev.mainstay.platform.jobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/** What the retention jobs share: a delete of the rows older than a cut-off. */
public final class Retention {

    private Retention() {
    }

    /**
     * Runs {@code delete}, a {@code DELETE} whose one parameter is the cut-off, on {@code c}.
     *
     * @return how many rows it deleted
     */
    public static long deleteBefore(Connection c, String delete, Instant before) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(delete)) {
            s.setTimestamp(1, Timestamp.from(before));
            return s.executeUpdate();
        }
    }
}
