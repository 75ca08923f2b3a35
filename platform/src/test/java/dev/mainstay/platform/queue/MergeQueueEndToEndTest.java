package dev.mainstay.platform.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import dev.mainstay.platform.identity.SignedInAppliance;
import dev.mainstay.testkit.BrowserFixture;
import dev.mainstay.testkit.github.CiModel;
import dev.mainstay.testkit.github.GitHubSimulator;
import dev.mainstay.testkit.github.SimulatedRepository;
import dev.mainstay.testkit.github.Webhooks;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The merge queue, live: pull requests queued by comment on the simulated GitHub go through the
 * running appliance's queue, its candidates are built on GitHub and tested by the simulated CI,
 * which uploads its JUnit results to the appliance as a CI job would; GitHub's webhooks flow back
 * signed. With twenty pull requests queued at once, the target branch only ever moves to commits CI
 * tested and passed; a failing pull request is dequeued with a comment naming its failing tests
 * (known-flaky ones marked); a pull request whose only failure is a known-flaky test is re-run and
 * merges. Killed ({@code kill -9}) after GitHub moved the target branch and before the appliance
 * learnt it, the restarted appliance merges the pull request exactly once.
 */
@ExtendWith(BrowserFixture.class)
class MergeQueueEndToEndTest {

    private static final String FLAKY_TEST = "com.acme.SearchTest.ranks";
    private static final String BROKEN_TEST = "com.acme.CartTest.totals";

    private final SignedInAppliance appliance = SignedInAppliance.shared();
    private final GitHubSimulator github = SignedInAppliance.github();
    private LiveGitHub live;

    @AfterEach
    void stop() throws InterruptedException {
        if (live != null) {
            live.close();
        }
    }

    /** A run on main in which the search test failed and then passed on a retry: flaky-test detection calls it flaky. */
    private static final String FLAKY_REPORT = """
        <testsuite name="com.acme.SearchTest" tests="1" failures="0">
          <testcase classname="com.acme.SearchTest" name="ranks" time="0.2">
            <flakyFailure message="timeout" type="java.lang.AssertionError"/>
          </testcase>
        </testsuite>
        """;

    @Test
    void twenty_queued_pull_requests_merge_as_tested_failing_ones_are_dequeued_with_their_tests_flaky_failures_are_re_run(
        BrowserContext context) throws Exception {
        live = new LiveGitHub(context);
        SimulatedRepository repo = live.repository("shop");
        live.upload(repo.fullName(), "main", repo.branchSha("main"), FLAKY_REPORT);
        live.await("flaky-test detection calls the search test flaky", Duration.ofSeconds(60), () -> appliance.column(
            "SELECT status FROM flaky_test WHERE repo = ? AND name = 'ranks'", repo.fullName()).equals(List.of("flaky")));
        String start = repo.branchSha("main");

        // Twenty pull requests, each changing a file of its own: two break the build (one of them also trips the
        // known-flaky test), two only trip the known-flaky test once, the rest pass.
        Map<Integer, String> files = new java.util.LinkedHashMap<>();
        for (int i = 1; i <= 20; i++) {
            int pr = repo.openPullRequest("change-" + i, "Change " + i, Map.of("change-" + i + ".txt", "change " + i + "\n"));
            files.put(pr, "change-" + i + ".txt");
        }
        List<Integer> prs = List.copyOf(files.keySet());
        int broken = prs.get(2);
        int alsoBroken = prs.get(10);
        List<Integer> flaky = List.of(prs.get(5), prs.get(14));
        github.ci().outcome(repo, broken, new CiModel.Outcome.Fail(List.of(BROKEN_TEST, FLAKY_TEST)));
        github.ci().outcome(repo, alsoBroken, new CiModel.Outcome.Fail(List.of("com.acme.CheckoutTest.pays")));
        flaky.forEach(pr -> github.ci().outcome(repo, pr, new CiModel.Outcome.Flaky(FLAKY_TEST, 1)));
        for (int pr : prs) {
            repo.comment(pr, "alice", "/mainstay merge");
        }
        List<Integer> good = prs.stream().filter(pr -> pr != broken && pr != alsoBroken).toList();

        live.await("eighteen pull requests merge and the two broken ones are dequeued", Duration.ofSeconds(240), () ->
            good.stream().allMatch(pr -> repo.pullRequestState(pr).equals("merged")
                && LiveGitHub.queueCheck(repo, "change-" + (prs.indexOf(pr) + 1)).equals("completed/success"))
                && repo.comments(broken).size() == 2 && repo.comments(alsoBroken).size() == 2);

        assertEquals("open", repo.pullRequestState(broken));
        String comment = repo.comments(broken).get(1);
        assertTrue(comment.contains("Removed from the merge queue"), comment);
        assertTrue(comment.contains("`" + BROKEN_TEST + "`\n"), "the failing test is named, not marked flaky: " + comment);
        assertTrue(comment.contains("`" + FLAKY_TEST + "` (known flaky)"), "the known-flaky test is marked: " + comment);
        assertTrue(repo.comments(alsoBroken).get(1).contains("`com.acme.CheckoutTest.pays`"), repo.comments(alsoBroken).get(1));
        assertEquals("completed/failure", LiveGitHub.queueCheck(repo, "change-3"), "the broken pull request's queue check shows it removed");
        for (int pr : flaky) {
            assertEquals(1, repo.comments(pr).size(), "#" + pr + " was never dequeued: only the command is there");
            assertTrue(github.ci().runs().stream().anyMatch(r -> r.pullRequests().contains(pr) && !r.passed()),
                "a run holding #" + pr + " failed on the flaky test, and it merged anyway");
        }

        // main moved only to commits CI tested and passed, and holds every merged change and no broken one.
        Set<String> passed = github.ci().runs().stream().filter(CiModel.Run::passed).map(CiModel.Run::sha).collect(Collectors.toSet());
        List<String> positions = mainPositions(repo, start);
        assertTrue(!positions.isEmpty() && passed.containsAll(positions), "main was at " + positions + "; CI passed " + passed);
        String main = repo.branchSha("main");
        assertEquals(positions.getLast(), main);
        for (int pr : good) {
            assertTrue(repo.file(main, files.get(pr)).isPresent(), files.get(pr) + " of #" + pr + " is on main");
        }
        assertEquals(Optional.empty(), repo.file(main, files.get(broken)), "the broken change is not on main");
        assertEquals(Optional.empty(), repo.file(main, files.get(alsoBroken)), "nor the other");
        assertEquals(Set.of(), repo.branches("mainstay/"), "candidate branches are cleaned up");
        assertEquals(List.of(), live.refused(), "every delivery and upload was taken");

        // The queue's history holds each pull request once, with why it left; /metrics counts them.
        assertEquals(List.of("checks_failed=2", "merged=18"), appliance.column("SELECT h.outcome || '=' || count(*)"
            + " FROM merge_queue_history h JOIN merge_queue q ON q.id = h.queue_id WHERE q.repo = ? GROUP BY h.outcome"
            + " ORDER BY h.outcome", repo.fullName()));
        assertEquals(List.of("0/0"), appliance.column("SELECT depth || '/' || testing FROM merge_queue WHERE repo = ?",
            repo.fullName()), "nothing is left in this repository's queue, and no candidate of it is being tested");
        // The appliance is shared with other test classes, whose queues may still hold pull requests: /metrics sums
        // every queue, and reads them at most every few seconds.
        live.await("/metrics counts what every queue holds", Duration.ofSeconds(30), () -> {
            String metrics = metrics();
            return figure(metrics, "mainstay_queue_depth") == Double.parseDouble(appliance.column(
                    "SELECT COALESCE(sum(depth), 0) FROM merge_queue").getFirst())
                && figure(metrics, "mainstay_queue_ci_slots_in_use") == Double.parseDouble(appliance.column(
                    "SELECT COALESCE(sum(testing), 0) FROM merge_queue").getFirst());
        });
        String metrics = metrics();
        assertTrue(figure(metrics, "mainstay_queue_merged_last_hour") >= 18, metrics);
        assertTrue(figure(metrics, "mainstay_queue_ejected_last_day", "reason=\"checks_failed\"") >= 2, metrics);
        assertTrue(figure(metrics, "mainstay_queue_time_in_queue_median_seconds") > 0, metrics);
    }

    private String metrics() throws Exception {
        return appliance.http().send(HttpRequest.newBuilder(appliance.baseUri().resolve("/metrics")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
    }

    /** The value of the sample of {@code name} in Prometheus text {@code metrics} whose labels include {@code label} (if any). */
    private static double figure(String metrics, String name, String... label) {
        return metrics.lines().filter(l -> l.startsWith(name + "{") && (label.length == 0 || l.contains(label[0])))
            .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst()
            .orElseThrow(() -> new AssertionError(name + " " + String.join("", label) + " is not in /metrics:\n" + metrics));
    }

    @Test
    void killed_while_github_moves_the_target_branch_the_appliance_merges_the_pull_request_exactly_once_after_restart(
        BrowserContext context) throws Exception {
        live = new LiveGitHub(context);
        SimulatedRepository repo = live.repository("crash");
        String start = repo.branchSha("main");
        // GitHub moves main, and its answer never reaches the appliance: it is killed first.
        GitHubSimulator.Hold fastForward = github.holdAnswer("PATCH", "/repos/" + repo.fullName() + "/git/refs/heads/main");
        int pr = repo.openPullRequest("feature", "Add the feature", Map.of("feature.txt", "feature\n"));
        repo.comment(pr, "alice", "/mainstay merge");

        assertTrue(fastForward.awaitReached(Duration.ofSeconds(90)), "the merge reached GitHub; refused: " + live.refused());
        String moved = repo.branchSha("main");
        appliance.crashAndRestart();
        fastForward.release();

        live.await("the pull request shows merged after the restart", Duration.ofSeconds(90), () ->
            LiveGitHub.queueCheck(repo, "feature").equals("completed/success"));
        assertEquals("merged", repo.pullRequestState(pr));
        assertEquals(List.of(moved), mainPositions(repo, start), "main moved once, to the commit the killed appliance moved it to");
        assertEquals(moved, repo.branchSha("main"));
        assertTrue(github.ci().runs().stream().anyMatch(r -> r.passed() && r.sha().equals(moved)), "that commit passed CI");
        assertEquals(1, repo.comments(pr).size(), "no comment but the command: nothing was dequeued or repeated");
        assertEquals(List.of("0"), appliance.column("SELECT count(*) FROM merge_queue_outbox o JOIN merge_queue q ON q.id = o.queue_id"
            + " WHERE q.repo = ? AND o.done_at IS NULL", repo.fullName()), "every decision was carried out");
        assertEquals(List.of(), live.refused());
    }

    /** The commits main was moved to since {@code start}, in order, as its push webhooks report them. */
    private List<String> mainPositions(SimulatedRepository repo, String start) throws Exception {
        List<String> out = new ArrayList<>();
        for (Webhooks.Delivery d : github.webhooks().deliveries("push")) {
            var body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(d.body());
            if (body.path("repository").path("full_name").asText().equals(repo.fullName())
                && body.path("ref").asText().equals("refs/heads/main") && !body.path("after").asText().equals(start)) {
                out.add(body.path("after").asText());
            }
        }
        return out;
    }
}
