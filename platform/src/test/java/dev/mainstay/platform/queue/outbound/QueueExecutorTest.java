package dev.mainstay.platform.queue.outbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.platform.crypto.TestCiphers;
import dev.mainstay.platform.flaky.StoredFlakinessVerdicts;
import dev.mainstay.platform.ingest.StoredCommitResults;
import dev.mainstay.platform.queue.forge.Forge;
import dev.mainstay.platform.queue.forge.Forges;
import dev.mainstay.platform.queue.forge.github.GitHubApp;
import dev.mainstay.platform.queue.forge.github.GitHubSettings;
import dev.mainstay.platform.queue.worker.QueueConfig;
import dev.mainstay.platform.queue.worker.QueueConfigs;
import dev.mainstay.platform.queue.worker.QueueStore;
import dev.mainstay.platform.queue.worker.QueueStore.QueueKey;
import dev.mainstay.platform.queue.worker.QueueWorker;
import dev.mainstay.queue.engine.MergeMethod;
import dev.mainstay.queue.engine.Priority;
import dev.mainstay.queue.engine.PullRequest;
import dev.mainstay.queue.engine.QueueEvent;
import dev.mainstay.queue.engine.QueueSettings;
import dev.mainstay.testkit.MainstayDatabase;
import dev.mainstay.testkit.MutableClock;
import dev.mainstay.testkit.TempDirs;
import dev.mainstay.testkit.TestDatabase;
import dev.mainstay.testkit.github.GitHubSimulator;
import dev.mainstay.testkit.github.SimulatedRepository;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The executor on a real database against the GitHub simulator, as two replicas would run it: each
 * with its own connections to one database. While one replica carries out a queue's decision, the
 * other does nothing for that queue; the decision is carried out once.
 */
@MainstayDatabase
class QueueExecutorTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T09:00:00Z"));
    private GitHubSimulator github;
    private SimulatedRepository repo;
    private TestDatabase db;
    private QueueStore store;
    private Forge forge;

    @BeforeEach
    void setUp(TestDatabase shared) throws Exception {
        db = shared.fresh();
        store = new QueueStore(TestCiphers.on(db));
        github = GitHubSimulator.start();
        repo = github.createRepository("acme", "widgets");
        Path key = Files.writeString(TempDirs.create("github-app-key").resolve("app.pem"), github.app().privateKeyPkcs8Pem());
        GitHubSettings settings = new GitHubSettings(URI.create(github.apiUrl()), github.app().id(), Optional.of(key), Optional.empty());
        forge = new GitHubApp(settings, Clock.systemUTC()).forRepository("acme", "widgets");
    }

    @AfterEach
    void stop() {
        github.close();
    }

    private PGSimpleDataSource connections() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(db.jdbcUrl());
        dataSource.setUser(db.user());
        dataSource.setPassword(db.password());
        return dataSource;
    }

    /** One replica: its own connections, worker and executor. */
    private record Replica(QueueWorker worker, QueueExecutor executor) {
    }

    private Replica replica() {
        PGSimpleDataSource dataSource = connections();
        QueueWorker worker = new QueueWorker(dataSource, store, new QueueConfigs(QueueConfig.of(QueueSettings.DEFAULTS)), clock, queue -> {
        });
        Forges forges = repository -> repository.equals("acme/widgets") ? Optional.of(forge) : Optional.empty();
        return new Replica(worker, new QueueExecutor(dataSource, store, new QueueConfigs(QueueConfig.of(QueueSettings.DEFAULTS)), forges, worker,
            new StoredCommitResults(dataSource), new StoredFlakinessVerdicts(dataSource), clock));
    }

    private List<String> pendingDecisions() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = connections().getConnection();
             var s = c.createStatement();
             var rs = s.executeQuery("SELECT seq || ' ' || last_error FROM merge_queue_outbox WHERE done_at IS NULL ORDER BY seq")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    @Test
    void while_one_replica_carries_out_a_queue_s_decision_the_other_leaves_that_queue_alone() throws Exception {
        int pr = repo.openPullRequest("feature", "Add a feature", Map.of("feature.txt", "feature\n"));
        String head = repo.branchSha("feature");
        Replica first = replica();
        Replica second = replica();
        try (Connection c = connections().getConnection()) {
            store.submit(c, new QueueKey("acme/widgets", "main"), () -> repo.branchSha("main"),
                new QueueEvent.Enqueue(new PullRequest(pr, head, Set.of(), Priority.URGENT, MergeMethod.MERGE)), "test:1", clock.instant());
        }
        first.worker().drain();
        assertEquals(3, pendingDecisions().size(), "queued, its test started, testing");

        // The first replica skips the stale "queued" status, builds the candidate and shows the queue check "testing";
        // GitHub's answer to that is held, so the replica is mid-action.
        GitHubSimulator.Hold check = github.holdAnswer("POST", "/repos/acme/widgets/check-runs");
        CompletableFuture<Integer> busy = CompletableFuture.supplyAsync(() -> {
            try {
                return first.executor().drain();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(check.awaitReached(Duration.ofSeconds(30)), "the first replica is carrying out the last decision");
        assertEquals(1, pendingDecisions().size(), "the first two are done");

        int calls = github.calls();
        assertEquals(0, second.executor().drain(), "the second replica does nothing for the queue the first holds");
        assertEquals(calls, github.calls(), "not even a call to GitHub");
        assertEquals(1, pendingDecisions().size());

        check.release();
        assertEquals(3, busy.get(30, TimeUnit.SECONDS), "the first replica carried out all three: " + pendingDecisions());
        assertEquals(List.of(), pendingDecisions());
        assertEquals(Set.of("mainstay/queue/main/1"), repo.branches("mainstay/queue/"), "the candidate was built once");
        assertEquals(Map.of("Mainstay merge queue", "in_progress/"), repo.checkRuns(head), "one queue check, showing it tested");
        assertEquals(0, second.executor().drain(), "and once the lock is free there is nothing left to do twice");
    }
}
