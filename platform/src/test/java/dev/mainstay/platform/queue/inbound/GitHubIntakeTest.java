package dev.mainstay.platform.queue.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.platform.identity.SignedInAppliance;
import dev.mainstay.testkit.github.GitHubSimulator;
import dev.mainstay.testkit.github.SimulatedRepository;
import dev.mainstay.testkit.github.Webhooks;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * GitHub's deliveries, from the GitHub simulator through the running appliance to its merge
 * queues: a command from someone who may push queues the pull request and its test starts; one
 * from anyone else is answered, refused and recorded; a push to a queued pull request dequeues it.
 */
class GitHubIntakeTest {

    private final SignedInAppliance appliance = SignedInAppliance.shared();
    private final GitHubSimulator github = SignedInAppliance.github();

    /** Sends the deliveries the simulator made since {@code from}, in order; each must be accepted. */
    private int deliverFrom(int from) throws Exception {
        List<Webhooks.Delivery> all = github.webhooks().deliveries();
        for (Webhooks.Delivery d : all.subList(from, all.size())) {
            assertEquals(202, appliance.deliverGitHub(d).statusCode(), d.event() + " " + d.action());
        }
        return all.size();
    }

    private void await(String what, Callable<Boolean> condition) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!condition.call()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within 60 s: " + what + "; the inbox: " + appliance.column(
                    "SELECT event || ' ' || action || ' ' || repo || ' attempts ' || attempts || ' ' || last_error || ' processed '"
                        + " || coalesce(processed_at::text, 'no') FROM github_inbox ORDER BY received_at DESC LIMIT 6"));
            }
            Thread.sleep(100);
        }
    }

    private String queueCheck(SimulatedRepository repo, String sha) {
        return repo.checkRuns(sha).getOrDefault("Mainstay merge queue", "none");
    }

    @Test
    void a_merge_command_from_someone_who_may_push_queues_the_pull_request_and_anyone_elses_is_refused() throws Exception {
        SimulatedRepository repo = github.createRepository("acme", "intake-" + UUID.randomUUID().toString().substring(0, 8));
        repo.collaborator("alice", "write");
        repo.collaborator("mallory", "read");
        github.ci().duration(Duration.ofHours(1)); // CI does not finish within this test: the push meets the test running
        try {
            int delivered = github.webhooks().deliveries().size();
            int pr = repo.openPullRequest("feature", "Add a feature", Map.of("feature.txt", "feature\n"));
            String head = repo.branchSha("feature");
            repo.comment(pr, "mallory", "/mainstay merge");
            repo.comment(pr, "alice", "Ready.\n/mainstay merge urgent");
            delivered = deliverFrom(delivered);

            // Urgent skips screening: its candidate is built at once and its queue check shows it testing.
            await("the pull request is being tested", () -> queueCheck(repo, head).equals("in_progress/")
                && repo.branches("mainstay/queue/").size() == 1);
            assertEquals(List.of("main"), appliance.column("SELECT branch FROM merge_queue WHERE repo = ?", repo.fullName()),
                "the pull request's base branch has a queue now");
            assertEquals(List.of("1"), appliance.column("SELECT count(*) FROM merge_queue_event e JOIN merge_queue q ON q.id = e.queue_id"
                + " WHERE q.repo = ? AND e.source LIKE 'github:%'", repo.fullName()), "one event from GitHub: alice's enqueue");
            assertEquals(List.of("denied github:mallory", "success github:alice"), appliance.column(
                "SELECT outcome || ' ' || actor_id FROM audit_event WHERE action = 'queue.merge' AND target_id = ? ORDER BY seq",
                repo.fullName() + "#" + pr));
            await("mallory is answered", () -> repo.comments(pr).stream().anyMatch(c -> c.contains("only people who may push")));
            assertEquals(List.of("0"), appliance.column("SELECT count(*) FROM github_inbox WHERE processed_at IS NULL AND repo = ?",
                repo.fullName()), "every delivery was acted on");

            repo.push("feature", Map.of("feature.txt", "feature, fixed\n"), "Fix the feature");
            deliverFrom(delivered);
            await("the push dequeues it", () -> queueCheck(repo, head).equals("completed/failure")
                && repo.comments(pr).stream().anyMatch(c -> c.contains("new commits were pushed")));
            await("its test is cancelled", () -> repo.branches("mainstay/queue/").isEmpty());
            assertEquals("none", queueCheck(repo, repo.branchSha("feature")), "the new head is not queued");
        } finally {
            github.ci().duration(Duration.ofMillis(50));
        }
    }

    @Test
    void the_merge_label_from_someone_who_may_push_queues_the_pull_request_and_removing_it_dequeues_it() throws Exception {
        SimulatedRepository repo = github.createRepository("acme", "label-" + UUID.randomUUID().toString().substring(0, 8));
        repo.collaborator("alice", "write");
        repo.collaborator("mallory", "triage");
        github.ci().duration(Duration.ofHours(1));
        try {
            int delivered = github.webhooks().deliveries().size();
            int pr = repo.openPullRequest("feature", "Add a feature", Map.of("feature.txt", "feature\n"));
            String head = repo.branchSha("feature");
            repo.label(pr, "mallory", "mainstay-merge");
            repo.label(pr, "alice", "ready"); // not the merge label: nothing happens
            delivered = deliverFrom(delivered);
            await("mallory is answered", () -> repo.comments(pr).stream().anyMatch(c -> c.contains("@mallory only people who may push")));
            assertEquals("none", queueCheck(repo, head), "mallory's label queued nothing");

            repo.label(pr, "alice", "mainstay-merge");
            delivered = deliverFrom(delivered);
            await("alice's label queues it and its test starts", () -> queueCheck(repo, head).equals("in_progress/"));

            repo.unlabel(pr, "alice", "mainstay-merge");
            deliverFrom(delivered);
            await("removing the label dequeues it", () -> queueCheck(repo, head).equals("completed/failure")
                && repo.comments(pr).stream().anyMatch(c -> c.contains("it was removed from the queue")));
            assertEquals(List.of("denied github:mallory queue.merge", "success github:alice queue.merge", "success github:alice queue.cancel"),
                appliance.column("SELECT outcome || ' ' || actor_id || ' ' || action FROM audit_event WHERE target_id = ? ORDER BY seq",
                    repo.fullName() + "#" + pr));
        } finally {
            github.ci().duration(Duration.ofMillis(50));
        }
    }
}
