package dev.mainstay.platform.queue.inbound;

import dev.mainstay.audit.AuditEvent;
import dev.mainstay.platform.auditing.AuditTrail;
import dev.mainstay.platform.crypto.FieldCipher;
import dev.mainstay.platform.crypto.FieldContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The inbox of GitHub webhook deliveries: each one stored once, encrypted, before GitHub is answered. */
@ApplicationScoped
public class GitHubInbox {

    /** Which of the appliance's data keys encrypts payloads. */
    public static final String PURPOSE = "github";

    /** Who delivers: GitHub, authenticated by the webhook secret. */
    static final AuditEvent.Actor GITHUB = new AuditEvent.Actor("code-host", "github", "GitHub", "", "");

    @PersistenceContext(unitName = "mainstay")
    EntityManager em;

    private final FieldCipher cipher;
    private final AuditTrail audit;

    @Inject
    GitHubInbox(FieldCipher cipher, AuditTrail audit) {
        this.cipher = cipher;
        this.audit = audit;
    }

    /** A delivery whose signature checked out. */
    public record Delivery(String id, String event, String action, Long installation, String repo, byte[] body) {
    }

    /** Whether a delivery was new. */
    public enum Stored {
        STORED, DUPLICATE
    }

    /**
     * Stores {@code delivery} unless one with its id or its very body is stored already, and records it.
     * A duplicate changes nothing.
     */
    @Transactional
    public Stored store(Delivery delivery, Instant now) {
        byte[] sealed = cipher.encrypt(payloadContext(delivery.id()),
            delivery.body());
        int inserted = em.createNativeQuery("INSERT INTO github_inbox (delivery_id, body_sha256, event, action, installation_id, repo,"
                + " payload, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT DO NOTHING")
            .setParameter(1, delivery.id()).setParameter(2, sha256(delivery.body())).setParameter(3, delivery.event())
            .setParameter(4, delivery.action()).setParameter(5, delivery.installation()).setParameter(6, delivery.repo())
            .setParameter(7, sealed).setParameter(8, Timestamp.from(now)).executeUpdate();
        if (inserted == 0) {
            return Stored.DUPLICATE;
        }
        Map<String, String> details = new LinkedHashMap<>();
        details.put("event", delivery.event());
        details.put("action", delivery.action());
        details.put("repository", delivery.repo());
        audit.record(GITHUB, "", "github.webhook.receive", new AuditEvent.Target("github-delivery", delivery.id()),
            AuditEvent.Outcome.SUCCESS, details);
        return Stored.STORED;
    }

    /** Records a delivery refused for its signature: someone who is not GitHub, or a wrong secret. */
    @Transactional
    public void refused(String deliveryId, String event, String why) {
        audit.record(GITHUB, "", "github.webhook.receive", new AuditEvent.Target("github-delivery", deliveryId),
            AuditEvent.Outcome.DENIED, Map.of("event", event, "reason", why));
    }

    /** A delivery's body is cleared this long after it was acted on (or given up on). */
    public static final Duration PAYLOAD_KEEP = Duration.ofDays(7);
    /** A delivery's id and body hash are kept this long after it arrived, so that a replay of it is dropped. */
    public static final Duration KEEP = Duration.ofDays(90);

    /**
     * Applies the inbox's retention at {@code now}: clears the body of deliveries acted on (or given
     * up on) more than {@link #PAYLOAD_KEEP} ago, and deletes those that arrived more than
     * {@link #KEEP} ago. Deliveries still to be acted on keep their body.
     *
     * @return how many bodies were cleared and rows deleted
     */
    public static int prune(Connection c, Instant now) throws SQLException {
        try (PreparedStatement clear = c.prepareStatement("UPDATE github_inbox SET payload = NULL WHERE payload IS NOT NULL"
                 + " AND COALESCE(processed_at, CASE WHEN attempts >= ? THEN received_at END) < ?");
             PreparedStatement delete = c.prepareStatement("DELETE FROM github_inbox WHERE received_at < ?")) {
            clear.setInt(1, GitHubIntake.MAX_ATTEMPTS);
            clear.setTimestamp(2, Timestamp.from(now.minus(PAYLOAD_KEEP)));
            delete.setTimestamp(1, Timestamp.from(now.minus(KEEP)));
            return clear.executeUpdate() + delete.executeUpdate();
        }
    }

    /** What a delivery's payload is encrypted for: the appliance's {@value #PURPOSE} key, bound to its row. */
    static FieldContext payloadContext(String deliveryId) {
        return new FieldContext(FieldContext.APPLIANCE, PURPOSE, "github_inbox", "payload", deliveryId);
    }

    static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }
}
