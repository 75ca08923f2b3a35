package dev.mainstay.platform.queue.outbound;

import dev.mainstay.platform.app.ApplianceConfig;
import dev.mainstay.platform.flaky.FlakinessVerdicts;
import dev.mainstay.platform.ingest.CommitResults;
import dev.mainstay.platform.jobs.work.Backoff;
import dev.mainstay.platform.jobs.work.BackgroundThread;
import dev.mainstay.platform.jobs.work.ExternalWork;
import dev.mainstay.platform.jobs.work.RetryPolicy;
import dev.mainstay.platform.jobs.work.WorkSettings;
import dev.mainstay.platform.queue.forge.BranchUpdate;
import dev.mainstay.platform.queue.forge.CandidateResult;
import dev.mainstay.platform.queue.forge.CheckState;
import dev.mainstay.platform.queue.forge.DequeueComment;
import dev.mainstay.platform.queue.forge.Forge;
import dev.mainstay.platform.queue.forge.Forges;
import dev.mainstay.platform.queue.forge.QueueCheck;
import dev.mainstay.platform.queue.worker.QueueConfig;
import dev.mainstay.platform.queue.worker.QueueConfigs;
import dev.mainstay.platform.queue.worker.QueueStore;
import dev.mainstay.platform.queue.worker.QueueStore.QueueKey;
import dev.mainstay.platform.queue.worker.QueueWorker;
import dev.mainstay.queue.engine.Decision;
import dev.mainstay.queue.engine.DequeueReason;
import dev.mainstay.queue.engine.MergeMethod;
import dev.mainstay.queue.engine.MergeQueue;
import dev.mainstay.queue.engine.PullRequest;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Carries out the merge queues' decisions on the code host and reports what that gave back to the
 * queues as events: a candidate built (or its conflict), a test finished, a merge landed (or refused).
 *
 * <p><b>One replica per queue.</b> A queue's decisions are carried out in the order they were made,
 * under a PostgreSQL session advisory lock on the queue, so two replicas never act on one queue at
 * once; a replica that dies loses its connection and with it the lock.
 *
 * <p><b>Exactly once.</b> Each action is idempotent by construction: a candidate is rebuilt on the
 * same branch name, a fast-forward finding the branch at the tested commit counts as done, a comment
 * carries its decision's id as key and is posted once, a check run is updated in place. The events
 * an action gave are stored with the decision marked done, in one transaction, under the decision's
 * id as source. A process killed between the action and that commit does the action again on restart,
 * to the same effect, and reports it once.
 *
 * <p><b>Failures.</b> A decision the code host does not carry out is tried again with backoff, and
 * the queue's later decisions wait for it. After {@value #MAX_ATTEMPTS} tries it is set aside so the
 * queue goes on; a merge set aside is reported as refused, so the engine tests again or dequeues.
 * The attempts, backoff and setting aside are the durable-work mechanism's ({@link ExternalWork},
 * {@link #SETTINGS}): a decision is claimed under the queue's advisory lock, carried out with no
 * transaction open, and its outcome stored in a transaction of its own.
 *
 * <p><b>Watching tests.</b> The checks of every candidate under test are read when a check webhook
 * arrives ({@link #checksChanged}) and every {@value #CHECK_POLL_SECONDS} s in case one was missed.
 * A failed test's failing tests come from the results CI uploaded for the candidate's commit; the
 * flaky-test verdicts of those tests reach the engine first, as {@link QueueEvent.FlakinessChanged}.
 * Once a test's result is stored its candidate branch is deleted: a merge goes by the commit.
 */
@ApplicationScoped
public class QueueExecutor {

    static final int POLL_SECONDS = 2;
    static final int CHECK_POLL_SECONDS = 30;
    static final int MAX_ATTEMPTS = 10;
    /** One decision at a time per queue; 2 s after the first failed try, doubling up to 5 minutes. */
    static final WorkSettings SETTINGS = WorkSettings.of("mainstay-queue-executor", Duration.ofSeconds(POLL_SECONDS),
        new RetryPolicy(MAX_ATTEMPTS, Backoff.doubling(Duration.ofSeconds(2), Duration.ofMinutes(5))));
    /** The first key of the queues' advisory locks: "MQ". */
    private static final int LOCK_CLASS = 0x4d51;

    private static final Logger LOG = Logger.getLogger(QueueExecutor.class.getName());

    private final DataSource dataSource;
    private final QueueStore store;
    private final QueueConfigs configs;
    private final Forges forges;
    private final QueueWorker worker;
    private final CommitResults results;
    private final FlakinessVerdicts verdicts;
    private final Clock clock;
    private final BackgroundThread background = SETTINGS.thread(LOG, "carry out merge queue decisions", this::drain);
    private volatile boolean checksChanged = true;
    private Instant checkedAt = Instant.EPOCH;

    @Inject
    QueueExecutor(@Named(ApplianceConfig.DATA_SOURCE) DataSource dataSource, QueueStore store, QueueConfigs configs, Forges forges,
                  QueueWorker worker, CommitResults results, FlakinessVerdicts verdicts, Clock clock) {
        this.dataSource = dataSource;
        this.store = store;
        this.configs = configs;
        this.forges = forges;
        this.worker = worker;
        this.results = results;
        this.verdicts = verdicts;
        this.clock = clock;
    }

    void start(@Observes @Initialized(ApplicationScoped.class) Object event) {
        worker.onDecisions(this::wake);
        background.start();
    }

    /** Asks for new decisions to be carried out soon, on the background thread. */
    public void wake() {
        background.wake();
    }

    /** A check or status changed on the code host: the candidates' checks are read again soon. */
    public void checksChanged() {
        checksChanged = true;
        background.wake();
    }

    /** A queue with work: its id and key. */
    private record Work(UUID queue, QueueKey key) {
    }

    /** One pending decision, and whether finishing it reported events to the queue. */
    private record Pending(UUID id, Decision decision, int attempts, AtomicBoolean reported) {
    }

    /**
     * Carries out every due decision of every queue no other replica holds, then, when due, reads the
     * checks of the candidates under test.
     *
     * @return how many decisions were carried out or set aside
     */
    int drain() throws SQLException {
        Instant now = clock.instant();
        boolean watch = checksChanged || !now.isBefore(checkedAt.plusSeconds(CHECK_POLL_SECONDS));
        if (watch) {
            checksChanged = false;
            checkedAt = now;
        }
        int done = 0;
        for (Work work : queues(now, watch)) {
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
            done += underLock(work, watch);
        }
        return done;
    }

    private List<Work> queues(Instant now, boolean all) throws SQLException {
        List<Work> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            for (QueueStore.Due due : store.withDecisionsDue(c, now, all)) {
                out.add(new Work(due.queue(), due.key()));
            }
        }
        return out;
    }

    /** Works on one queue while holding its advisory lock; nothing when another replica holds it. */
    private int underLock(Work work, boolean watch) throws SQLException {
        try (Connection lock = dataSource.getConnection()) {
            lock.setAutoCommit(true);
            if (!advisoryLock(lock, "pg_try_advisory_lock", work.queue())) {
                return 0;
            }
            try {
                Optional<Forge> forge = forges.forRepository(work.key().repo());
                if (forge.isEmpty()) {
                    LOG.warning(() -> "merge queue of " + work.key() + ": no GitHub App is configured; its decisions wait");
                    return 0;
                }
                int done = carryOut(work, forge.get());
                if (watch) {
                    watch(work, forge.get());
                }
                return done;
            } finally {
                advisoryLock(lock, "pg_advisory_unlock", work.queue());
            }
        }
    }

    private static boolean advisoryLock(Connection c, String function, UUID queue) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + function + "(?, ?)")) {
            s.setInt(1, LOCK_CLASS);
            s.setInt(2, queue.hashCode());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /** Carries out the queue's due decisions in order; stops at one that failed (the later ones wait for it). */
    private int carryOut(Work work, Forge forge) throws SQLException {
        return new ExternalWork<>(dataSource, clock, SETTINGS, new ExternalWork.Steps<Pending, List<QueueEvent>>() {
            @Override
            public List<Pending> claim(Connection c, Instant now, int batch) throws SQLException {
                return next(c, work.queue(), now).map(List::of).orElse(List.of());
            }

            @Override
            public int attempt(Pending p) {
                return p.attempts() + 1;
            }

            @Override
            public List<QueueEvent> handle(Pending p) throws SQLException {
                return perform(work, forge, p);
            }

            @Override
            public void finish(Connection c, Pending p, List<QueueEvent> events, RetryPolicy.Attempt failed, Instant now)
                throws SQLException {
                if (failed == null) {
                    done(c, work.queue(), p, events, null, now);
                } else if (failed.setAside()) {
                    done(c, work.queue(), p, p.decision() instanceof Decision.Merge m
                        ? List.of(new QueueEvent.MergeRefused(m.run(), "gave up after " + failed.number() + " tries: " + failed.error()))
                        : List.of(), failed.error(), now);
                } else {
                    retryLater(c, p, failed);
                }
            }

            @Override
            public void committed(Pending p, List<QueueEvent> events) {
                if (p.reported().get()) {
                    worker.wake();
                }
            }

            @Override
            public String describe(Pending p) {
                return "merge queue of " + work.key() + ": " + QueueExecutor.describe(p.decision());
            }
        }, LOG).drain();
    }

    /** The queue's oldest decision not carried out, if it is due. */
    private Optional<Pending> next(Connection c, UUID queue, Instant now) throws SQLException {
        return store.nextDecision(c, queue, now).map(d -> new Pending(d.id(), d.decision(), d.attempts(), new AtomicBoolean()));
    }

    private MergeQueue.State state(UUID queue) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return store.state(c, queue);
        }
    }

    private QueueConfig config(UUID queue) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return configs.forQueue(c, queue);
        }
    }

    /** Does what {@code p} asks on the code host; returns what that gave, for the engine. */
    private List<QueueEvent> perform(Work work, Forge forge, Pending p) throws SQLException {
        String branch = work.key().branch();
        return switch (p.decision()) {
            case Decision.StartTest t -> {
                boolean wanted = state(work.queue()).runs().stream()
                    .anyMatch(r -> r.id() == t.run() && r.state() == MergeQueue.RunState.BUILDING);
                if (!wanted) {
                    yield List.of(); // cancelled meanwhile: building it would only cost CI
                }
                yield switch (forge.buildCandidate(branch, t.run(), t.base(), t.prs())) {
                    case CandidateResult.Built b -> List.of(new QueueEvent.CandidateBuilt(t.run(), b.sha()));
                    case CandidateResult.Conflict c -> List.of(new QueueEvent.CandidateConflict(t.run(), c.pr()));
                };
            }
            case Decision.CancelTest t -> {
                forge.deleteCandidate(branch, t.run());
                yield List.of();
            }
            case Decision.Merge m -> merge(work, forge, m);
            case Decision.Dequeue d -> {
                if (!d.head().isEmpty()) {
                    forge.showQueueCheck(d.head(), new QueueCheck(QueueCheck.State.REMOVED, 0, d.detail()));
                }
                if (d.reason() != DequeueReason.CLOSED) {
                    Set<String> flaky = verdicts.flakyAmong(work.key().repo(), d.failingTests());
                    forge.comment(d.pr(), "dequeue:" + p.id(), DequeueComment.render(d.reason(), d.detail(), d.failingTests(), flaky));
                }
                yield List.of();
            }
            case Decision.UpdateStatus u -> {
                status(work, forge, u);
                yield List.of();
            }
            case Decision.Drained d -> {
                LOG.info(() -> "merge queue of " + work.key() + " drained");
                yield List.of();
            }
        };
    }

    private List<QueueEvent> merge(Work work, Forge forge, Decision.Merge m) throws SQLException {
        String branch = work.key().branch();
        MergeQueue.State state = state(work.queue());
        BranchUpdate update;
        if (m.fastForward()) {
            String expected = state.merging().filter(r -> r.id() == m.run()).map(MergeQueue.RunSnapshot::base).orElse(state.target());
            update = forge.fastForward(branch, expected, m.sha());
        } else {
            update = forge.mergeInto(branch, m.sha(), "Merge queue run " + m.run() + ": " + m.prs().stream().map(n -> "#" + n).toList());
        }
        return switch (update) {
            case BranchUpdate.Updated u -> {
                Set<Integer> landing = new HashSet<>(m.prs());
                for (MergeQueue.EntryState e : state.entries()) {
                    PullRequest pr = e.pr();
                    if (landing.contains(pr.number()) && pr.method() != MergeMethod.MERGE) {
                        forge.closeLanded(pr.number(), m.sha());
                    }
                }
                forge.deleteCandidate(branch, m.run());
                yield List.of(new QueueEvent.Merged(m.run(), u.sha()));
            }
            case BranchUpdate.Moved moved -> List.of(new QueueEvent.MergeRefused(m.run(), branch + " moved to " + moved.actualSha()));
            case BranchUpdate.Conflict conflict -> List.of(new QueueEvent.MergeRefused(m.run(),
                "the tested commit does not merge cleanly into " + branch));
        };
    }

    /** Shows where a pull request stands on its queue check run; a status the queue has moved past since is skipped. */
    private void status(Work work, Forge forge, Decision.UpdateStatus u) throws SQLException {
        if (u.head().isEmpty()) {
            return;
        }
        if (u.status() == Decision.Status.MERGED) {
            forge.showQueueCheck(u.head(), new QueueCheck(QueueCheck.State.MERGED, 0, u.detail()));
            return;
        }
        List<MergeQueue.EntryState> entries = state(work.queue()).entries();
        for (int i = 0; i < entries.size(); i++) {
            MergeQueue.EntryState e = entries.get(i);
            if (e.pr().number() == u.pr() && e.pr().head().equals(u.head())) {
                boolean testing = e.testing();
                if (testing != (u.status() == Decision.Status.TESTING)) {
                    return; // a later decision shows what it is now
                }
                forge.showQueueCheck(u.head(), testing ? new QueueCheck(QueueCheck.State.TESTING, 0, u.detail())
                    : new QueueCheck(QueueCheck.State.QUEUED, i + 1, i == 0 ? "next in the queue" : i + " ahead in the queue"));
                return;
            }
        }
    }

    /** Stores a failed try at {@code p}: its count and error, and when to try again. */
    private void retryLater(Connection c, Pending p, RetryPolicy.Attempt failed) throws SQLException {
        store.retryDecision(c, p.id(), failed.number(), failed.error(), failed.next());
    }

    /**
     * Stores what carrying out {@code p} gave and marks it done (or, with an error, set aside), on
     * {@code c}, in its transaction.
     */
    private void done(Connection c, UUID queue, Pending p, List<QueueEvent> events, String error, Instant now) throws SQLException {
        submit(c, queue, events, "executor:" + p.id(), now);
        p.reported().set(!events.isEmpty());
        store.settleDecision(c, p.id(), now, error);
    }

    /**
     * Stores {@code events} for the queue on {@code c}, with sources {@code source#0},
     * {@code source#1}, …, so a repeated report stores nothing.
     */
    private void submit(Connection c, UUID queue, List<QueueEvent> events, String source, Instant now) throws SQLException {
        for (int i = 0; i < events.size(); i++) {
            store.submitTo(c, queue, events.get(i), source + "#" + i, now);
        }
    }

    /** Stores {@code events} for the queue in a transaction of their own ({@link #submit}); then wakes the worker. */
    private void report(UUID queue, List<QueueEvent> events, String source) throws SQLException {
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                submit(c, queue, events, source, now);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        if (!events.isEmpty()) {
            worker.wake();
        }
    }

    /** Reads the checks of the queue's candidates under test and reports those that finished. */
    private void watch(Work work, Forge forge) throws SQLException {
        MergeQueue.State state = state(work.queue());
        List<MergeQueue.RunSnapshot> running = state.runs().stream()
            .filter(r -> r.state() == MergeQueue.RunState.RUNNING && r.sha() != null).toList();
        if (running.isEmpty()) {
            return;
        }
        List<String> required;
        try {
            List<String> configured = config(work.queue()).requiredChecks();
            required = configured.isEmpty() ? forge.requiredChecks(work.key().branch()) : configured;
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "merge queue of " + work.key() + ": cannot read the required checks", e);
            return;
        }
        for (MergeQueue.RunSnapshot run : running) {
            CheckState checks;
            try {
                checks = forge.checks(run.sha(), required);
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "merge queue of " + work.key() + ": cannot read the checks of " + run.sha(), e);
                continue;
            }
            List<QueueEvent> events = new ArrayList<>();
            switch (checks) {
                case CheckState.Pending pending -> {
                }
                case CheckState.Passed passed -> events.add(new QueueEvent.TestFinished(run.id(), true, List.of()));
                case CheckState.Failed failed -> {
                    List<String> failing = results.failingTests(work.key().repo(), run.sha());
                    Set<String> flaky = verdicts.flakyAmong(work.key().repo(), failing);
                    if (!failing.isEmpty()) {
                        events.add(new QueueEvent.FlakinessChanged(flaky,
                            failing.stream().filter(t -> !flaky.contains(t)).collect(Collectors.toSet())));
                    }
                    events.add(new QueueEvent.TestFinished(run.id(), false, failing));
                }
            }
            if (events.isEmpty()) {
                continue;
            }
            report(work.queue(), events, "checks:" + work.queue() + ":" + run.id() + ":" + run.attempt() + ":" + run.sha());
            try {
                // Its result is in; a merge goes by the commit, so the branch is no longer needed.
                forge.deleteCandidate(work.key().branch(), run.id());
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "merge queue of " + work.key() + ": cannot delete candidate " + run.id(), e);
            }
        }
    }

    private static String describe(Decision d) {
        return switch (d) {
            case Decision.StartTest t -> "building candidate " + t.run() + " " + t.numbers();
            case Decision.CancelTest t -> "cancelling candidate " + t.run();
            case Decision.Merge m -> "merging candidate " + m.run() + " " + m.prs();
            case Decision.Dequeue q -> "dequeuing #" + q.pr();
            case Decision.UpdateStatus u -> "showing the status of #" + u.pr();
            case Decision.Drained dr -> "reporting the drain";
        };
    }

    @PreDestroy
    void stop() {
        background.stop();
    }
}
