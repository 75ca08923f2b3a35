package dev.mainstay.platform.app;

import static dev.mainstay.platform.app.ServeConfigs.newKek;
import static dev.mainstay.platform.app.ServeConfigs.proxiedConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two appliance processes ({@code ./mainstay serve}) on one database, as two replicas behind a load
 * balancer: GitHub's deliveries reach either, and while one is in the middle of carrying out a
 * queue's decision the other does nothing to that queue; the pull request merges once.
 */
@MainstayDatabase
class TwoReplicasTest {

    private static final String SECRET = "two-replicas-webhook-secret-0123456789";
    private static final Duration START = Duration.ofSeconds(120);

    private final HttpClient http = HttpClient.newHttpClient();
    private int delivered;

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
            // One key-encryption key and one audit signing key, as replicas of one installation share them.
            Path kek = newKek(dir);
            Path first = Files.createDirectories(dir.resolve("first"));
            Path second = Files.createDirectories(dir.resolve("second"));
            proxiedConfig(db, first, kek);
            Files.copy(first.resolve("audit-signing.pem"), second.resolve("audit-signing.pem"));
            proxiedConfig(db, second, kek);

            try (ApplianceProcess a = ApplianceProcess.startAndAwaitReady(dir.resolve("first.log"), properties, START,
                     "serve", "--config", first.resolve("mainstay.yaml").toString());
                 ApplianceProcess b = ApplianceProcess.startAndAwaitReady(dir.resolve("second.log"), properties, START,
                     "serve", "--config", second.resolve("mainstay.yaml").toString())) {
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
