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
import dev.mainstay.testkit.github.CiModel;
import dev.mainstay.testkit.github.GitHubSimulator;
import dev.mainstay.testkit.github.SimulatedRepository;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The queue pages in a real browser on the running appliance, fed by the simulated GitHub: a member
 * finds the repository's queue in the org's list, sees the pull request under test and the one
 * waiting, and, without reloading, sees them leave into the history, merged or removed with why.
 */
@ExtendWith(BrowserFixture.class)
class QueuePagesTest {

    private static final String ORG = "acme";

    private final SignedInAppliance appliance = SignedInAppliance.shared();
    private final GitHubSimulator github = SignedInAppliance.github();

    @Test
    void a_member_watches_pull_requests_go_through_the_queue_live_and_leave_into_its_history(BrowserContext context) throws Exception {
        try (LiveGitHub live = new LiveGitHub(context)) {
            SimulatedRepository repo = live.repository("pages");
            int good = repo.openPullRequest("good", "A good change", Map.of("good.txt", "good\n"));
            int bad = repo.openPullRequest("bad", "A broken change", Map.of("bad.txt", "bad\n"));
            github.ci().outcome(repo, bad, new CiModel.Outcome.Fail(List.of("com.acme.PageTest.renders")));
            github.ci().duration(Duration.ofSeconds(6));
            try {
                repo.comment(good, "alice", "/mainstay merge");
                repo.comment(bad, "alice", "/mainstay merge");
                live.await("both pull requests are queued and one is tested", Duration.ofSeconds(60), () -> appliance.column(
                    "SELECT depth || ' ' || (testing > 0) FROM merge_queue WHERE repo = ?", repo.fullName()).equals(List.of("2 true")));

                context.clearCookies();
                Page page = context.newPage();
                appliance.signIn(page, KeycloakFixture.shared(), TestUser.MEMBER, "/orgs/" + ORG + "/queues");
                page.click("#queues a:text-is('" + repo.fullName() + "')");
                page.waitForSelector("#entries");
                String entries = page.locator("#entries").textContent();
                assertTrue(page.locator("#pr-" + good).textContent().contains("testing"), entries);
                assertTrue(page.locator("#pr-" + bad).isVisible(), entries);
                assertTrue(page.locator("#tests").textContent().contains("#" + good), page.locator("#tests").textContent());
                assertTrue(page.locator("#pr-" + good + " a").getAttribute("href").endsWith("/" + repo.fullName() + "/pull/" + good),
                    "the pull request links to GitHub");
                String url = page.url();

                // The page refreshes itself: both leave the queue while it is open.
                page.waitForSelector("#history tr:has-text('#" + good + "'):has-text('merged')",
                    new Page.WaitForSelectorOptions().setTimeout(90_000));
                page.waitForSelector("#history tr:has-text('#" + bad + "'):has-text('checks failed')",
                    new Page.WaitForSelectorOptions().setTimeout(90_000));
                page.waitForSelector("#entries:has-text('Nothing is queued.')");
                assertEquals(url, page.url(), "the page was not reloaded");
                page.close();
                assertEquals(List.of(), live.refused());
            } finally {
                github.ci().duration(Duration.ofMillis(50));
            }
        }

        // Another owner's repository is not among this org's queues; a person of another org sees none of them.
        SignedInAppliance.Session member = appliance.signIn(context, KeycloakFixture.shared(), TestUser.MEMBER);
        HttpResponse<String> other = get(member, "/orgs/" + ORG + "/queues/globex/site?branch=main");
        assertEquals(404, other.statusCode());
        assertTrue(other.body().contains("No such merge queue"), other.body());
        SignedInAppliance.Session outsider = appliance.signIn(context, KeycloakFixture.shared(), TestUser.OUTSIDER);
        HttpResponse<String> list = get(outsider, "/orgs/" + ORG + "/queues");
        assertEquals(404, list.statusCode(), "an org one does not belong to is not shown");
    }

    @Test
    void a_maintainer_queues_a_pull_request_from_the_page_and_takes_it_out_where_github_lets_them_push(BrowserContext context)
        throws Exception {
        try (LiveGitHub live = new LiveGitHub(context)) {
            SimulatedRepository repo = live.repository("page-queue");
            repo.collaborator(TestUser.MAINTAINER_GITHUB_LOGIN, "write");
            int first = repo.openPullRequest("first", "First", Map.of("first.txt", "1\n"));
            int second = repo.openPullRequest("second", "Second", Map.of("second.txt", "2\n"));
            github.ci().duration(Duration.ofSeconds(60)); // still testing while the page is used
            try {
                repo.comment(first, "alice", "/mainstay merge");
                live.await("the queue starts", Duration.ofSeconds(60), () -> appliance.column(
                    "SELECT depth FROM merge_queue WHERE repo = ?", repo.fullName()).equals(List.of("1")));

                context.clearCookies();
                Page page = context.newPage();
                appliance.signIn(page, KeycloakFixture.shared(), TestUser.MAINTAINER, "/orgs/" + ORG + "/queues/" + repo.fullName()
                    + "?branch=main");
                page.fill("#enqueue input[name=pull_request]", "#" + second);
                page.selectOption("#enqueue select[name=priority]", "high");
                page.click("#enqueue button[type=submit]");
                page.waitForSelector("#notice");
                assertTrue(page.locator("#notice").textContent().contains("#" + second + " is queued"), page.locator("#notice").textContent());
                page.waitForSelector("#pr-" + second + ":has-text('high')");

                page.click("#pr-" + second + " button:has-text('Remove')");
                page.waitForSelector("#notice:has-text('leaves the queue')");
                page.waitForSelector("#history tr:has-text('#" + second + "'):has-text('removed')",
                    new Page.WaitForSelectorOptions().setTimeout(30_000));

                page.fill("#enqueue input[name=pull_request]", "9999");
                page.click("#enqueue button[type=submit]");
                page.waitForSelector("#problem");
                assertTrue(page.locator("#problem").textContent().contains("HTTP 404"), page.locator("#problem").textContent());
                page.close();
                assertEquals(List.of("queue.merge maintainer success", "queue.cancel maintainer success"), appliance.column(
                    "SELECT action || ' ' || actor_name || ' ' || outcome FROM audit_event WHERE target_id = ? AND actor_name = 'maintainer'"
                        + " ORDER BY seq", repo.fullName() + "#" + second));
            } finally {
                github.ci().duration(Duration.ofMillis(50));
            }
        }
    }

    private HttpResponse<String> get(SignedInAppliance.Session session, String path) throws Exception {
        return appliance.http().send(HttpRequest.newBuilder(URI.create(appliance.url(path))).header("Cookie", session.cookie()).GET()
            .build(), HttpResponse.BodyHandlers.ofString());
    }
}
