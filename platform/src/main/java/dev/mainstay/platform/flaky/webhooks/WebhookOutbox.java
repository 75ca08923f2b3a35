package dev.mainstay.platform.flaky.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Where features put the events webhooks deliver: one pending delivery per enabled webhook of the
 * org subscribed to the event, written on the caller's connection, in the caller's transaction, so
 * the event and its deliveries commit with the change that caused them or not at all.
 * {@link WebhookDeliverer} sends them: within {@value WebhookDeliverer#POLL_SECONDS} s, or at once
 * when the caller calls {@link WebhookDeliverer#wake()} after its commit.
 *
 * <p>The body every attempt of a delivery sends, version 1 (persisted in the outbox; a change of
 * shape is a new {@code version}):
 * <pre>
 * {"version": 1, "id": "&lt;event id&gt;", "type": "flaky.status_changed", "org": "acme",
 *  "created_at": "2026-10-01T12:00:00Z", "data": {…the event's own fields…}}
 * </pre>
 */
public final class WebhookOutbox {

    /** A test's flaky-test status changed (healthy, flaky, broken). */
    public static final String FLAKY_STATUS_CHANGED = "flaky.status_changed";
    /** A test was quarantined, or its quarantine lifted. */
    public static final String QUARANTINE_CHANGED = "quarantine.changed";
    /** The events a webhook may subscribe to. */
    public static final List<String> EVENTS = List.of(FLAKY_STATUS_CHANGED, QUARANTINE_CHANGED);
    /** What {@code POST …/webhooks/{id}/test} sends to one webhook, whatever it is subscribed to. */
    static final String PING = "ping";
    /** The version of the delivery body. */
    static final int VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper();

    private WebhookOutbox() {
    }

    /**
     * Queues {@code event} with {@code data} for every enabled webhook of {@code org} subscribed to
     * it, on {@code c}, in its current transaction.
     *
     * @param c     the caller's connection, inside the transaction of the change
     * @param org   the org the change happened in
     * @param event one of {@link #EVENTS}
     * @param data  the event's fields, the body's {@code data}
     * @param now   when the event happened
     * @throws IllegalArgumentException if {@code event} is not one of {@link #EVENTS}
     * @throws SQLException             if the outbox cannot be written; the caller's transaction should roll back
     */
    public static void enqueue(Connection c, String org, String event, ObjectNode data, Instant now) throws SQLException {
        Objects.requireNonNull(org, "org");
        Objects.requireNonNull(data, "data");
        if (!EVENTS.contains(event)) {
            throw new IllegalArgumentException("'" + event + "' is not a webhook event; the events are " + EVENTS);
        }
        UUID id = UUID.randomUUID();
        try (PreparedStatement s = c.prepareStatement("INSERT INTO flaky_webhook_delivery (id, webhook_id, org, event_id, event, payload,"
            + " state, attempts, next_attempt_at, created_at) SELECT gen_random_uuid(), w.id, w.org, ?, ?, ?, 'pending', 0, ?, ?"
            + " FROM flaky_webhook w WHERE w.org = ? AND w.enabled AND ? = ANY(w.events)")) {
            s.setObject(1, id);
            s.setString(2, event);
            s.setString(3, body(id, org, event, data, now));
            s.setTimestamp(4, Timestamp.from(now));
            s.setTimestamp(5, Timestamp.from(now));
            s.setString(6, org);
            s.setString(7, event);
            s.executeUpdate();
        }
    }

    /** Queues a {@value #PING} for the one webhook {@code webhook} of {@code org}; returns the delivery's id. */
    static UUID ping(Connection c, String org, UUID webhook, ObjectNode data, Instant now) throws SQLException {
        UUID delivery = UUID.randomUUID();
        UUID event = UUID.randomUUID();
        try (PreparedStatement s = c.prepareStatement("INSERT INTO flaky_webhook_delivery (id, webhook_id, org, event_id, event, payload,"
            + " state, attempts, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)")) {
            s.setObject(1, delivery);
            s.setObject(2, webhook);
            s.setString(3, org);
            s.setObject(4, event);
            s.setString(5, PING);
            s.setString(6, body(event, org, PING, data, now));
            s.setTimestamp(7, Timestamp.from(now));
            s.setTimestamp(8, Timestamp.from(now));
            s.executeUpdate();
        }
        return delivery;
    }

    private static String body(UUID id, String org, String event, ObjectNode data, Instant now) {
        ObjectNode body = JSON.createObjectNode();
        body.put("version", VERSION);
        body.put("id", id.toString());
        body.put("type", event);
        body.put("org", org);
        body.put("created_at", now.truncatedTo(ChronoUnit.MILLIS).toString());
        body.set("data", data);
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event body could not be written as JSON: " + e.getMessage(), e);
        }
    }
}
