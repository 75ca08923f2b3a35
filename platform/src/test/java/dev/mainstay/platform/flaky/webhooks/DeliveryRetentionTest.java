package dev.mainstay.platform.flaky.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mainstay.testkit.MainstayDatabase;
import dev.mainstay.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The webhook-delivery-retention job, run for chosen times: no clock, no waiting. */
@MainstayDatabase
class DeliveryRetentionTest {

    private static final Instant NOW = Instant.parse("2026-06-01T03:30:00Z");

    @Test
    void a_finished_delivery_is_deleted_thirty_days_after_it_finished_and_a_pending_one_never(TestDatabase shared) throws Exception {
        TestDatabase db = shared.fresh();
        UUID webhook = UUID.randomUUID();
        try (Connection c = db.connect();
             PreparedStatement s = c.prepareStatement("INSERT INTO flaky_webhook (id, org, url, events, secret, created_by, created_at)"
                 + " VALUES (?, 'acme', 'https://hooks.example.com/x', ARRAY['test.flaky'], '\\x00'::bytea, 'admin', ?)")) {
            s.setObject(1, webhook);
            s.setTimestamp(2, Timestamp.from(NOW.minus(Duration.ofDays(400))));
            s.executeUpdate();
            delivery(c, webhook, "delivered-31-days-ago", "delivered", NOW.minus(Duration.ofDays(31)));
            delivery(c, webhook, "failed-29-days-ago", "failed", NOW.minus(Duration.ofDays(29)));
            delivery(c, webhook, "pending-since-a-year", "pending", null);
        }
        DeliveryRetention job = new DeliveryRetention(dataSource(db));

        assertEquals(Map.of("deliveries", 1L), job.run(NOW));
        assertEquals(List.of("failed-29-days-ago", "pending-since-a-year"), events(db));

        assertEquals(Map.of("deliveries", 1L), job.run(NOW.plus(Duration.ofDays(2))), "two days on, the failed one is 31 days old");
        assertEquals(List.of("pending-since-a-year"), events(db));
        assertEquals(Map.of("deliveries", 0L), job.run(NOW.plus(Duration.ofDays(3650))), "a pending delivery is never deleted");
    }

    private static void delivery(Connection c, UUID webhook, String event, String state, Instant finished) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO flaky_webhook_delivery (id, webhook_id, org, event_id, event, payload,"
            + " state, next_attempt_at, created_at, finished_at) VALUES (?, ?, 'acme', ?, ?, '{}', ?, ?, ?, ?)")) {
            s.setObject(1, UUID.randomUUID());
            s.setObject(2, webhook);
            s.setObject(3, UUID.randomUUID());
            s.setString(4, event);
            s.setString(5, state);
            s.setTimestamp(6, finished == null ? Timestamp.from(NOW) : null);
            s.setTimestamp(7, Timestamp.from(NOW.minus(Duration.ofDays(365))));
            s.setTimestamp(8, finished == null ? null : Timestamp.from(finished));
            s.executeUpdate();
        }
    }

    private static List<String> events(TestDatabase db) throws SQLException {
        return db.column("SELECT event FROM flaky_webhook_delivery ORDER BY event");
    }

    private static PGSimpleDataSource dataSource(TestDatabase db) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(db.jdbcUrl());
        dataSource.setUser(db.user());
        dataSource.setPassword(db.password());
        return dataSource;
    }
}
