package dev.mainstay.platform.queue.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.platform.crypto.TestCiphers;
import dev.mainstay.platform.queue.worker.QueueStore.QueueKey;
import dev.mainstay.queue.engine.Decision;
import dev.mainstay.queue.engine.DequeueReason;
import dev.mainstay.queue.engine.MergeQueue;
import dev.mainstay.queue.engine.PullRequest;
import dev.mainstay.queue.engine.QueueEvent;
import dev.mainstay.queue.engine.QueueSettings;
import dev.mainstay.testkit.MainstayDatabase;
import dev.mainstay.testkit.MutableClock;
import dev.mainstay.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The queue worker on a real database: what it stores is what the engine decides, exactly once, one
 * replica per queue at a time, whatever dies mid-turn.
 */
@MainstayDatabase
class QueueWorkerTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    /** The engine's defaults, pull requests landing as merge commits, the branch protection's checks required. */
    static final QueueConfig DEFAULTS = QueueConfig.of(QueueSettings.DEFAULTS);

    private PGSimpleDataSource dataSource;
    private QueueStore store;
    private final MutableClock clock = new MutableClock(T0);

    @BeforeEach
    void setUp(TestDatabase shared) throws SQLException {
        TestDatabase db = shared.fresh();
        dataSource = new PGSimpleDataSource();
        dataSource.setURL(db.jdbcUrl());
        dataSource.setUser(db.user());
        dataSource.setPassword(db.password());
        store = new QueueStore(TestCiphers.on(db));
    }

    private QueueWorker worker(QueueWorker.BeforeCommit hook) {
        return new QueueWorker(dataSource, store, new QueueConfigs(DEFAULTS), clock, hook);
    }

    private QueueWorker worker() {
        return worker(queue -> {
        });
    }

    private boolean submit(QueueKey key, QueueEvent event, String source) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return store.submit(c, key, () -> "base", event, source, clock.instant());
        }
    }

    private List<Decision> decisions(QueueKey key) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            UUID id = store.find(c, key).orElseThrow();
            return store.outbox(c, id).stream().map(QueueStore.Outgoing::decision).toList();
        }
    }

    private MergeQueue.State state(QueueKey key) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return store.state(c, store.find(c, key).orElseThrow());
        }
    }

    private List<String> column(String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static QueueEvent enqueue(int n) {
        return new QueueEvent.Enqueue(PullRequest.of(n, "head" + n));
    }

    @Test
    void what_is_stored_is_what_the_engine_decides_in_order_and_a_repeated_source_adds_nothing() throws Exception {
        QueueKey web = new QueueKey("acme/web", "main");
        QueueKey api = new QueueKey("acme/api", "release/1.x");
        MergeQueue twin = new MergeQueue(QueueSettings.DEFAULTS, "base");
        List<Decision> expected = new ArrayList<>();
        for (int n = 1; n <= 8; n++) {
            assertTrue(submit(web, enqueue(n), "test:web-" + n));
            expected.addAll(twin.handle(enqueue(n), T0));
        }
        assertTrue(submit(api, enqueue(1), "test:api-1"));
        assertFalse(submit(web, enqueue(3), "test:web-3"), "the same source twice stores one event");

        assertEquals(9, worker().drain(), "nine events, one turn each; the api queue's wake-up is not due yet");
        assertEquals(expected, decisions(web));
        assertTrue(expected.stream().anyMatch(d -> d instanceof Decision.StartTest), "a full group of 8 is tested: " + expected);
        assertEquals(twin.state(), state(web), "the stored state is the engine's");
        assertEquals(List.of("acme/api 1 0", "acme/web 8 1"), column("SELECT repo || ' ' || depth || ' ' || testing FROM merge_queue"
            + " ORDER BY repo"), "each queue's depth and candidate tests are stored with its state");

        long run = expected.stream().filter(d -> d instanceof Decision.StartTest).map(d -> ((Decision.StartTest) d).run()).findFirst()
            .orElseThrow();
        clock.set(T0.plus(Duration.ofMinutes(31)));
        for (QueueEvent e : List.of(new QueueEvent.CandidateBuilt(run, "c1"), new QueueEvent.TestFinished(run, true, List.of()))) {
            assertTrue(submit(web, e, "test:web-" + e));
            expected.addAll(twin.handle(e, clock.instant()));
        }
        worker().drain();
        assertEquals(expected, decisions(web));
        assertTrue(expected.getLast() instanceof Decision.Merge, "the group passed on the target as it is: it merges");
        assertEquals(List.of(run + " 8 true 1860"), column("SELECT run || ' ' || size || ' ' || passed || ' '"
            + " || extract(epoch FROM finished_at - started_at)::int FROM merge_queue_test"), "the finished test and how long it took");

        // Merged, the eight leave the queue into its history; one removed from the other queue leaves with its reason;
        // one enqueued again after it merged was never queued, so it has no history.
        clock.set(T0.plus(Duration.ofMinutes(40)));
        assertTrue(submit(web, new QueueEvent.Merged(run, "c1"), "test:web-merged"));
        assertTrue(submit(api, new QueueEvent.Remove(1), "test:api-remove"));
        assertTrue(submit(web, enqueue(2), "test:web-again"));
        worker().drain();
        assertEquals(List.of("acme/api removed 1", "acme/web merged 8"), column("SELECT q.repo || ' ' || h.outcome || ' ' || count(*)"
            + " FROM merge_queue_history h JOIN merge_queue q ON q.id = h.queue_id GROUP BY q.repo, h.outcome ORDER BY q.repo"));
        QueueHistory.Figures figures = new QueueHistory(dataSource).figures(clock.instant());
        assertEquals(0, figures.queued());
        assertEquals(0, figures.testing());
        assertEquals(8, figures.mergedLastHour());
        assertEquals(1, figures.ejectedLastDay().get(DequeueReason.REMOVED));
        assertEquals(0, figures.ejectedLastDay().get(DequeueReason.CHECKS_FAILED));
        assertEquals(Duration.ofMinutes(40).toSeconds(), figures.medianSeconds(), 0.001, "all eight were queued at T0 and merged 40 minutes on");
        clock.set(T0.plus(Duration.ofMinutes(101)));
        assertEquals(0, new QueueHistory(dataSource).figures(clock.instant()).mergedLastHour(), "an hour on, none merged in the last hour");
        assertEquals(List.of("0"), column("SELECT count(*) FROM merge_queue_event WHERE applied_at IS NULL"));
        assertEquals(List.of("0"), column("SELECT count(*) FROM merge_queue_outbox WHERE position(convert_to('head1', 'UTF8') IN decision) > 0"
            + " OR position(convert_to('acme', 'UTF8') IN decision) > 0"), "decisions are stored encrypted");
    }

    @Test
    void a_branch_with_settings_of_its_own_is_queued_by_them_from_its_next_event() throws Exception {
        QueueKey web = new QueueKey("acme/web", "main");
        QueueKey api = new QueueKey("acme/api", "main");
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("INSERT INTO merge_queue_settings (repo, branch, settings, updated_at, updated_by)"
                 + " VALUES (?, 'main', ?, now(), 'maintainer')")) {
            s.setString(1, "acme/web");
            s.setString(2, "{\"batch_max_wait_minutes\": 0}");
            s.executeUpdate();
            s.setString(1, "acme/api");
            s.setString(2, "{\"batch_max_wait_minutes\": \"soon\"}");
            s.executeUpdate();
        }
        submit(web, enqueue(1), "test:web-1");
        submit(api, enqueue(1), "test:api-1");
        worker().drain();

        assertTrue(decisions(web).stream().anyMatch(d -> d instanceof Decision.StartTest s && s.numbers().equals(List.of(1))),
            "no wait for the group to fill: it is tested at once " + decisions(web));
        assertEquals(List.of(Decision.UpdateStatus.class), decisions(api).stream().map(Object::getClass).toList(),
            "settings that do not read give way to the defaults: it waits for its group");
    }

    @Test
    void a_due_wake_up_ticks_the_queue_and_a_partly_filled_group_is_tested() throws Exception {
        QueueKey web = new QueueKey("acme/web", "main");
        submit(web, enqueue(1), "test:1");
        worker().drain();
        assertEquals(List.of(Decision.UpdateStatus.class), decisions(web).stream().map(Object::getClass).toList(),
            "one pull request waits for its group to fill");
        assertEquals(List.of(T0.plus(QueueSettings.DEFAULTS.batchMaxWait()).toString()),
            column("SELECT to_char(wake_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM merge_queue"));

        clock.set(T0.plus(Duration.ofMinutes(5)));
        assertEquals(0, worker().drain(), "not due yet");
        clock.set(T0.plus(QueueSettings.DEFAULTS.batchMaxWait()));
        assertEquals(1, worker().drain());
        assertTrue(decisions(web).stream().anyMatch(d -> d instanceof Decision.StartTest s && s.numbers().equals(List.of(1))),
            decisions(web).toString());
    }

    @Test
    void a_turn_that_dies_before_its_commit_leaves_nothing_and_the_next_one_decides_exactly_once() throws Exception {
        QueueKey web = new QueueKey("acme/web", "main");
        for (int n = 1; n <= 8; n++) {
            submit(web, enqueue(n), "test:" + n);
        }
        MergeQueue.State before = state(web);
        AtomicBoolean dead = new AtomicBoolean();
        QueueWorker dying = worker(queue -> {
            if (dead.compareAndSet(false, true)) {
                // The connection goes away as it would when the process is killed: the transaction never commits.
                throw new SQLException("connection lost", "08006");
            }
        });
        assertThrows(SQLException.class, dying::drain);
        assertEquals(List.of(), decisions(web), "nothing of the dead turn is stored");
        assertEquals(before, state(web));
        assertEquals(List.of("8"), column("SELECT count(*) FROM merge_queue_event WHERE applied_at IS NULL AND attempts = 0"));

        worker().drain();
        MergeQueue twin = new MergeQueue(QueueSettings.DEFAULTS, "base");
        List<Decision> expected = new ArrayList<>();
        for (int n = 1; n <= 8; n++) {
            expected.addAll(twin.handle(enqueue(n), T0));
        }
        assertEquals(expected, decisions(web), "each event decided once");
    }

    @Test
    void two_workers_never_work_on_one_queue_at_once() throws Exception {
        QueueKey web = new QueueKey("acme/web", "main");
        QueueKey api = new QueueKey("acme/api", "main");
        submit(web, enqueue(1), "test:web-1");
        submit(api, enqueue(1), "test:api-1");
        UUID webId;
        try (Connection c = dataSource.getConnection()) {
            webId = store.find(c, web).orElseThrow();
        }
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        QueueWorker first = worker(queue -> {
            if (queue.equals(webId) && holding.getCount() > 0) {
                holding.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        CompletableFuture<Integer> a = CompletableFuture.supplyAsync(() -> {
            try {
                return first.turn(clock.instant()) ? 1 : 0;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(holding.await(30, TimeUnit.SECONDS), "the first worker holds the web queue, mid-turn");
        QueueWorker second = worker();
        assertTrue(second.turn(clock.instant()), "the second worker takes the queue the first does not hold");
        assertFalse(second.turn(clock.instant()), "and leaves the held one alone");
        assertEquals(List.of("1"), column("SELECT count(*) FROM merge_queue_event WHERE applied_at IS NULL"));
        release.countDown();
        assertEquals(1, a.get(30, TimeUnit.SECONDS));
        assertEquals(0, second.drain());
        assertEquals(List.of("0"), column("SELECT count(*) FROM merge_queue_event WHERE applied_at IS NULL"));
        assertEquals(List.of("1", "1"), column("SELECT count(*) FROM merge_queue_outbox GROUP BY queue_id"), "each decided once");
    }

    @Test
    void an_event_that_cannot_be_applied_is_set_aside_after_three_attempts_and_the_queue_goes_on() throws Exception {
        QueueKey web = new QueueKey("acme/web", "main");
        submit(web, enqueue(1), "test:1");
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("UPDATE merge_queue_event SET event = ? WHERE source = 'test:1'")) {
            s.setBytes(1, "not a ciphertext".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            s.executeUpdate();
        }
        submit(web, enqueue(2), "test:2");
        worker().drain();
        assertEquals(List.of("3"), column("SELECT attempts FROM merge_queue_event WHERE source = 'test:1' AND failed_at IS NOT NULL"));
        assertTrue(column("SELECT last_error FROM merge_queue_event WHERE source = 'test:1'").getFirst().contains("FieldCipher"),
            column("SELECT last_error FROM merge_queue_event WHERE source = 'test:1'").toString());
        assertEquals(List.of(2), state(web).entries().stream().map(e -> e.pr().number()).toList(), "the next event applied");
    }
}
