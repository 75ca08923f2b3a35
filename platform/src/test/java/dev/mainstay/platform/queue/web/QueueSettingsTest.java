package dev.mainstay.platform.queue.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import dev.mainstay.platform.identity.SignedInAppliance;
import dev.mainstay.platform.queue.LiveGitHub;
import dev.mainstay.testkit.BrowserFixture;
import dev.mainstay.testkit.KeycloakFixture;
import dev.mainstay.testkit.TestUser;
import dev.mainstay.testkit.github.SimulatedRepository;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A repository branch's queue settings on the running appliance: a maintainer sets them over the
 * API and on the settings page, a member only reads them, mistakes are named, every change is
 * audited, and the queue works by them (here: pull requests land squashed).
 */
@ExtendWith(BrowserFixture.class)
class QueueSettingsTest {

    private static final String ORG = "acme";

    private final SignedInAppliance appliance = SignedInAppliance.shared();

    @Test
    void a_maintainer_sets_a_branchs_queue_settings_a_member_reads_them_and_the_queue_follows_them(BrowserContext context)
        throws Exception {
        try (LiveGitHub live = new LiveGitHub(context)) {
            SimulatedRepository repo = live.repository("settings");
            String api = "/api/v1/orgs/" + ORG + "/queues/" + repo.fullName() + "/settings?branch=main";
            SignedInAppliance.Session maintainer = appliance.signIn(context, KeycloakFixture.shared(), TestUser.MAINTAINER);

            HttpResponse<String> set = appliance.json(maintainer, "PUT", api, "{\"merge_method\": \"squash\", \"concurrency\": 2}");
            assertEquals(200, set.statusCode(), set.body());
            assertTrue(set.body().contains("\"effective\":{") && set.body().contains("\"concurrency\":2")
                && set.body().contains("\"merge_method\":\"squash\"") && set.body().contains("\"batch_size\":8"), set.body());
            HttpResponse<String> bad = appliance.json(maintainer, "PUT", api, "{\"concurrency\": 0}");
            assertEquals(422, bad.statusCode(), bad.body());
            assertTrue(bad.body().contains("concurrency must be between 1 and 1000: 0"), bad.body());
            assertEquals(List.of("queue.settings.update maintainer {\"merge_method\": \"squash\", \"concurrency\": 2}"),
                appliance.column("SELECT action || ' ' || actor_name || ' ' || (details::jsonb ->> 'after') FROM audit_event"
                    + " WHERE action = 'queue.settings.update' AND target_id = ?", repo.fullName() + " main"),
                "the change is audited once; the refused one changed nothing");

            // The queue follows them: a queued pull request lands as one squashed commit.
            int pr = repo.openPullRequest("squashed", "Squash me", Map.of("a.txt", "a\n"), Map.of("b.txt", "b\n"));
            repo.comment(pr, "alice", "/mainstay merge");
            live.await("the pull request lands", Duration.ofSeconds(90), () -> repo.file(repo.branchSha("main"), "b.txt").isPresent()
                && LiveGitHub.queueCheck(repo, "squashed").equals("completed/success"),
                () -> "pull request " + repo.pullRequestState(pr) + ", queue check " + LiveGitHub.queueCheck(repo, "squashed")
                    + ", comments " + repo.comments(pr));
            assertEquals(1, repo.parents(repo.branchSha("main")).size(), "squashed: one parent, not a merge commit");

            // The page: the maintainer changes them; a member reads them.
            context.clearCookies();
            Page page = context.newPage();
            appliance.signIn(page, KeycloakFixture.shared(), TestUser.MAINTAINER, "/orgs/" + ORG + "/queues");
            assertEquals(0, page.locator("#github-setup").count(), "this appliance has a GitHub App: no setup notice");
            page.fill("#settings-of input[name=repo]", repo.fullName()); // the way to a branch whose queue has not started
            page.click("#settings-of button[type=submit]");
            page.waitForSelector("form#settings");
            assertTrue(page.url().endsWith("/orgs/" + ORG + "/queues/" + repo.fullName() + "/settings?branch=main"), page.url());

            // Each setting is the input of its kind: a choice of the merge methods, numbers within their range, boxes for flags.
            assertEquals("squash", page.inputValue("#setting-merge_method"));
            assertEquals(List.of("", "merge", "squash", "rebase"),
                page.locator("select#setting-merge_method option").evaluateAll("options => options.map(o => o.value)"));
            assertEquals(List.of("number", "1", "100"), List.of(page.getAttribute("#setting-batch_size", "type"),
                page.getAttribute("#setting-batch_size", "min"), page.getAttribute("#setting-batch_size", "max")));
            assertEquals("checkbox", page.getAttribute("#setting-bisect", "type"));
            assertTrue(page.isChecked("#setting-bisect"), "a flag is ticked as it is in effect (here by default)");

            page.uncheck("#setting-bisect");
            page.fill("#setting-lanes", "web");
            page.click("#settings button[type=submit]");
            page.waitForSelector("#problem");
            assertTrue(page.locator("#problem").textContent().contains("lanes: 'web' is not 'target: glob, glob'"),
                page.locator("#problem").textContent());
            assertEquals("web", page.inputValue("#setting-lanes"), "what was entered stays in the form to correct");
            assertFalse(page.isChecked("#setting-bisect"), "an unticked box stays unticked to correct the rest");
            page.fill("#setting-batch_size", "4");
            page.fill("#setting-required_checks", "simulated-ci/junit");
            page.fill("#setting-lanes", "web: web/**, shared/{ui,icons}/**; api: api/**");
            page.click("#settings button[type=submit]");
            page.waitForSelector("#notice");
            assertEquals("4", page.inputValue("#setting-batch_size"));
            assertFalse(page.isChecked("#setting-bisect"), "unticked, and saved so");
            assertTrue(page.locator("#help-bisect").textContent().contains("In effect: false."), page.locator("#help-bisect").textContent());
            assertTrue(page.locator("#help-lanes").textContent().contains("In effect: web: web/**, shared/{ui,icons}/**; api: api/**."),
                page.locator("#help-lanes").textContent());
            assertTrue(page.locator("#help-required_checks").textContent().contains("In effect: simulated-ci/junit."),
                page.locator("#help-required_checks").textContent());
            HttpResponse<String> saved = appliance.json(appliance.signIn(context, KeycloakFixture.shared(), TestUser.MAINTAINER), "GET", api,
                null);
            assertTrue(saved.body().contains("\"bisect\":false") && saved.body().contains("\"optimistic_merge\":true")
                && saved.body().contains("\"merge_method\":\"squash\""), "the API reads what the page saved: " + saved.body());
            page.close();

            context.clearCookies();
            Page read = context.newPage();
            appliance.signIn(read, KeycloakFixture.shared(), TestUser.MEMBER, "/orgs/" + ORG + "/queues/" + repo.fullName()
                + "/settings?branch=main");
            assertEquals(0, read.locator("form#settings").count(), "a member has no form");
            assertTrue(read.locator("#row-batch_size").textContent().contains("4"), read.locator("#row-batch_size").textContent());
            read.close();
            SignedInAppliance.Session member = appliance.signIn(context, KeycloakFixture.shared(), TestUser.MEMBER);
            assertEquals(403, appliance.json(member, "PUT", api, "{}").statusCode(), "a member cannot change them");
            assertEquals(List.of(), live.refused());
        }
    }

    /**
     * Regression: a newcomer set up a branch before its first pull request (Merge queues, "Set up a
     * branch"), saved, and went on to the branch's queue, to find "No such merge queue" with a 404:
     * the queue page knew only queues that had started. Saving now shows the settings saved, and the
     * queue page shows the branch's empty queue and says that none was queued yet.
     */
    @Test
    void settings_saved_for_a_branch_nobody_queued_to_lead_to_its_settings_and_its_empty_queue_never_to_a_404(BrowserContext context) {
        String repo = "acme/unqueued-" + UUID.randomUUID().toString().substring(0, 8);
        context.clearCookies();
        Page page = context.newPage();
        appliance.signIn(page, KeycloakFixture.shared(), TestUser.MAINTAINER, "/orgs/" + ORG + "/queues");
        page.fill("#settings-of input[name=repo]", repo);
        page.fill("#settings-of input[name=branch]", "release/2.0");
        page.click("#settings-of button[type=submit]");
        page.waitForSelector("form#settings");
        page.fill("#setting-concurrency", "3");
        page.uncheck("#setting-screening");

        Response saved = page.waitForResponse(r -> r.url().contains("saved=1"), () -> page.click("#settings button[type=submit]"));
        assertEquals(200, saved.status(), "saving leads to the settings page, saved");
        assertEquals("Queue settings saved. They apply from the queue's next event.", page.locator("#notice").textContent());
        assertEquals("3", page.inputValue("#setting-concurrency"));
        assertFalse(page.isChecked("#setting-screening"));

        Response queue = page.waitForResponse(r -> r.url().contains("/queues/" + repo + "?branch="), () -> page.click("#queue-link"));
        assertEquals(200, queue.status(), "the branch's queue page is there before its first pull request");
        assertTrue(page.locator("#not-started").textContent().contains("No pull request has been queued to release/2.0 yet."),
            page.locator("#not-started").textContent());
        assertEquals("Nothing is queued.", page.locator("#entries td.muted").textContent().strip());
        assertEquals(0, page.locator("#control").count(), "nothing to pause or drain yet");
        page.close();
    }
}
