package dev.mainstay.platform.queue.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mainstay.testkit.MainstayDatabase;
import dev.mainstay.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The queue-retention job, run for a chosen time: no clock, no waiting. */
@MainstayDatabase
class QueueRetentionTest {

    private static final Instant NOW = Instant.parse("2026-06-01T03:10:00Z");

    @Test
    void applied_events_and_done_decisions_go_after_30_days_history_after_90_and_pending_work_never(TestDatabase shared)
        throws Exception {
        TestDatabase db = shared.fresh();
        UUID queue = UUID.randomUUID();
        try (Connection c = db.connect()) {
            update(c, "INSERT INTO merge_queue (id, repo, branch, state, created_at, updated_at) VALUES (?, 'acme/app', 'main',"
                + " '\\x00'::bytea, ?, ?)", queue, days(400), days(1));
            String event = "INSERT INTO merge_queue_event (id, queue_id, source, event, at, applied_at, failed_at)"
                + " VALUES (?, ?, ?, '\\x00'::bytea, ?, ?, ?)";
            update(c, event, UUID.randomUUID(), queue, "applied-31-days-ago", days(31), days(31), null);
            update(c, event, UUID.randomUUID(), queue, "set-aside-31-days-ago", days(31), null, days(31));
            update(c, event, UUID.randomUUID(), queue, "applied-29-days-ago", days(29), days(29), null);
            update(c, event, UUID.randomUUID(), queue, "pending-since-a-year", days(365), null, null);
            String decision = "INSERT INTO merge_queue_outbox (id, queue_id, position, decision, created_at, done_at)"
                + " VALUES (?, ?, 0, '\\x00'::bytea, ?, ?)";
            update(c, decision, UUID.randomUUID(), queue, days(40), days(31));
            update(c, decision, UUID.randomUUID(), queue, days(365), null);
            String left = "INSERT INTO merge_queue_history (id, queue_id, pr, outcome, enqueued_at, left_at) VALUES (?, ?, ?, 'merged', ?, ?)";
            update(c, left, UUID.randomUUID(), queue, 1, days(100), days(91));
            update(c, left, UUID.randomUUID(), queue, 2, days(100), days(89));
        }
        QueueRetention job = new QueueRetention(dataSource(db));

        Map<String, Long> expected = new LinkedHashMap<>();
        expected.put("events", 2L);
        expected.put("decisions", 1L);
        expected.put("history", 1L);
        expected.put("tests", 0L);
        expected.put("targets", 0L);
        assertEquals(expected, job.run(NOW), "what the run counts, as the Jobs page shows it");
        assertEquals(List.of("applied-29-days-ago", "pending-since-a-year"), db.column("SELECT source FROM merge_queue_event ORDER BY 1"));
        assertEquals(List.of("pending"), db.column("SELECT CASE WHEN done_at IS NULL THEN 'pending' ELSE 'done' END FROM merge_queue_outbox"));
        assertEquals(List.of("2"), db.column("SELECT pr FROM merge_queue_history"));
        assertEquals(List.of("acme/app"), db.column("SELECT repo FROM merge_queue"), "the queue itself stays");
    }

    private static Timestamp days(int ago) {
        return Timestamp.from(NOW.minus(Duration.ofDays(ago)));
    }

    private static void update(Connection c, String sql, Object... values) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                s.setObject(i + 1, values[i]);
            }
            s.executeUpdate();
        }
    }

    private static PGSimpleDataSource dataSource(TestDatabase db) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(db.jdbcUrl());
        dataSource.setUser(db.user());
        dataSource.setPassword(db.password());
        return dataSource;
    }
}
