package dev.mainstay.platform.flaky;

import dev.mainstay.platform.auditing.AuditTrail;
import dev.mainstay.platform.flaky.webhooks.WebhookDeliverer;
import dev.mainstay.platform.identity.Caller;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hibernate.Session;

/**
 * Quarantine for the pages and the API, each call in one container transaction: what is in force,
 * quarantining and lifting, and the repositories' auto-quarantine policies. Every change is audited
 * in its transaction ({@link QuarantineStore}).
 */
@ApplicationScoped
public class Quarantines {

    @PersistenceContext(unitName = "mainstay")
    EntityManager em;

    private final AuditTrail audit;
    private final WebhookDeliverer webhooks;
    private final Event<Changed> changed;

    @Inject
    Quarantines(AuditTrail audit, WebhookDeliverer webhooks, Event<Changed> changed) {
        this.audit = audit;
        this.webhooks = webhooks;
        this.changed = changed;
    }

    /** Fired in the transaction of a change, so that its webhook events are sent once it commits. */
    record Changed(String org) {
    }

    void committed(@Observes(during = TransactionPhase.AFTER_SUCCESS) Changed change) {
        webhooks.wake();
    }

    /** A test detection has never seen (no upload named it). */
    public static final class UnknownTest extends RuntimeException {
        UnknownTest(String testId) {
            super("no test with the id " + testId + " in this org; ids are those of the test list and of GET /api/v1/quarantine");
        }
    }

    /** The quarantines in force in {@code org}, in {@code repo} only when given. */
    @Transactional
    public List<Quarantine> active(String org, Optional<String> repo, Instant now) {
        return work(c -> QuarantineStore.active(c, org, repo, now));
    }

    /** {@code testId}'s quarantine in force, if any. */
    @Transactional
    public Optional<Quarantine> of(String org, String testId, Instant now) {
        return work(c -> QuarantineStore.find(c, org, testId, now));
    }

    /**
     * Quarantines {@code testId} by {@code by}'s decision, replacing a quarantine it had.
     *
     * @throws UnknownTest when no upload of the org named the test
     */
    @Transactional
    public Quarantine quarantine(Caller by, String org, String testId, String reason, String owner, Optional<Instant> expires, Instant now) {
        return work(c -> {
            QuarantineStore.Test test = QuarantineStore.test(c, org, testId).orElseThrow(() -> new UnknownTest(testId));
            Quarantine q = QuarantineStore.put(c, audit, by.actor(), org, test, "manual", reason, owner, expires, now);
            changed.fire(new Changed(org));
            return q;
        });
    }

    /** Lifts {@code testId}'s quarantine; empty when it had none in force. */
    @Transactional
    public Optional<Quarantine> lift(Caller by, String org, String testId, Instant now) {
        Optional<Quarantine> lifted = work(c -> QuarantineStore.lift(c, audit, by.actor(), org, testId, "lifted by " + by.name(), now));
        lifted.ifPresent(q -> changed.fire(new Changed(org)));
        return lifted;
    }

    /** {@code repo}'s auto-quarantine policy. */
    @Transactional
    public QuarantinePolicy policy(String org, String repo) {
        return work(c -> QuarantineStore.policy(c, org, repo));
    }

    /**
     * Stores {@code repo}'s policy; turning auto-quarantine on quarantines the tests already flaky.
     *
     * @return how many tests that quarantined
     */
    @Transactional
    public int savePolicy(Caller by, String org, String repo, QuarantinePolicy policy, Instant now) {
        int quarantined = work(c -> QuarantineStore.savePolicy(c, audit, by.actor(), org, repo, policy, now));
        if (quarantined > 0) {
            changed.fire(new Changed(org));
        }
        return quarantined;
    }

    private interface Work<T> {
        T on(Connection c) throws SQLException;
    }

    private <T> T work(Work<T> work) {
        return em.unwrap(Session.class).doReturningWork(work::on);
    }
}
