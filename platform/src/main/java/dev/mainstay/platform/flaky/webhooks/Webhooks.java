package dev.mainstay.platform.flaky.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mainstay.audit.AuditEvent;
import dev.mainstay.platform.auditing.AuditTrail;
import dev.mainstay.platform.crypto.FieldCipher;
import dev.mainstay.platform.crypto.FieldContext;
import dev.mainstay.platform.identity.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.net.URI;
import java.net.URISyntaxException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.Session;
import org.hibernate.jdbc.ReturningWork;

/**
 * An org's webhooks: made by an org admin with a secret Mainstay generates and shows once, stored
 * encrypted under the org's {@value #PURPOSE} data key; paused and resumed; removed with their
 * deliveries; pinged. Every change is audited with what was before and after (never the secret).
 */
@ApplicationScoped
public class Webhooks {

    /** The org data key that encrypts webhook secrets. */
    static final String PURPOSE = "webhooks";
    /** The longest URL a webhook may have. */
    static final int MAX_URL = 2000;

    private static final ObjectMapper JSON = new ObjectMapper();

    @PersistenceContext(unitName = "mainstay")
    EntityManager em;

    private final FieldCipher cipher;
    private final AuditTrail audit;
    private final WebhookSettings settings;
    private final WebhookSignature signature;
    private final Clock clock;

    /** The answer to a request to make a webhook. */
    public sealed interface Making {
        /**
         * Made; {@code secret} is shown this once.
         *
         * @param view   the webhook
         * @param secret the signing secret
         */
        record Made(WebhookView view, String secret) implements Making {
        }

        /**
         * Not valid.
         *
         * @param field  the field at fault
         * @param reason what is wrong with it
         */
        record Refused(String field, String reason) implements Making {
        }
    }

    @Inject
    Webhooks(FieldCipher cipher, AuditTrail audit, WebhookSettings settings, WebhookSignature signature, Clock clock) {
        this.cipher = cipher;
        this.audit = audit;
        this.settings = settings;
        this.signature = signature;
        this.clock = clock;
    }

    /** Makes a webhook of {@code org} posting {@code events} to {@code url}, or says which field is wrong. */
    @Transactional
    public Making make(String org, String url, List<String> events, Caller by) {
        Optional<String> badUrl = urlProblem(url, settings.allowHttp());
        if (badUrl.isPresent()) {
            return new Making.Refused("url", badUrl.get());
        }
        if (events == null || events.isEmpty()) {
            return new Making.Refused("events", "subscribe to at least one of " + WebhookOutbox.EVENTS);
        }
        for (String event : events) {
            if (!WebhookOutbox.EVENTS.contains(event)) {
                return new Making.Refused("events", "'" + event + "' is not a webhook event; choose from " + WebhookOutbox.EVENTS);
            }
        }
        UUID id = UUID.randomUUID();
        String secret = signature.newSecret();
        Instant now = clock.instant();
        List<String> subscribed = WebhookOutbox.EVENTS.stream().filter(events::contains).toList();
        WebhookView view = new WebhookView(id, url.strip(), subscribed, true, by.name(), now);
        byte[] sealed = cipher.encryptString(secretContext(org, id), secret);
        jdbc(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO flaky_webhook (id, org, url, events, secret, enabled, created_by,"
                + " created_at) VALUES (?, ?, ?, ?, ?, TRUE, ?, ?)")) {
                s.setObject(1, id);
                s.setString(2, org);
                s.setString(3, view.url());
                s.setArray(4, c.createArrayOf("text", subscribed.toArray()));
                s.setBytes(5, sealed);
                s.setString(6, by.name());
                s.setTimestamp(7, Timestamp.from(now));
                return s.executeUpdate();
            }
        });
        record(by, org, "webhook.create", id, Map.of("after", json(view)));
        return new Making.Made(view, secret);
    }

    /** The org's webhooks, oldest first. */
    @Transactional
    public List<WebhookView> list(String org) {
        return jdbc(c -> select(c, org, Optional.empty()));
    }

    /** The org's newest {@code limit} deliveries, newest first. */
    @Transactional
    public List<DeliveryView> deliveries(String org, int limit) {
        return jdbc(c -> {
            List<DeliveryView> out = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT d.id, d.webhook_id, w.url, d.event, d.state, d.attempts, d.last_status,"
                + " d.last_error, d.created_at, d.last_attempt_at, d.next_attempt_at FROM flaky_webhook_delivery d"
                + " JOIN flaky_webhook w ON w.id = d.webhook_id WHERE d.org = ? ORDER BY d.created_at DESC, d.id LIMIT ?")) {
                s.setString(1, org);
                s.setInt(2, limit);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        out.add(new DeliveryView(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getInt(6), (Integer) rs.getObject(7), rs.getString(8), instant(rs.getTimestamp(9)),
                            instant(rs.getTimestamp(10)), instant(rs.getTimestamp(11))));
                    }
                }
            }
            return out;
        });
    }

    /**
     * Removes a webhook of {@code org} and its deliveries, pending ones included.
     *
     * @param id as the caller gave it; one that is not a UUID names no webhook
     * @return the removed webhook, or empty when the org has no such webhook
     */
    @Transactional
    public Optional<WebhookView> remove(String org, String id, Caller by) {
        Optional<WebhookView> found = find(org, id);
        found.ifPresent(view -> {
            jdbc(c -> {
                try (PreparedStatement s = c.prepareStatement("DELETE FROM flaky_webhook WHERE id = ? AND org = ?")) {
                    s.setObject(1, view.id());
                    s.setString(2, org);
                    return s.executeUpdate();
                }
            });
            record(by, org, "webhook.delete", view.id(), Map.of("before", json(view)));
        });
        return found;
    }

    /**
     * Pauses ({@code enabled} false) or resumes a webhook of {@code org}: while paused, no event is
     * queued for it and its pending deliveries wait.
     *
     * @return the webhook as it is now, or empty when the org has no such webhook
     */
    @Transactional
    public Optional<WebhookView> enable(String org, String id, boolean enabled, Caller by) {
        return find(org, id).map(before -> {
            jdbc(c -> {
                try (PreparedStatement s = c.prepareStatement("UPDATE flaky_webhook SET enabled = ? WHERE id = ? AND org = ?")) {
                    s.setBoolean(1, enabled);
                    s.setObject(2, before.id());
                    s.setString(3, org);
                    return s.executeUpdate();
                }
            });
            WebhookView after = new WebhookView(before.id(), before.url(), before.events(), enabled, before.createdBy(), before.createdAt());
            record(by, org, "webhook.update", before.id(), Map.of("before", json(before), "after", json(after)));
            return after;
        });
    }

    /**
     * Queues a {@value WebhookOutbox#PING} for a webhook of {@code org}, whatever it is subscribed to;
     * while the webhook is paused, the ping waits for it to be resumed.
     *
     * @return the delivery's id, or empty when the org has no such webhook
     */
    @Transactional
    public Optional<UUID> ping(String org, String id, Caller by) {
        return find(org, id).map(view -> {
            Instant now = clock.instant();
            ObjectNode data = JSON.createObjectNode();
            data.put("webhook", view.id().toString());
            data.put("requested_by", by.name());
            UUID delivery = jdbc(c -> WebhookOutbox.ping(c, org, view.id(), data, now));
            record(by, org, "webhook.test", view.id(), Map.of("delivery", delivery.toString()));
            return delivery;
        });
    }

    /** Where a webhook's secret is bound: its org, table, column and row. */
    static FieldContext secretContext(String org, UUID webhook) {
        return new FieldContext(org, PURPOSE, "flaky_webhook", "secret", webhook.toString());
    }

    /**
     * What is wrong with {@code url} as a webhook URL, if anything: it must be absolute, {@code https}
     * (or {@code http} when allowed), name a host, and carry no user name or password (they would be
     * stored and shown in plaintext; the signature is what authenticates Mainstay).
     */
    static Optional<String> urlProblem(String url, boolean allowHttp) {
        if (url == null || url.isBlank()) {
            return Optional.of("give the https:// URL the deliveries are POSTed to");
        }
        String u = url.strip();
        if (u.length() > MAX_URL) {
            return Optional.of("a webhook URL has at most " + MAX_URL + " characters, not " + u.length());
        }
        URI uri;
        try {
            uri = new URI(u);
        } catch (URISyntaxException e) {
            return Optional.of("'" + u + "' is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("http") && !allowHttp) {
            return Optional.of("webhooks are sent over https only; plain http is refused unless the appliance's "
                + WebhookSettings.ALLOW_HTTP + " is true");
        }
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return Optional.of("'" + u + "' is not an https:// URL");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return Optional.of("'" + u + "' names no host");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("put no user name or password in the URL: it would be stored and shown as is; receivers check the"
                + " X-Mainstay-Signature header instead");
        }
        if (uri.getRawFragment() != null) {
            return Optional.of("a webhook URL has no #fragment");
        }
        return Optional.empty();
    }

    private Optional<WebhookView> find(String org, String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return jdbc(c -> select(c, org, Optional.of(uuid))).stream().findFirst();
    }

    private static List<WebhookView> select(Connection c, String org, Optional<UUID> only) throws SQLException {
        List<WebhookView> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT id, url, events, enabled, created_by, created_at FROM flaky_webhook"
            + " WHERE org = ?" + (only.isPresent() ? " AND id = ?" : "") + " ORDER BY created_at, id FOR SHARE")) {
            s.setString(1, org);
            if (only.isPresent()) {
                s.setObject(2, only.get());
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new WebhookView(rs.getObject(1, UUID.class), rs.getString(2), List.of((String[]) rs.getArray(3).getArray()),
                        rs.getBoolean(4), rs.getString(5), rs.getTimestamp(6).toInstant()));
                }
            }
        }
        return out;
    }

    private void record(Caller by, String org, String action, UUID webhook, Map<String, String> details) {
        audit.record(by.actor(), org, action, new AuditEvent.Target("webhook", webhook.toString()), AuditEvent.Outcome.SUCCESS, details);
    }

    private <T> T jdbc(ReturningWork<T> work) {
        return em.unwrap(Session.class).doReturningWork(work);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    /** A webhook as audit details show it. */
    static String json(WebhookView view) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("url", view.url());
        out.put("events", view.events());
        out.put("enabled", view.enabled());
        try {
            return JSON.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a webhook could not be written as JSON: " + e.getMessage(), e);
        }
    }
}
