package dev.mainstay.platform.queue.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import dev.mainstay.platform.identity.SignedInAppliance;
import dev.mainstay.platform.queue.LiveGitHub;
import dev.mainstay.testkit.BrowserFixture;
import dev.mainstay.testkit.KeycloakFixture;
import dev.mainstay.testkit.TestUser;
import dev.mainstay.testkit.github.CiModel;
import dev.mainstay.testkit.github.GitHubSimulator;
import dev.mainstay.testkit.github.SimulatedRepository;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Lanes on the running appliance: CI posts each pull request's impacted targets, or the queue's
 * settings map path globs to targets, and two pull requests with disjoint targets are tested
 * independently (neither candidate holds the other) where, in one lane, the second would be tested
 * on top of the first.
 */
@ExtendWith(BrowserFixture.class)
class ImpactedTargetsTest {

    private final SignedInAppliance appliance = SignedInAppliance.shared();
    private final GitHubSimulator github = SignedInAppliance.github();

    @Test
    void pull_requests_with_disjoint_impacted_targets_are_tested_in_lanes_of_their_own(BrowserContext context) throws Exception {
        try (LiveGitHub live = new LiveGitHub(context)) {
            SimulatedRepository repo = live.repository("lanes");
            // A speculative chain of single pull requests: in one lane the second is tested on top of the first.
            SignedInAppliance.Session maintainer = appliance.signIn(context, KeycloakFixture.shared(), TestUser.MAINTAINER);
            HttpResponse<String> settings = appliance.json(maintainer, "PUT", "/api/v1/orgs/acme/queues/" + repo.fullName()
                + "/settings?branch=main", "{\"screening\": false, \"batch_size\": 1, \"concurrency\": 4}");
            assertEquals(200, settings.statusCode(), settings.body());
            String token = appliance.token(context, KeycloakFixture.shared(), "lanes-ci", "queue:write");
            int app = repo.openPullRequest("app", "App change", Map.of("app/main.txt", "app\n"));
            int docs = repo.openPullRequest("docs", "Docs change", Map.of("docs/index.txt", "docs\n"));

            assertEquals(201, post(token, repo.fullName(), app, repo.branchSha("app"), "[\"//app:server\", \"//app:lib\"]").statusCode());
            assertEquals(201, post(token, repo.fullName(), docs, repo.branchSha("docs"), "[\"//docs:site\"]").statusCode());
            HttpResponse<String> bad = post(token, repo.fullName(), docs, "not-a-sha", "[\"//docs:site\"]");
            assertEquals(422, bad.statusCode(), bad.body());
            assertTrue(bad.body().contains("40-hex commit"), bad.body());
            assertEquals(404, post(token, "globex/site", 1, repo.branchSha("docs"), "[]").statusCode(), "another owner's repository");

            assertTestedApart(live, repo, app, docs);
            assertEquals(List.of("queue.targets.post lanes-ci"), appliance.column("SELECT DISTINCT action || ' ' || actor_name FROM audit_event"
                + " WHERE action = 'queue.targets.post' AND target_id = ?", repo.fullName() + "#" + docs));
            assertEquals(List.of(), live.refused());
        }
    }

    @Test
    void pull_requests_whose_files_fall_in_disjoint_lanes_by_path_are_tested_apart(BrowserContext context) throws Exception {
        try (LiveGitHub live = new LiveGitHub(context)) {
            SimulatedRepository repo = live.repository("path-lanes");
            SignedInAppliance.Session maintainer = appliance.signIn(context, KeycloakFixture.shared(), TestUser.MAINTAINER);
            HttpResponse<String> settings = appliance.json(maintainer, "PUT", "/api/v1/orgs/acme/queues/" + repo.fullName()
                + "/settings?branch=main", "{\"screening\": false, \"batch_size\": 1, \"concurrency\": 4,"
                + " \"lanes\": {\"app\": [\"app/**\"], \"docs\": [\"docs/**\", \"*.md\"]}}");
            assertEquals(200, settings.statusCode(), settings.body());
            HttpResponse<String> bad = appliance.json(maintainer, "PUT", "/api/v1/orgs/acme/queues/" + repo.fullName()
                + "/settings?branch=main", "{\"lanes\": {\"app\": [\"app/[\"]}}");
            assertEquals(422, bad.statusCode(), bad.body());
            assertTrue(bad.body().contains("'app/[' is not a glob"), bad.body());
            // No targets are posted: the lanes come from the files each pull request changes, listed by GitHub.
            int app = repo.openPullRequest("app", "App change", Map.of("app/main.txt", "app\n", "app/lib/util.txt", "util\n"));
            int docs = repo.openPullRequest("docs", "Docs change", Map.of("docs/index.txt", "docs\n", "CHANGES.md", "docs\n"));

            assertTestedApart(live, repo, app, docs);
            assertEquals(List.of(), live.refused());
        }
    }

    /**
     * Queues {@code app}, then {@code docs} while {@code app} is under test, and checks that both merge
     * and that {@code docs} was tested without {@code app}'s change: in one lane, its candidate would
     * have been built on top of {@code app}'s.
     */
    private void assertTestedApart(LiveGitHub live, SimulatedRepository repo, int app, int docs) throws Exception {
        github.ci().duration(Duration.ofSeconds(8)); // the app change is still under test when the docs change is queued
        try {
            repo.comment(app, "alice", "/mainstay merge");
            live.await("the app change is being tested", Duration.ofSeconds(60), () -> appliance.column(
                "SELECT testing FROM merge_queue WHERE repo = ?", repo.fullName()).equals(List.of("1")));
            repo.comment(docs, "alice", "/mainstay merge");
            live.await("both merge", Duration.ofSeconds(120), () -> repo.pullRequestState(app).equals("merged")
                && repo.pullRequestState(docs).equals("merged"));
        } finally {
            github.ci().duration(Duration.ofMillis(50));
        }
        CiModel.Run first = github.ci().runs().stream().filter(r -> r.repository().equals(repo.fullName())
            && r.pullRequests().contains(docs)).findFirst().orElseThrow();
        assertEquals(Optional.empty(), repo.file(first.sha(), "app/main.txt"), "the docs change's first candidate holds no app change");
        assertTrue(repo.file(first.sha(), "docs/index.txt").isPresent());
    }

    private HttpResponse<String> post(String token, String repo, int pr, String head, String targets) throws Exception {
        String body = "{\"repository\": \"" + repo + "\", \"pull_request\": " + pr + ", \"head\": \"" + head + "\", \"targets\": " + targets + "}";
        return appliance.http().send(HttpRequest.newBuilder(URI.create(appliance.url("/api/v1/impacted-targets")))
            .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
