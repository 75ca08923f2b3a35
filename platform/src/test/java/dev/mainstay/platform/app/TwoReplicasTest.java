package dev.mainstay.platform.app;

import static dev.mainstay.platform.app.ServeConfigs.newKek;
import static dev.mainstay.platform.app.ServeConfigs.proxiedConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.platform.jobs.Jobs;
import dev.mainstay.testkit.ApplianceProcess;
import dev.mainstay.testkit.MainstayDatabase;
import dev.mainstay.testkit.PrivateCa;
import dev.mainstay.testkit.TempDirs;
import dev.mainstay.testkit.TestDatabase;
import dev.mainstay.testkit.github.GitHubSimulator;
import dev.mainstay.testkit.github.SimulatedRepository;
import dev.mainstay.testkit.github.Webhooks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two appliance processes ({@code ./mainstay serve}) on one database, as two replicas behind a load
 * balancer: GitHub's deliveries reach either, and while one is in the middle of carrying out a
 * queue's decision the other does nothing to that queue; the pull request merges once. Their
 * scheduled jobs share one clustered Quartz schedule: each fire time runs once across both, and a
 * run whose replica is killed is run again by the other.
 */
@MainstayDatabase
class TwoReplicasTest {

    private static final String SECRET = "two-replicas-webhook-secret-0123456789";
    private static final Duration START = Duration.ofSeconds(120);

    private final HttpClient http = HttpClient.newHttpClient();
    private int delivered;

    /** Two {@code serve} processes on {@code db}, sharing one key-encryption key and one audit signing key as replicas of one installation do. */
    private record Replicas(ApplianceProcess a, ApplianceProcess b) implements AutoCloseable {

        static Replicas start(TestDatabase db, Path dir, Map<String, String> properties) throws Exception {
            Path kek = newKek(dir);
            Path first = Files.createDirectories(dir.resolve("first"));
            Path second = Files.createDirectories(dir.resolve("second"));
            proxiedConfig(db, first, kek);
            Files.copy(first.resolve("audit-signing.pem"), second.resolve("audit-signing.pem"));
            proxiedConfig(db, second, kek);
            ApplianceProcess a = ApplianceProcess.startAndAwaitReady(dir.resolve("first.log"), properties, START,
                "serve", "--config", first.resolve("mainstay.yaml").toString());
            try {
                return new Replicas(a, ApplianceProcess.startAndAwaitReady(dir.resolve("second.log"), properties, START,
                    "serve", "--config", second.resolve("mainstay.yaml").toString()));
            } catch (Exception | Error e) {
                a.close();
                throw e;
            }
        }

        @Override
        public void close() {
            try {
                b.close();
            } finally {
                a.close();
            }
        }
    }

    @Test
    void two_replicas_on_one_database_act_on_a_queue_one_at_a_time_and_merge_a_pull_request_once(TestDatabase shared) throws Exception {
        TestDatabase db = shared.fresh();
        Path dir = TempDirs.create("mainstay-replicas-");
        PrivateCa ca = PrivateCa.issue(dir.resolve("ca"));
        try (GitHubSimulator github = GitHubSimulator.startTls(ca)) {
            github.ci().duration(Duration.ofMillis(50));
            SimulatedRepository repo = github.createRepository("acme", "replicas");
            repo.collaborator("alice", "write");
            Path appKey = Files.writeString(dir.resolve("github-app.pem"), github.app().privateKeyPkcs8Pem());
            Map<String, String> properties = SignInStub.with(Map.of(
                "mainstay.github.api-url", github.apiUrl(),
                "mainstay.github.app-id", Long.toString(github.app().id()),
                "mainstay.github.private-key", appKey.toString(),
                "mainstay.github.ca", ca.caCertificate().toString(),
                "mainstay.github.webhook-secret", SECRET,
                "mainstay.queue.batch-max-wait", "0s"));
            try (Replicas both = Replicas.start(db, dir, properties)) {
                ApplianceProcess a = both.a();
                ApplianceProcess b = both.b();
                List<ApplianceProcess> replicas = List.of(a, b);
                int pr = repo.openPullRequest("feature", "A feature", Map.of("feature.txt", "feature\n"));
                String main = repo.branchSha("main");
                // The queue's check run on the pull request is GitHub's answer that is held: a replica is mid-decision.
                GitHubSimulator.Hold held = github.holdAnswer("POST", "/repos/acme/replicas/check-runs");
                repo.comment(pr, "alice", "/mainstay merge");
                deliverNew(github, replicas);
                assertTrue(held.awaitReached(Duration.ofSeconds(60)), "a replica carries out the queue's decisions:\n" + a.output()
                    + "\n" + b.output());

                int before = github.requests().size();
                Thread.sleep(6_000); // three polls of each replica's worker and executor
                List<String> writes = github.requests().subList(before, github.requests().size()).stream()
                    .filter(r -> !r.startsWith("GET ") && r.contains("/repos/")).toList(); // an installation token is no change
                assertEquals(List.of(), writes, "while one replica is mid-decision, neither changes anything on GitHub for the queue");

                held.release();
                long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
                while (!repo.pullRequestState(pr).equals("merged")) {
                    assertTrue(System.nanoTime() < deadline, "the pull request did not merge: " + repo.pullRequestState(pr) + "\n"
                        + a.output() + "\n" + b.output());
                    deliverNew(github, replicas);
                    Thread.sleep(200);
                }
                assertEquals(1, github.requests().stream().filter(r -> r.equals("PATCH /repos/acme/replicas/git/refs/heads/main")).count(),
                    "main was moved once");
                assertEquals(List.of(main, repo.branchSha("feature")), repo.parents(repo.branchSha("main")),
                    "main is the tested merge of the pull request onto where main was");
            }
        }
    }

    @Test
    void two_replicas_run_each_fire_time_of_a_job_once_and_one_recovers_the_run_of_a_replica_killed_mid_run(TestDatabase shared)
        throws Exception {
        TestDatabase db = shared.fresh();
        Path dir = TempDirs.create("mainstay-replica-jobs-");
        Map<String, String> properties = SignInStub.with(Map.of("mainstay.jobs.job-run-retention.schedule", "* * * * * ?"));
        try (Replicas both = Replicas.start(db, dir, properties)) {
            ApplianceProcess a = both.a();
            ApplianceProcess b = both.b();
            // Every second, one run: the audit trail names the fire time each run was for.
            String fireTimes = "SELECT details::jsonb ->> 'scheduled_for' FROM audit_event WHERE action = 'job.run'"
                + " AND target_id = 'job-run-retention' AND details::jsonb ->> 'triggered_by' = 'schedule'";
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (db.column(fireTimes).size() < 10) {
                assertTrue(System.nanoTime() < deadline, "the job did not run every second:\n" + a.output() + "\n" + b.output());
                Thread.sleep(200);
            }
            List<String> times = db.column(fireTimes);
            assertEquals(times.size(), new java.util.HashSet<>(times).size(), "no fire time ran twice: " + times);

            // A run that cannot finish: the job must delete an old run record, which the test holds locked.
            String stuck;
            try (Connection lock = db.connect()) {
                lock.setAutoCommit(false);
                try (Statement s = lock.createStatement()) {
                    s.executeUpdate("INSERT INTO job_run (id, job, replica, started, finished, outcome) VALUES"
                        + " (gen_random_uuid(), 'long-gone', 'test', now() - interval '100 days', now() - interval '100 days', 'succeeded')");
                }
                lock.commit();
                try (Statement s = lock.createStatement()) {
                    s.executeQuery("SELECT 1 FROM job_run WHERE job = 'long-gone' FOR UPDATE").close();
                }
                stuck = await(db, "a run of the job is stuck on the lock", "SELECT replica FROM job_run WHERE job = 'job-run-retention'"
                    + " AND outcome = 'running' AND started < now() - interval '2 seconds'");
                ApplianceProcess victim = stuck.endsWith("-" + a.pid()) ? a : b;
                ApplianceProcess survivor = victim == a ? b : a;
                assertTrue(stuck.endsWith("-" + victim.pid()), "the stuck run's replica is one of the two: " + stuck);
                victim.kill();
                // The survivor takes the dead replica's run over once it stops checking in, and waits on the same lock.
                await(db, "the survivor recovers the killed replica's run", "SELECT 1 FROM job_run WHERE job = 'job-run-retention'"
                    + " AND triggered_by = 'recovery' AND replica LIKE ?", "%-" + survivor.pid());
                lock.rollback();
            }
            assertEquals("interrupted", await(db, "the killed run is marked", "SELECT outcome FROM job_run WHERE job = 'job-run-retention'"
                + " AND replica = ? AND outcome <> 'running' ORDER BY started DESC LIMIT 1", stuck), "the killed replica's run");
            assertEquals("succeeded", await(db, "the recovered run finishes", "SELECT outcome FROM job_run WHERE job = 'job-run-retention'"
                + " AND triggered_by = 'recovery' AND outcome <> 'running'"));
            assertEquals(List.of(), db.column("SELECT id FROM job_run WHERE job = 'long-gone'"), "the old run record is gone");

            // Stopped (SIGTERM) while its run is stuck, the survivor does not wait for it for ever: it leaves the run to the
            // cluster and exits.
            ApplianceProcess survivor = a.isAlive() ? a : b;
            try (Connection lock = db.connect()) {
                lock.setAutoCommit(false);
                try (Statement s = lock.createStatement()) {
                    s.executeUpdate("INSERT INTO job_run (id, job, replica, started, finished, outcome) VALUES"
                        + " (gen_random_uuid(), 'long-gone', 'test', now() - interval '100 days', now() - interval '100 days', 'succeeded')");
                }
                lock.commit();
                try (Statement s = lock.createStatement()) {
                    s.executeQuery("SELECT 1 FROM job_run WHERE job = 'long-gone' FOR UPDATE").close();
                }
                await(db, "a run of the survivor is stuck on the lock", "SELECT replica FROM job_run WHERE job = 'job-run-retention'"
                    + " AND outcome = 'running' AND replica LIKE ? AND started < now() - interval '2 seconds'", "%-" + survivor.pid());
                survivor.stop(Duration.ofSeconds(Jobs.STOP_WAIT_SECONDS + 15));
                lock.rollback();
            }
        }
    }

    /** The first value {@code sql} returns once it returns one; fails naming {@code what} after 60 s. */
    private static String await(TestDatabase db, String what, String sql, Object... parameters) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try (Connection c = db.connect(); PreparedStatement s = c.prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    s.setObject(i + 1, parameters[i]);
                }
                try (ResultSet rs = s.executeQuery()) {
                    if (rs.next()) {
                        return rs.getString(1);
                    }
                }
            }
            assertTrue(System.nanoTime() < deadline, what + ": not so after 60 s");
            Thread.sleep(200);
        }
    }

    /** Sends GitHub's new deliveries, each to one replica in turn, as a load balancer would. */
    private void deliverNew(GitHubSimulator github, List<ApplianceProcess> replicas) throws Exception {
        List<Webhooks.Delivery> all = github.webhooks().deliveries();
        for (Webhooks.Delivery d : all.subList(delivered, all.size())) {
            URI url = replicas.get(delivered % replicas.size()).baseUri().resolve("/webhooks/github");
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(url).header("Content-Type", "application/json")
                .header("X-Forwarded-Proto", "https").header("X-GitHub-Event", d.event()).header("X-GitHub-Delivery", d.id())
                .header("X-Hub-Signature-256", Webhooks.sign(d.body(), SECRET.getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(d.body())).build(), HttpResponse.BodyHandlers.ofString());
            assertTrue(answer.statusCode() == 202 || answer.statusCode() == 200, d.event() + ": " + answer.statusCode() + " " + answer.body());
            delivered++;
        }
    }
}
