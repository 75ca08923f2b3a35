package dev.mainstay.audit;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Feeds a {@link SiemSink} from the trail, at least once: under a lock on the sink's cursor row
 * in {@code audit_cursor}, it reads the events after the cursor, delivers them, and moves the
 * cursor in the same transaction. A failed delivery moves nothing, so the next run sends the
 * batch again; a crash after delivery but before the commit does the same. Replicas take turns.
 */
public final class SiemExporter {

    private SiemExporter() {
    }

    /**
     * Delivers up to {@code batch} events after the sink's cursor.
     *
     * @param c autocommit off; committed on success, rolled back on failure
     * @return how many events were delivered (0 when there was nothing new)
     * @throws IOException when the sink failed; nothing moved
     */
    public static int run(Connection c, SiemSink sink, int batch, Instant now) throws SQLException, IOException {
        String source = "siem:" + sink.name();
        try {
            long after = Long.parseLong(AuditCursor.lock(c, source, "0", now));
            long to = Math.addExact(after, batch);
            List<AuditRecord> records = new ArrayList<>();
            AuditLog.read(c, after + 1, to, records::add);
            if (records.isEmpty()) {
                c.commit();
                return 0;
            }
            sink.deliver(records);
            AuditCursor.move(c, source, Long.toString(records.get(records.size() - 1).seq()), now);
            c.commit();
            return records.size();
        } catch (SQLException | IOException | RuntimeException e) {
            c.rollback();
            throw e;
        }
    }

    /** The last seq delivered to {@code source}; 0 for a new sink (it starts at the beginning of the trail). */
    public static long cursor(Connection c, String source) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT position FROM audit_cursor WHERE source = ?")) {
            s.setString(1, source);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Long.parseLong(rs.getString(1)) : 0;
            }
        }
    }
}
