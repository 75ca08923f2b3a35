package dev.mainstay.platform.auditing;

import dev.mainstay.audit.AuditEvent;
import dev.mainstay.audit.AuditLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.ContextNotActiveException;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import org.hibernate.Session;

/**
 * Records audit events in the transaction of the change they describe, on that transaction's own
 * connection: the event commits with the change or not at all.
 */
@ApplicationScoped
public class AuditTrail {

    @PersistenceContext(unitName = "mainstay")
    EntityManager em;

    private final AuditLog log;
    private final Instance<AuditRequest> request;
    private final Clock clock;

    @Inject
    AuditTrail(AuditSettings settings, Instance<AuditRequest> request, Clock clock) {
        this.log = new AuditLog(settings.crypto());
        this.request = request;
        this.clock = clock;
    }

    /**
     * Appends an event; must run inside the transaction of the change it describes.
     *
     * @param actor   who did it
     * @param org     the org it concerns, or empty
     * @param action  what, e.g. {@code token.create}
     * @param target  what it was done to
     * @param outcome how it ended
     * @param details further facts; never a secret or a confidential value
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(AuditEvent.Actor actor, String org, String action, AuditEvent.Target target, AuditEvent.Outcome outcome,
                       Map<String, String> details) {
        AuditEvent event = new AuditEvent(clock.instant(), actor, currentRequest(), org, action, target, outcome, details);
        em.unwrap(Session.class).doWork(connection -> log.append(connection, event));
    }

    /**
     * Appends an event on {@code c}, in the transaction open on it: for background work that runs
     * on a plain JDBC connection rather than in a container transaction.
     */
    public void record(Connection c, AuditEvent.Actor actor, String org, String action, AuditEvent.Target target,
                       AuditEvent.Outcome outcome, Map<String, String> details) throws SQLException {
        log.append(c, new AuditEvent(clock.instant(), actor, currentRequest(), org, action, target, outcome, details));
    }

    private AuditEvent.Request currentRequest() {
        try {
            return request.get().get();
        } catch (ContextNotActiveException e) {
            return AuditEvent.Request.NONE;
        }
    }
}
