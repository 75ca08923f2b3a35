package dev.mainstay.platform.queue.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.mainstay.platform.identity.SignedInAppliance;
import dev.mainstay.platform.queue.LiveGitHub;
import dev.mainstay.testkit.BrowserFixture;
import dev.mainstay.testkit.KeycloakFixture;
import dev.mainstay.testkit.TestUser;
import dev.mainstay.testkit.github.GitHubSimulator;
import dev.mainstay.testkit.github.SimulatedRepository;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Pausing, draining and resuming a merge queue on the running appliance, over the API and from the
 * queue's page: a paused queue takes pull requests but tests and merges none; a draining one merges
 * what it held and then pauses, keeping what came later; resuming lets them through.
 */
@ExtendWith(BrowserFixture.class)
class QueueControlsTest {

    private final SignedInAppliance appliance = SignedInAppliance.shared();
    private final GitHubSimulator github = SignedInAppliance.github();

    @Test
    void a_paused_queue_holds_what_comes_and_a_drained_one_merges_what_it_had_then_holds(BrowserContext context) throws Exception {
        try (LiveGitHub live = new LiveGitHub(context)) {
            SimulatedRepository repo = live.repository("controls");
            int first = repo.openPullRequest("first", "First", Map.of("first.txt", "1\n"));
            int second = repo.openPullRequest("second", "Second", Map.of("second.txt", "2\n"));
            int third = repo.openPullRequest("third", "Third", Map.of("third.txt", "3\n"));
            int fourth = repo.openPullRequest("fourth", "Fourth", Map.of("fourth.txt", "4\n"));
            SignedInAppliance.Session maintainer = appliance.signIn(context, KeycloakFixture.shared(), TestUser.MAINTAINER);
            String api = "/api/v1/orgs/acme/queues/" + repo.fullName();

            HttpResponse<String> none = appliance.json(maintainer, "POST", api + "/pause?branch=main", null);
            assertEquals(404, none.statusCode(), none.body());
            assertTrue(none.body().contains("has no merge queue yet"), none.body());
            repo.comment(first, "alice", "/mainstay merge");
            live.await("the first pull request merges", Duration.ofSeconds(60), () -> repo.pullRequestState(first).equals("merged"));

            // Paused: the next pull request is taken, and neither tested nor merged.
            maintainer = appliance.signIn(context, KeycloakFixture.shared(), TestUser.MAINTAINER); // a step-up action: a recent sign-in
            HttpResponse<String> bad = appliance.json(maintainer, "POST", api + "/pause?branch=main", "{\"why\": 1}");
            assertEquals(422, bad.statusCode(), bad.body());
            HttpResponse<String> paused = appliance.json(maintainer, "POST", api + "/pause?branch=main", "{\"reason\": \"release freeze\"}");
            assertEquals(202, paused.statusCode(), paused.body());
            repo.comment(second, "alice", "/mainstay merge");
            live.await("the paused queue holds the second pull request", Duration.ofSeconds(60), () -> appliance.column(
                "SELECT depth FROM merge_queue WHERE repo = ?", repo.fullName()).equals(List.of("1")));
            assertEquals(List.of("0"), appliance.column("SELECT testing FROM merge_queue WHERE repo = ?", repo.fullName()),
                "taken in while paused: no candidate test starts");

            context.clearCookies();
            Page page = context.newPage();
            appliance.signIn(page, KeycloakFixture.shared(), TestUser.MAINTAINER, "/orgs/acme/queues/" + repo.fullName() + "?branch=main");
            assertTrue(page.locator("#queue-state").textContent().contains("Paused"), page.locator("#queue-state").textContent());
            page.click("#control button#resume");
            page.waitForSelector("#notice:has-text('resumes')");
            live.await("the second pull request merges once resumed", Duration.ofSeconds(60),
                () -> repo.pullRequestState(second).equals("merged"));

            // Draining: the pull request under test merges; one queued after the drain waits, and the queue pauses.
            github.ci().duration(Duration.ofSeconds(6));
            try {
                repo.comment(third, "alice", "/mainstay merge");
                live.await("the third pull request is tested", Duration.ofSeconds(60), () -> appliance.column(
                    "SELECT testing FROM merge_queue WHERE repo = ?", repo.fullName()).equals(List.of("1")));
                page.reload();
                page.fill("#control input[name=reason]", "end of day");
                page.click("#control button#drain");
                page.waitForSelector("#notice:has-text('drains')");
                repo.comment(fourth, "alice", "/mainstay merge");
                live.await("the third merges", Duration.ofSeconds(90), () -> repo.pullRequestState(third).equals("merged"));
            } finally {
                github.ci().duration(Duration.ofMillis(50));
            }
            page.waitForSelector("#queue-state:has-text('Paused')", new Page.WaitForSelectorOptions().setTimeout(30_000));
            assertEquals(List.of("1 0"), appliance.column("SELECT depth || ' ' || testing FROM merge_queue WHERE repo = ?", repo.fullName()),
                "the fourth, queued after the drain, waits");
            assertEquals("open", repo.pullRequestState(fourth));
            page.close();

            maintainer = appliance.signIn(context, KeycloakFixture.shared(), TestUser.MAINTAINER); // a step-up action: a recent sign-in
            HttpResponse<String> resumed = appliance.json(maintainer, "POST", api + "/resume?branch=main", null);
            assertEquals(202, resumed.statusCode(), resumed.body());
            live.await("the fourth merges once resumed", Duration.ofSeconds(60), () -> repo.pullRequestState(fourth).equals("merged"));

            assertEquals(List.of("queue.pause maintainer", "queue.resume maintainer", "queue.drain maintainer", "queue.resume maintainer"),
                appliance.column("SELECT action || ' ' || actor_name FROM audit_event WHERE target_id = ? AND action <> 'queue.settings.update'"
                    + " ORDER BY seq", repo.fullName() + " main"));

            // A member sees the queue, without the controls, and cannot pause it.
            SignedInAppliance.Session member = appliance.signIn(context, KeycloakFixture.shared(), TestUser.MEMBER);
            assertEquals(403, appliance.json(member, "POST", api + "/pause?branch=main", null).statusCode());
            context.clearCookies();
            Page read = context.newPage();
            appliance.signIn(read, KeycloakFixture.shared(), TestUser.MEMBER, "/orgs/acme/queues/" + repo.fullName() + "?branch=main");
            read.waitForSelector("#entries");
            assertEquals(0, read.locator("#control").count(), "a member has no controls");
            read.close();
            assertEquals(List.of(), live.refused());
        }
    }
}
