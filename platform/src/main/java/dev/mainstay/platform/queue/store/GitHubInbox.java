package dev.mainstay.platform.queue.store;

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
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The inbox of GitHub webhook deliveries: each one stored once, encrypted, before GitHub is answered. */
@ApplicationScoped
public class GitHubInbox {

    /** Which of the appliance's data keys encrypts payloads. */
    static final String PURPOSE = "github";

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
