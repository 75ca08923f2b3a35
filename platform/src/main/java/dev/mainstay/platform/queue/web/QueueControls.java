package dev.mainstay.platform.queue.web;

import dev.mainstay.audit.AuditEvent;
import dev.mainstay.platform.app.ApplianceConfig;
import dev.mainstay.platform.auditing.AuditTrail;
import dev.mainstay.platform.identity.Caller;
import dev.mainstay.platform.queue.worker.QueueStore;
import dev.mainstay.platform.queue.worker.QueueStore.QueueKey;
import dev.mainstay.platform.queue.worker.QueueWorker;
import dev.mainstay.queue.engine.QueueEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Stopping and starting a merge queue, from the API or its page: {@code pause} (no candidate test
 * starts and nothing merges; tests running finish and their results are kept), {@code drain} (what
 * is queued now is tested and merged, then the queue pauses; pull requests queued meanwhile wait)
 * and {@code resume}. Each is a queue event, so replicas agree and a restart keeps it, and each is
 * audited with its reason.
 */
@ApplicationScoped
public class QueueControls {

    /** What can be done to a queue as a whole. */
    public enum Control {
        PAUSE, DRAIN, RESUME;

        /** The control a word names ({@code pause}, {@code drain}, {@code resume}). */
        public static Optional<Control> of(String word) {
            for (Control c : values()) {
                if (c.word().equals(word)) {
                    return Optional.of(c);
                }
            }
            return Optional.empty();
        }

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A reason is at most this long. */
    public static final int MAX_REASON = 500;

    private final DataSource dataSource;
    private final QueueStore store;
    private final QueueWorker worker;
    private final AuditTrail audit;
    private final Clock clock;

    @Inject
    QueueControls(@Named(ApplianceConfig.DATA_SOURCE) DataSource dataSource, QueueStore store, QueueWorker worker, AuditTrail audit,
                  Clock clock) {
        this.dataSource = dataSource;
        this.store = store;
        this.worker = worker;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Applies {@code control} to the queue of {@code key} for {@code caller} of {@code org}, with
     * {@code reason} (may be empty), in one transaction with its audit record.
     *
     * @return false when the branch has no queue yet
     * @throws IllegalArgumentException when the reason is too long or not printable
     */
    public boolean apply(Caller caller, String org, QueueKey key, Control control, String reason) throws SQLException {
        String why = reason == null ? "" : reason.strip();
        if (why.length() > MAX_REASON || why.chars().anyMatch(ch -> ch < 0x20)) {
            throw new IllegalArgumentException("a reason is at most " + MAX_REASON + " characters on one line");
        }
        QueueEvent event = switch (control) {
            case PAUSE -> new QueueEvent.Pause(why);
            case DRAIN -> new QueueEvent.Drain();
            case RESUME -> new QueueEvent.Resume();
        };
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Optional<UUID> queue = store.find(c, key);
                if (queue.isEmpty()) {
                    c.rollback();
                    return false;
                }
                store.submitTo(c, queue.get(), event, "control:" + org + ":" + UUID.randomUUID(), clock.instant());
                Map<String, String> details = new LinkedHashMap<>();
                details.put("repository", key.repo());
                details.put("branch", key.branch());
                if (!why.isEmpty()) {
                    details.put("reason", why);
                }
                audit.record(c, caller.actor(), org, "queue." + control.word(), new AuditEvent.Target("merge-queue",
                    key.repo() + " " + key.branch()), AuditEvent.Outcome.SUCCESS, details);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        worker.wake();
        return true;
    }
}
