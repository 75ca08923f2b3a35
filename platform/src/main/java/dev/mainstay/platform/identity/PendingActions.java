package dev.mainstay.platform.identity;

import dev.mainstay.platform.crypto.FieldCipher;
import dev.mainstay.platform.crypto.FieldContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.Session;

/**
 * Sensitive forms kept across a step-up sign-in. When a person submits a form whose action needs
 * a recent sign-in and theirs is older, the form's fields (without its anti-CSRF token) are sealed
 * and kept here, bound to the person's subject, for {@link #LIFETIME}; after they have signed in
 * again, the continue page takes it — once — and offers it back to be sent.
 *
 * <p>Why server-side: the browser is sent through Keycloak and back, and a form cannot survive
 * that on its own; a cookie or a URL would carry the fields to places that log them. Why bound to
 * the subject rather than the session: signing in again makes a new session.
 */
@ApplicationScoped
public class PendingActions {

    /** How long a kept form waits for its person to sign in again. */
    static final Duration LIFETIME = Duration.ofMinutes(10);
    private static final String TABLE = "identity_pending_action";

    @PersistenceContext(unitName = "mainstay")
    EntityManager em;

    private final FieldCipher cipher;
    private final Clock clock;

    /**
     * A kept form.
     *
     * @param path   where it was posted, its query included
     * @param fields its fields in order, each name with its value
     */
    public record Pending(String path, List<Map.Entry<String, String>> fields) {
    }

    @Inject
    PendingActions(FieldCipher cipher, Clock clock) {
        this.cipher = cipher;
        this.clock = clock;
    }

    /** Keeps {@code fields} posted to {@code path} by {@code subject}; returns its id. Expired ones are dropped on the way. */
    @Transactional
    public UUID keep(String subject, String path, List<Map.Entry<String, String>> fields) {
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        byte[] sealed = cipher.encryptString(context(id), encode(fields));
        em.unwrap(Session.class).doWork(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM " + TABLE + " WHERE expires_at < ?")) {
                s.setTimestamp(1, Timestamp.from(now));
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement("INSERT INTO " + TABLE + " (id, subject, path, form, created_at, expires_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)")) {
                s.setObject(1, id);
                s.setString(2, subject);
                s.setString(3, path);
                s.setBytes(4, sealed);
                s.setTimestamp(5, Timestamp.from(now));
                s.setTimestamp(6, Timestamp.from(now.plus(LIFETIME)));
                s.executeUpdate();
            }
        });
        return id;
    }

    /**
     * Takes the form {@code id} that {@code subject} kept, deleting it: a form is offered back once.
     * Another person's form, an expired one or one already taken is empty.
     */
    @Transactional
    public Optional<Pending> take(String subject, UUID id) {
        Instant now = clock.instant();
        return em.unwrap(Session.class).doReturningWork(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM " + TABLE + " WHERE id = ? AND subject = ?"
                + " RETURNING path, form, expires_at")) {
                s.setObject(1, id);
                s.setString(2, subject);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next() || !rs.getTimestamp(3).toInstant().isAfter(now)) {
                        return Optional.<Pending>empty();
                    }
                    return Optional.of(new Pending(rs.getString(1), decode(cipher.decryptString(context(id), rs.getBytes(2)))));
                }
            }
        });
    }

    private static FieldContext context(UUID id) {
        return new FieldContext(FieldContext.APPLIANCE, UiSession.ENCRYPTION_PURPOSE, TABLE, "form", id.toString());
    }

    /** The fields as {@code application/x-www-form-urlencoded}, which keeps their order and repeated names. */
    static String encode(List<Map.Entry<String, String>> fields) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> f : fields) {
            if (!out.isEmpty()) {
                out.append('&');
            }
            out.append(URLEncoder.encode(f.getKey(), StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(f.getValue(), StandardCharsets.UTF_8));
        }
        return out.toString();
    }

    static List<Map.Entry<String, String>> decode(String encoded) {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        if (encoded.isEmpty()) {
            return fields;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            fields.add(Map.entry(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8)));
        }
        return fields;
    }
}
