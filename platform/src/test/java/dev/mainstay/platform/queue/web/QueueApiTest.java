package dev.mainstay.platform.queue.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import dev.mainstay.platform.identity.SignedInAppliance;
import dev.mainstay.platform.ingest.CliProcess;
import dev.mainstay.platform.queue.LiveGitHub;
import dev.mainstay.testkit.BrowserFixture;
import dev.mainstay.testkit.KeycloakFixture;
import dev.mainstay.testkit.TestUser;
import dev.mainstay.testkit.github.GitHubSimulator;
import dev.mainstay.testkit.github.SimulatedRepository;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Queueing by API on the running appliance and the simulated GitHub: a token queues a pull request
 * (which then shows the queue's check run on GitHub), once per idempotency key, and takes it out; a
 * person GitHub does not let push is refused and the refusal audited; bad requests are named.
 */
@ExtendWith(BrowserFixture.class)
class QueueApiTest {

    private final SignedInAppliance appliance = SignedInAppliance.shared();
    private final GitHubSimulator github = SignedInAppliance.github();

    @TempDir
    Path dir;

    @Test
    void a_token_queues_and_dequeues_a_pull_request_as_its_admin_and_people_who_may_not_push_are_refused(BrowserContext context)
        throws Exception {
        try (LiveGitHub live = new LiveGitHub(context)) {
            SimulatedRepository repo = live.repository("api");
            repo.collaborator(TestUser.ADMIN.username(), "write");
            int pr = repo.openPullRequest("api-change", "An API change", Map.of("api.txt", "api\n"));
            String token = appliance.token(context, KeycloakFixture.shared(), "queue-api", "queue:write");
            String entries = "/api/v1/queues/" + repo.fullName() + "/entries";
            github.ci().duration(Duration.ofSeconds(60)); // the candidate's CI is still running when the pull request is taken out

            HttpResponse<String> queued = send(token, "POST", entries, "{\"pull_request\": " + pr + ", \"priority\": \"high\"}", "try-1");
            assertEquals(202, queued.statusCode(), queued.body());
            assertTrue(queued.body().contains("\"branch\":\"main\"") && queued.body().contains("\"new\":true"), queued.body());
            live.await("the pull request shows the queue's check run on GitHub", Duration.ofSeconds(60),
                () -> LiveGitHub.queueCheck(repo, "api-change").startsWith("queued") || LiveGitHub.queueCheck(repo, "api-change")
                    .startsWith("in_progress"));
            HttpResponse<String> again = send(token, "POST", entries, "{\"pull_request\": " + pr + ", \"priority\": \"high\"}", "try-1");
            assertEquals(202, again.statusCode(), again.body());
            assertTrue(again.body().contains("\"new\":false"), "the same idempotency key stores nothing more: " + again.body());
            assertEquals(List.of("queue.merge api-token queue-api success high"), appliance.column("SELECT action || ' ' || actor_type"
                + " || ' ' || actor_name || ' ' || outcome || ' ' || (details::jsonb ->> 'priority') FROM audit_event"
                + " WHERE action = 'queue.merge' AND target_id = ? ORDER BY seq LIMIT 1", repo.fullName() + "#" + pr));

            HttpResponse<String> cancelled = send(token, "DELETE", entries + "/" + pr, null, null);
            assertEquals(202, cancelled.statusCode(), cancelled.body());
            live.await("the pull request leaves the queue", Duration.ofSeconds(60), () -> appliance.column(
                "SELECT depth FROM merge_queue WHERE repo = ?", repo.fullName()).equals(List.of("0")));
            HttpResponse<String> notQueued = send(token, "DELETE", entries + "/" + pr, null, null);
            assertEquals(202, notQueued.statusCode(), "taking out what is not queued changes nothing: " + notQueued.body());
            assertEquals(List.of("0"), appliance.column("SELECT depth FROM merge_queue WHERE repo = ?", repo.fullName()));

            // The CLI a CI runner downloads from the appliance does the same.
            CliProcess cli = CliProcess.download(appliance, dir);
            String[] target = {"--url", appliance.baseUri().toString(), "--ca-cert", appliance.caCertificate().toString(),
                "--repo", repo.fullName(), "--pr", String.valueOf(pr)};
            CliProcess.Run enqueued = cli.run(dir, token, concat(new String[] {"queue", "enqueue", "--priority", "urgent"}, target));
            assertEquals(0, enqueued.exit(), enqueued.output());
            assertTrue(enqueued.output().contains("#" + pr + " of " + repo.fullName() + " is queued on main (urgent)"), enqueued.output());
            live.await("the CLI's pull request is queued", Duration.ofSeconds(60), () -> appliance.column(
                "SELECT depth FROM merge_queue WHERE repo = ?", repo.fullName()).equals(List.of("1")));
            CliProcess.Run dequeued = cli.run(dir, token, concat(new String[] {"queue", "cancel"}, target));
            assertEquals(0, dequeued.exit(), dequeued.output());
            CliProcess.Run missing = cli.run(dir, token, "queue", "enqueue", "--url", appliance.baseUri().toString(), "--ca-cert",
                appliance.caCertificate().toString(), "--repo", repo.fullName(), "--pr", "9999");
            assertEquals(6, missing.exit(), missing.output());
            assertTrue(missing.output().contains("refused (404)"), missing.output());
            CliProcess.Run targets = cli.run(dir, token, concat(new String[] {"queue", "targets", "--head", repo.branchSha("api-change"),
                "--target", "//api:server", "--target", "//api:client"}, target));
            assertEquals(0, targets.exit(), targets.output());
            assertTrue(targets.output().contains("2 impacted targets of #" + pr), targets.output());
            assertEquals(List.of("[\"//api:client\",\"//api:server\"]"), appliance.column("SELECT targets FROM merge_queue_targets"
                + " WHERE repo = ? AND pr = ?", repo.fullName(), pr));

            // Named mistakes.
            assertProblem(send(token, "POST", entries, "{\"pull_request\": \"twelve\"}", null), 422, "send {\\\"pull_request\\\": <number>}");
            assertProblem(send(token, "POST", entries, "{\"pull_request\": " + pr + ", \"priority\": \"asap\"}", null), 422,
                "priority must be");
            assertProblem(send(token, "POST", entries, "{\"pull_request\": 9999}", null), 404, "HTTP 404");
            assertProblem(send(token, "POST", "/api/v1/queues/globex/site/entries", "{\"pull_request\": 1}", null), 404,
                "is not among the repositories whose merge queues your org sees");

            // The maintainer may use the queue in Mainstay, but GitHub does not let them push to this repository. GitHub is asked
            // about their GitHub login from Keycloak, not about a GitHub account that happens to bear their Mainstay user name.
            repo.collaborator(TestUser.MAINTAINER.username(), "write");
            SignedInAppliance.Session maintainer = appliance.signIn(context, KeycloakFixture.shared(), TestUser.MAINTAINER);
            assertEquals(List.of(TestUser.MAINTAINER_GITHUB_LOGIN), appliance.column("SELECT DISTINCT github_login FROM identity_session"
                + " WHERE username = ? AND ended_at IS NULL", TestUser.MAINTAINER.username()), "the login came in the ID token");
            HttpResponse<String> refused = appliance.json(maintainer, "POST", entries, "{\"pull_request\": " + pr + "}");
            assertProblem(refused, 403, "GitHub says " + TestUser.MAINTAINER_GITHUB_LOGIN + " may not push to " + repo.fullName());
            assertEquals(List.of("maintainer denied no write access " + TestUser.MAINTAINER_GITHUB_LOGIN), appliance.column(
                "SELECT actor_name || ' ' || outcome || ' ' || (details::jsonb ->> 'reason') || ' ' || (details::jsonb ->> 'github_user')"
                    + " FROM audit_event WHERE action = 'queue.merge' AND target_id = ? AND outcome = 'denied'", repo.fullName() + "#" + pr));
            repo.collaborator(TestUser.MAINTAINER_GITHUB_LOGIN, "write");
            HttpResponse<String> allowed = appliance.json(maintainer, "DELETE", entries + "/" + pr, null);
            assertEquals(202, allowed.statusCode(), "GitHub lets their GitHub login push: " + allowed.body());
            assertEquals(List.of(), live.refused());
        } finally {
            github.ci().duration(Duration.ofMillis(50));
        }
    }

    private static String[] concat(String[] first, String[] second) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(first), java.util.Arrays.stream(second)).toArray(String[]::new);
    }

    private static void assertProblem(HttpResponse<String> response, int status, String detail) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.body().contains(detail), response.body());
    }

    private HttpResponse<String> send(String token, String method, String path, String body, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(appliance.url(path))).header("Authorization", "Bearer " + token);
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return appliance.http().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
