package dev.mainstay.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Retention of the audit trail: events leave it only as a whole range from its start up to a
 * signed checkpoint, through the database function {@code audit_cut} (schema version 8), so what
 * remains still verifies, anchored at that checkpoint. Checkpoints are never removed.
 */
public final class AuditRetention {

    private AuditRetention() {
    }

    /**
     * What cutting the events older than {@code before} removes.
     *
     * @param before     the time every removed event is older than
     * @param checkpoint the signed checkpoint the cut ends at, which anchors what remains; empty
     *                   when nothing can be cut
     * @param fromSeq    the first seq removed
     * @param events     how many events are removed
     * @param oldestKept the time of the oldest event kept, if any
     */
    public record Plan(Instant before, Optional<Checkpoint> checkpoint, long fromSeq, long events, Optional<Instant> oldestKept) {

        /** Whether the cut removes nothing. */
        public boolean nothing() {
            return events == 0;
        }
    }

    /**
     * The cut that removes as much as possible of what is older than {@code before}: every event
     * up to the newest checkpoint below the first event at or after {@code before}. Events older
     * than {@code before} but after that checkpoint stay until a later checkpoint covers them.
     */
    public static Plan plan(Connection c, Instant before) throws SQLException {
        OptionalLong first = AuditLog.firstSeq(c);
        if (first.isEmpty()) {
            return new Plan(before, Optional.empty(), 0, 0, Optional.empty());
        }
        long keepFrom = AuditLog.firstSeqFrom(c, before).orElse(AuditLog.head(c).seq() + 1);
        Optional<Checkpoint> at = AuditLog.checkpoints(c).stream()
            .filter(cp -> cp.seq() >= first.getAsLong() && cp.seq() < keepFrom)
            .max(Comparator.comparingLong(Checkpoint::seq).thenComparingLong(Checkpoint::number));
        if (at.isEmpty()) {
            return new Plan(before, Optional.empty(), 0, 0, timeOf(c, first.getAsLong()));
        }
        long through = at.get().seq();
        return new Plan(before, at, first.getAsLong(), through - first.getAsLong() + 1, timeOf(c, through + 1));
    }

    /**
     * Carries out {@code plan} in {@code c}'s transaction (the caller commits, with the event
     * that records the cut).
     *
     * @return how many events were removed
     * @throws IllegalArgumentException if the plan removes nothing
     */
    public static long cut(Connection c, Plan plan) throws SQLException {
        Checkpoint at = plan.checkpoint().filter(cp -> !plan.nothing())
            .orElseThrow(() -> new IllegalArgumentException("the plan removes nothing"));
        try (PreparedStatement s = c.prepareStatement("SELECT audit_cut(?)")) {
            s.setLong(1, at.number());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Optional<Instant> timeOf(Connection c, long seq) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT time FROM audit_event WHERE seq >= ? ORDER BY seq LIMIT 1")) {
            s.setLong(1, seq);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getTimestamp(1).toInstant()) : Optional.empty();
            }
        }
    }
}
