package dev.mainstay.platform.queue.worker;

import dev.mainstay.platform.app.ApplianceConfig;
import dev.mainstay.platform.jobs.work.Backoff;
import dev.mainstay.platform.jobs.work.BackgroundThread;
import dev.mainstay.platform.jobs.work.DurableWork;
import dev.mainstay.platform.jobs.work.RetryPolicy;
import dev.mainstay.platform.jobs.work.WorkSettings;
import dev.mainstay.queue.engine.Decision;
import dev.mainstay.queue.engine.MergeQueue;
import dev.mainstay.queue.engine.QueueEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Feeds the merge queues their events, one event per transaction: the transaction locks the
 * queue's row ({@code FOR UPDATE SKIP LOCKED}, so each queue is worked on by one replica at a time
 * and the others take other queues), applies the queue's oldest pending event to the engine
 * restored from the stored state, writes the decisions to the outbox, stores the new state and
 * marks the event applied. A process killed at any point leaves either all of that or none of it,
 * so a restart goes on from the last committed event, and nothing is decided twice.
 *
 * <p>A queue with no pending event whose engine asked for a wake-up that is due gets a tick. An
 * event that cannot be applied (its ciphertext does not open, it is from a newer appliance, the
 * engine refuses it) is retried {@value #MAX_ATTEMPTS} times, at once but behind the other queues'
 * turns, then set aside with its error so the queue goes on; the queue's state is left as the last
 * event that applied made it. The claim, the attempts and setting aside are the durable-work
 * mechanism's ({@link DurableWork}, {@link #SETTINGS}); the claim locking the queue's row with its
 * event is what keeps one queue's events in order.
 *
 * <p>It works on a background thread, woken by {@link #wake} after a producer's transaction commits
 * and every {@value #POLL_SECONDS} s in case a wake-up was lost (another replica's event, a restart).
 */
@ApplicationScoped
public class QueueWorker {

    static final int POLL_SECONDS = 2;
    static final int MAX_ATTEMPTS = 3;
    /** One event per transaction, retried at once (behind the other queues), set aside after {@value #MAX_ATTEMPTS} attempts. */
    static final WorkSettings SETTINGS = WorkSettings.of("mainstay-queue-worker", Duration.ofSeconds(POLL_SECONDS),
        new RetryPolicy(MAX_ATTEMPTS, Backoff.NONE));

    private static final Logger LOG = Logger.getLogger(QueueWorker.class.getName());

    /** Runs inside a turn's transaction just before it commits; tests stop or fail a turn there. */
    public interface BeforeCommit {
        void run(UUID queue) throws SQLException;
    }

    private final DataSource dataSource;
    private final QueueStore store;
    private final QueueConfigs configs;
    private final Clock clock;
    private final BeforeCommit beforeCommit;
    private final DurableWork<Claim> work;
    private final BackgroundThread background = SETTINGS.thread(LOG, "apply merge queue events", this::drain);
    private volatile Runnable decided = () -> {
    };

    @Inject
    QueueWorker(@Named(ApplianceConfig.DATA_SOURCE) DataSource dataSource, QueueStore store, QueueConfigs configs, Clock clock) {
        this(dataSource, store, configs, clock, queue -> {
        });
    }

    public QueueWorker(DataSource dataSource, QueueStore store, QueueConfigs configs, Clock clock, BeforeCommit beforeCommit) {
        this.dataSource = dataSource;
        this.store = store;
        this.configs = configs;
        this.clock = clock;
        this.beforeCommit = beforeCommit;
        this.work = new DurableWork<>(dataSource, clock, SETTINGS, new DurableWork.Steps<>() {
            @Override
            public Claim claim(Connection c, Instant now) throws SQLException {
                return QueueWorker.this.claim(c, now);
            }

            @Override
            public void handle(Connection c, Claim claim, Instant now) throws SQLException {
                claim.decided().set(apply(c, claim, now) > 0);
                QueueWorker.this.beforeCommit.run(claim.queue());
            }

            @Override
            public int attempts(Claim claim) {
                return claim.attempts();
            }

            @Override
            public boolean counted(Claim claim) {
                return claim.event() != null; // a tick is no event to count: its failure is the engine's, thrown
            }

            @Override
            public boolean relock(Connection c, Claim claim) throws SQLException {
                return QueueWorker.relock(c, claim);
            }

            @Override
            public void failed(Connection c, Claim claim, RetryPolicy.Attempt attempt, Exception e, Instant now) throws SQLException {
                QueueWorker.failed(c, claim, attempt, now);
            }

            @Override
            public void committed(Claim claim) {
                if (claim.decided().get()) {
                    decided.run();
                }
            }

            @Override
            public String describe(Claim claim) {
                return "merge queue " + claim.queue() + ": event " + claim.eventSeq();
            }
        }, LOG);
    }

    void start(@Observes @Initialized(ApplicationScoped.class) Object event) {
        background.start();
    }

    /** Runs {@code whenDecided} after each turn that committed decisions: the executor's wake-up. */
    public void onDecisions(Runnable whenDecided) {
        this.decided = whenDecided;
    }

    /** Asks for pending events to be applied soon, on the background thread; wake-ups meanwhile are merged. */
    public void wake() {
        background.wake();
    }

    /**
     * Applies pending events and due ticks until none is left that another replica does not hold.
     *
     * @return how many turns were taken
     */
    public int drain() throws SQLException {
        int turns = work.drain();
        return turns;
    }

    /** A queue's row and its oldest pending event, as one turn claims them, and whether the turn made decisions. */
    private record Claim(UUID queue, byte[] state, UUID event, long eventSeq, byte[] payload, int attempts, AtomicBoolean decided) {
    }

    /**
     * Takes one turn: one event applied (or set aside) on one queue, or one tick.
     *
     * @return false when no queue had anything to do that another replica was not doing
     */
    boolean turn(Instant now) throws SQLException {
        return work.turn(now);
    }

    /** Locks {@code claim}'s queue again after a rollback; false when another replica took it meanwhile. */
    private static boolean relock(Connection c, Claim claim) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM merge_queue q JOIN merge_queue_event e ON e.queue_id = q.id"
            + " WHERE q.id = ? AND e.id = ? AND e.applied_at IS NULL AND e.failed_at IS NULL AND e.attempts = ?"
            + " FOR UPDATE OF q SKIP LOCKED")) {
            s.setObject(1, claim.queue());
            s.setObject(2, claim.event());
            s.setInt(3, claim.attempts());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        }
    }

    private Claim claim(Connection c, Instant now) throws SQLException {
        UUID queue;
        byte[] state;
        try (PreparedStatement s = c.prepareStatement("SELECT q.id, q.state FROM merge_queue q"
            + " WHERE EXISTS (SELECT 1 FROM merge_queue_event e WHERE e.queue_id = q.id AND e.applied_at IS NULL AND e.failed_at IS NULL)"
            + " OR q.wake_at <= ? ORDER BY q.updated_at LIMIT 1 FOR UPDATE SKIP LOCKED")) {
            s.setTimestamp(1, Timestamp.from(now));
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                queue = rs.getObject(1, UUID.class);
                state = rs.getBytes(2);
            }
        }
        try (PreparedStatement s = c.prepareStatement("SELECT id, seq, event, attempts FROM merge_queue_event"
            + " WHERE queue_id = ? AND applied_at IS NULL AND failed_at IS NULL ORDER BY seq LIMIT 1")) {
            s.setObject(1, queue);
            try (ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                    return new Claim(queue, state, rs.getObject(1, UUID.class), rs.getLong(2), rs.getBytes(3), rs.getInt(4), new AtomicBoolean());
                }
                return new Claim(queue, state, null, 0, null, 0, new AtomicBoolean());
            }
        }
    }

    /** Applies {@code claim}'s event (or a tick); returns how many decisions it made. */
    private int apply(Connection c, Claim claim, Instant now) throws SQLException {
        MergeQueue.State before = store.openState(claim.queue(), claim.state());
        MergeQueue queue = MergeQueue.restore(configs.forQueue(c, claim.queue()).engine(), before);
        QueueEvent event = claim.event() == null ? new QueueEvent.Tick()
            : store.openEvent(claim.event(), claim.payload());
        List<Decision> decisions = queue.handle(event, now);
        recordLeavers(c, claim.queue(), before, decisions, now);
        if (event instanceof QueueEvent.TestFinished finished) {
            recordTest(c, claim.queue(), before, finished, now);
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO merge_queue_outbox (id, queue_id, event_seq, position, decision,"
            + " created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < decisions.size(); i++) {
                UUID id = UUID.randomUUID();
                s.setObject(1, id);
                s.setObject(2, claim.queue());
                s.setObject(3, claim.event() == null ? null : claim.eventSeq(), java.sql.Types.BIGINT);
                s.setInt(4, i);
                s.setBytes(5, store.sealDecision(id, decisions.get(i)));
                s.setTimestamp(6, Timestamp.from(now));
                s.addBatch();
            }
            s.executeBatch();
        }
        MergeQueue.State after = queue.state();
        try (PreparedStatement s = c.prepareStatement("UPDATE merge_queue SET state = ?, wake_at = ?, updated_at = ?, depth = ?,"
            + " testing = ? WHERE id = ?")) {
            s.setBytes(1, store.sealState(claim.queue(), after));
            s.setTimestamp(2, queue.nextWakeUp().map(Timestamp::from).orElse(null));
            s.setTimestamp(3, Timestamp.from(now));
            s.setInt(4, after.entries().size());
            s.setInt(5, (int) after.runs().stream().filter(QueueWorker::usesCi).count());
            s.setObject(6, claim.queue());
            s.executeUpdate();
        }
        if (claim.event() != null) {
            try (PreparedStatement s = c.prepareStatement("UPDATE merge_queue_event SET applied_at = ?, attempts = attempts + 1"
                + " WHERE id = ?")) {
                s.setTimestamp(1, Timestamp.from(now));
                s.setObject(2, claim.event());
                s.executeUpdate();
            }
        }
        return decisions.size();
    }

    /** A candidate test that holds a CI slot: being built, or its checks running. */
    static boolean usesCi(MergeQueue.RunSnapshot run) {
        return run.state() == MergeQueue.RunState.BUILDING || run.state() == MergeQueue.RunState.RUNNING;
    }

    /**
     * Writes a history row for each pull request that {@code decisions} take out of the queue: merged,
     * or dequeued with the engine's reason. One that was not queued (enqueued again after merging) has
     * no time in the queue and no row.
     */
    private static void recordLeavers(Connection c, UUID queue, MergeQueue.State before, List<Decision> decisions, Instant now)
        throws SQLException {
        Map<Integer, Instant> queued = new HashMap<>();
        before.entries().forEach(e -> queued.put(e.pr().number(), e.enqueuedAt()));
        try (PreparedStatement s = c.prepareStatement("INSERT INTO merge_queue_history (id, queue_id, pr, outcome, enqueued_at,"
            + " left_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            int rows = 0;
            for (Decision d : decisions) {
                int pr;
                String outcome;
                if (d instanceof Decision.UpdateStatus u && u.status() == Decision.Status.MERGED) {
                    pr = u.pr();
                    outcome = QueueHistory.MERGED;
                } else if (d instanceof Decision.Dequeue q) {
                    pr = q.pr();
                    outcome = q.reason().name().toLowerCase(Locale.ROOT);
                } else {
                    continue;
                }
                Instant since = queued.remove(pr);
                if (since == null) {
                    continue;
                }
                s.setObject(1, UUID.randomUUID());
                s.setObject(2, queue);
                s.setInt(3, pr);
                s.setString(4, outcome);
                s.setTimestamp(5, Timestamp.from(since));
                s.setTimestamp(6, Timestamp.from(now));
                s.addBatch();
                rows++;
            }
            if (rows > 0) {
                s.executeBatch();
            }
        }
    }

    /** Writes the finished candidate test's row, when {@code before} was waiting for its result. */
    private static void recordTest(Connection c, UUID queue, MergeQueue.State before, QueueEvent.TestFinished finished, Instant now)
        throws SQLException {
        Optional<MergeQueue.RunSnapshot> run = before.runs().stream()
            .filter(r -> r.id() == finished.run() && r.state() == MergeQueue.RunState.RUNNING).findFirst();
        if (run.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO merge_queue_test (id, queue_id, run, attempt, size, passed,"
            + " started_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setObject(1, UUID.randomUUID());
            s.setObject(2, queue);
            s.setLong(3, run.get().id());
            s.setInt(4, run.get().attempt());
            s.setInt(5, run.get().prs().size());
            s.setBoolean(6, finished.passed());
            s.setTimestamp(7, Timestamp.from(run.get().startedAt()));
            s.setTimestamp(8, Timestamp.from(now));
            s.executeUpdate();
        }
    }

    /** Stores a failed attempt at an event; the last one sets it aside. */
    private static void failed(Connection c, Claim claim, RetryPolicy.Attempt attempt, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE merge_queue_event SET attempts = ?, last_error = ?, failed_at = ?"
            + " WHERE id = ?")) {
            s.setInt(1, attempt.number());
            s.setString(2, attempt.error());
            s.setTimestamp(3, attempt.setAside() ? Timestamp.from(now) : null);
            s.setObject(4, claim.event());
            s.executeUpdate();
        }
        // Touch the queue so that a failing event goes to the back of the round rather than hold the worker.
        try (PreparedStatement s = c.prepareStatement("UPDATE merge_queue SET updated_at = ? WHERE id = ?")) {
            s.setTimestamp(1, Timestamp.from(now));
            s.setObject(2, claim.queue());
            s.executeUpdate();
        }
    }

    @PreDestroy
    void stop() {
        background.stop();
    }
}
