package dev.mainstay.platform.flaky;

import dev.mainstay.platform.app.ApplianceConfig;
import dev.mainstay.platform.auditing.AuditTrail;
import dev.mainstay.platform.flaky.webhooks.WebhookDeliverer;
import dev.mainstay.platform.jobs.work.BackgroundThread;
import dev.mainstay.platform.jobs.work.DurableWork;
import dev.mainstay.platform.jobs.work.WorkSettings;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Re-scores queued uploads' tests on one background thread, then ends the quarantines whose time is up: woken after each upload commits, and
 * every {@value #POLL_SECONDS} s in case a wake-up was lost (another replica's upload, a restart).
 * Each upload is re-scored in one transaction that also removes it from the queue ({@link DurableWork});
 * replicas take different uploads ({@code FOR UPDATE SKIP LOCKED}), and lock the verdict rows they change, in
 * test-id order, so two uploads touching one test are scored one after the other. A change of a
 * test's status queues a webhook event in the same transaction; the {@link WebhookDeliverer} is woken
 * once it has committed. A re-scoring that fails is not counted: it rolls back, and the upload is
 * tried again at the next drain.
 */
@ApplicationScoped
public class Rescoring {

    static final int POLL_SECONDS = 5;

    private static final Logger LOG = Logger.getLogger(Rescoring.class.getName());

    private final DataSource dataSource;
    private final Clock clock;
    private final AuditTrail audit;
    private final WebhookDeliverer webhooks;
    /** One upload per transaction; a failure is not counted, the upload waits for the next drain. */
    static final WorkSettings SETTINGS = new WorkSettings("mainstay-flaky-rescoring", Duration.ofSeconds(POLL_SECONDS), 1,
        Optional.empty());

    private final DurableWork<Verdicts.Queued> work;
    private final BackgroundThread background = SETTINGS.thread(LOG, "re-score queued uploads", this::drainAndLog);

    @Inject
    Rescoring(@Named(ApplianceConfig.DATA_SOURCE) DataSource dataSource, Clock clock, AuditTrail audit, WebhookDeliverer webhooks) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.audit = audit;
        this.webhooks = webhooks;
        this.work = new DurableWork<>(dataSource, clock, SETTINGS, new DurableWork.Steps<>() {
            @Override
            public Verdicts.Queued claim(Connection c, Instant now) throws SQLException {
                return Verdicts.claimNext(c);
            }

            @Override
            public void handle(Connection c, Verdicts.Queued upload, Instant now) throws SQLException {
                Verdicts.rescore(c, audit, upload, now);
            }

            @Override
            public void committed(Verdicts.Queued upload) {
                // The re-scoring may have queued status-change events; they are sendable only now.
                webhooks.wake();
            }

            @Override
            public String describe(Verdicts.Queued upload) {
                return "re-scoring upload " + upload.upload() + " of " + upload.org();
            }
        }, LOG);
    }

    void start(@Observes @Initialized(ApplicationScoped.class) Object event) {
        background.start();
    }

    /** Asks for the queue to be drained soon, on the background thread (one thread: drains never overlap). */
    void wake() {
        background.wake();
    }

    /**
     * Re-scores queued uploads until none is left (or another replica holds the rest), then ends the quarantines
     * whose expiry has passed.
     *
     * @return how many uploads were re-scored
     */
    public int drain() throws SQLException {
        int done = work.drain();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                int expired = QuarantineStore.expire(c, audit, clock.instant());
                c.commit();
                if (expired > 0) {
                    webhooks.wake();
                    LOG.info(() -> expired + " quarantines expired");
                }
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        return done;
    }

    private void drainAndLog() throws SQLException {
        int done = drain();
        if (done > 0) {
            LOG.fine(() -> "re-scored the tests of " + done + " uploads");
        }
    }

    @PreDestroy
    void stop() {
        background.stop();
    }
}
