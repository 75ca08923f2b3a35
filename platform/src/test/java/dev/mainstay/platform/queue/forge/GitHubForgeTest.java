package dev.mainstay.platform.queue.forge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.platform.queue.forge.github.GitHubApp;
import dev.mainstay.platform.queue.forge.github.GitHubSettings;
import dev.mainstay.queue.engine.MergeMethod;
import dev.mainstay.queue.engine.Priority;
import dev.mainstay.queue.engine.PullRequest;
import dev.mainstay.testkit.MutableClock;
import dev.mainstay.testkit.PrivateCa;
import dev.mainstay.testkit.TempDirs;
import dev.mainstay.testkit.github.CiModel;
import dev.mainstay.testkit.github.GitHubSimulator;
import dev.mainstay.testkit.github.SimulatedRepository;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GitHubForge against the GitHub simulator (real git, real HTTP): every operation the merge queue relies on. */
class GitHubForgeTest {

    /** The clock the simulator and the forge share, moved by the test. */
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    private GitHubSimulator github;
    private SimulatedRepository repo;
    private Forge forge;

    @BeforeEach
    void start() throws Exception {
        github = GitHubSimulator.start().clock(clock);
        github.ci().duration(Duration.ofMillis(20));
        repo = github.createRepository("acme", "widgets");
        forge = forge(github.app().privateKeyPkcs1Pem());
    }

    @AfterEach
    void stop() {
        github.close();
    }

    private Forge forge(String pem) throws Exception {
        Path key = Files.writeString(TempDirs.create("github-app-key").resolve("app.pem"), pem);
        GitHubSettings settings = new GitHubSettings(URI.create(github.apiUrl()), github.app().id(), Optional.of(key), Optional.empty());
        return new GitHubApp(settings, clock).forRepository("acme", "widgets");
    }

    private PullRequest queued(int number, MergeMethod method) {
        return new PullRequest(number, repo.branchSha(branchOf(number)), Set.of(), Priority.NORMAL, method);
    }

    /** Builds candidate {@code run} for main from {@code base}; it must build. */
    private String built(long run, String base, PullRequest... prs) {
        return assertInstanceOf(CandidateResult.Built.class, forge.buildCandidate("main", run, base, List.of(prs))).sha();
    }

    private final Map<Integer, String> branches = new java.util.HashMap<>();

    @SafeVarargs
    private int open(String branch, String title, Map<String, String>... commits) {
        int number = repo.openPullRequest(branch, title, commits);
        branches.put(number, branch);
        return number;
    }

    private String branchOf(int number) {
        return branches.get(number);
    }

    @Test
    void reads_a_pull_request_with_its_labels_draft_state_and_approvals() {
        int pr = open("feature", "Add a feature", Map.of("a.txt", "a\n"));
        repo.label(pr, "queue");
        repo.review(pr, "alice", "APPROVED");
        repo.review(pr, "bob", "APPROVED");
        repo.review(pr, "bob", "CHANGES_REQUESTED");
        repo.review(pr, "carol", "COMMENTED");

        PullRequestView view = forge.pullRequest(pr);

        assertEquals(repo.branchSha("feature"), view.headSha());
        assertEquals("main", view.baseBranch());
        assertEquals(PullRequestView.State.OPEN, view.state());
        assertEquals(PullRequestView.Mergeable.YES, view.mergeable());
        assertFalse(view.draft());
        assertEquals(Set.of("queue"), view.labels());
        assertEquals(Set.of("alice"), view.approvedBy(), "bob's later change request withdrew his approval; a comment is no review");
    }

    @Test
    void lists_every_file_a_pull_request_changes_over_several_pages_with_renamed_files_under_both_names() {
        repo.push("main", Map.of("lib/old.txt", "a library\n"), "A library");
        Map<String, String> files = new java.util.HashMap<>();
        for (int i = 0; i < 120; i++) {
            files.put("src/f" + i + ".txt", "file " + i + "\n");
        }
        files.put("lib/old.txt", null);
        files.put("lib/new.txt", "a library\n");
        int pr = open("many", "Many files", files);
        repo.push("main", Map.of("later.txt", "main moved on\n"), "Later on main");

        List<String> listed = forge.changedFiles(pr).orElseThrow();
        assertEquals(122, listed.size(), "120 added over two pages of 100, and the rename under both names: " + listed);
        assertTrue(listed.containsAll(List.of("src/f0.txt", "src/f119.txt", "lib/new.txt", "lib/old.txt")), listed.toString());
        assertFalse(listed.contains("later.txt"), "a change on the base branch is not the pull request's");
    }

    @Test
    void reads_the_required_checks_of_a_protected_branch_and_none_of_an_unprotected_one() {
        repo.requireChecks("main", List.of("build", "test"));
        repo.push("release", Map.of("r.txt", "r\n"), "Release branch");

        assertEquals(List.of("build", "test"), forge.requiredChecks("main"));
        assertEquals(List.of(), forge.requiredChecks("release"));
    }

    @Test
    void reads_where_a_branch_is_now() {
        String pushed = repo.push("release", Map.of("r.txt", "r\n"), "Release branch");
        assertEquals(pushed, forge.branchHead("release"));
        assertEquals(repo.branchSha("main"), forge.branchHead("main"));
        assertThrows(ForgeException.class, () -> forge.branchHead("no-such-branch"));
    }

    @Test
    void builds_a_candidate_with_merge_commits_and_ci_runs_once_on_it() throws Exception {
        int a = open("a", "A", Map.of("a.txt", "a\n"));
        int b = open("b", "B", Map.of("b.txt", "b\n"));
        String base = repo.branchSha("main");

        CandidateResult result = forge.buildCandidate("main", 7, base, List.of(queued(a, MergeMethod.MERGE), queued(b, MergeMethod.MERGE)));

        String sha = assertInstanceOf(CandidateResult.Built.class, result).sha();
        assertEquals(sha, repo.branchSha("mainstay/queue/main/7"));
        assertEquals(Optional.of("a\n"), repo.file(sha, "a.txt"));
        assertEquals(Optional.of("b\n"), repo.file(sha, "b.txt"));
        assertEquals(repo.branchSha("b"), repo.parents(sha).get(1), "the last merge brings B's head");
        assertEquals(Set.of(), repo.branches("mainstay/build/"), "the scratch branch is gone");
        awaitChecks(sha);
        assertEquals(1, github.ci().runs().stream().filter(r -> r.branch().equals("mainstay/queue/main/7")).count(),
            "CI ran once, on the finished candidate");
    }

    @Test
    void builds_a_squashed_candidate_with_one_parent_and_githubs_title() {
        int pr = open("feature", "Add a feature", Map.of("a.txt", "a1\n"), Map.of("a.txt", "a2\n", "b.txt", "b\n"));
        String base = repo.branchSha("main");

        String sha = built(8, base, queued(pr, MergeMethod.SQUASH));

        assertEquals(List.of(base), repo.parents(sha), "one commit on the base");
        assertEquals("Add a feature (#" + pr + ")", repo.commitSubject(sha));
        assertEquals(Optional.of("a2\n"), repo.file(sha, "a.txt"));
        assertEquals(Optional.of("b\n"), repo.file(sha, "b.txt"));
    }

    @Test
    void builds_a_rebased_candidate_with_each_commit_recreated_on_the_base() {
        int pr = open("feature", "Add a feature", Map.of("a.txt", "a1\n"), Map.of("a.txt", "a2\n"));
        String base = repo.push("main", Map.of("m.txt", "m\n"), "Main moved on");

        String sha = built(9, base, queued(pr, MergeMethod.REBASE));

        String first = repo.parents(sha).get(0);
        assertEquals(List.of(base), repo.parents(first), "two commits, linear, on the new base");
        assertEquals("Add a feature", repo.commitSubject(first), "each keeps its message");
        assertEquals(Optional.of("a1\n"), repo.file(first, "a.txt"));
        assertEquals(Optional.of("a2\n"), repo.file(sha, "a.txt"));
        assertEquals(Optional.of("m\n"), repo.file(sha, "m.txt"));
    }

    @Test
    void a_conflicting_pull_request_is_named_and_no_candidate_is_left() {
        int a = open("a", "A", Map.of("README.md", "from a\n"));
        int b = open("b", "B", Map.of("README.md", "from b\n"));

        CandidateResult result = forge.buildCandidate("main", 10, repo.branchSha("main"),
            List.of(queued(a, MergeMethod.MERGE), queued(b, MergeMethod.SQUASH)));

        assertEquals(new CandidateResult.Conflict(b), result);
        assertFalse(repo.hasBranch("mainstay/queue/main/10"));
        assertEquals(Set.of(), repo.branches("mainstay/build/"));
    }

    @Test
    void checks_go_from_pending_to_passed_or_failed_naming_the_failed_checks() throws Exception {
        repo.requireChecks("main", List.of("build", "lint"));
        int good = open("good", "Good", Map.of("g.txt", "g\n"));
        int bad = open("bad", "Bad", Map.of("x.txt", "x\n"));
        github.ci().outcome(repo, bad, new CiModel.Outcome.Fail(List.of("com.acme.XTest.x")));
        github.ci().duration(Duration.ofMillis(300));
        List<String> required = forge.requiredChecks("main");

        String passing = built(1, repo.branchSha("main"), queued(good, MergeMethod.MERGE));
        assertEquals(new CheckState.Pending(List.of("build", "lint")), forge.checks(passing, required), "CI has not reported yet");
        awaitChecks(passing);
        assertEquals(new CheckState.Passed(), forge.checks(passing, required));

        String failing = built(2, repo.branchSha("main"), queued(bad, MergeMethod.MERGE));
        awaitChecks(failing);
        assertEquals(new CheckState.Failed(List.of("build", "lint")), forge.checks(failing, required));

        repo.requireChecks("main", List.of("build", "security-scan"));
        assertEquals(new CheckState.Pending(List.of("security-scan")), forge.checks(passing, forge.requiredChecks("main")),
            "a required check that never reported is pending");
        repo.setStatus(passing, "security-scan", "failure");
        assertEquals(new CheckState.Failed(List.of("security-scan")), forge.checks(passing, forge.requiredChecks("main")),
            "commit statuses count as checks");
    }

    @Test
    void fast_forwards_the_target_and_github_marks_the_merged_pull_request_merged() {
        int pr = open("feature", "Feature", Map.of("a.txt", "a\n"));
        String base = repo.branchSha("main");
        String tested = built(3, base, queued(pr, MergeMethod.MERGE));

        assertEquals(new BranchUpdate.Updated(tested), forge.fastForward("main", base, tested));

        assertEquals(tested, repo.branchSha("main"));
        assertEquals(PullRequestView.State.MERGED, forge.pullRequest(pr).state());
        forge.deleteCandidate("main", 3);
        assertFalse(repo.hasBranch("mainstay/queue/main/3"));
        forge.deleteCandidate("main", 3);
    }

    @Test
    void refuses_to_fast_forward_a_target_that_moved_and_leaves_it_where_it_is() {
        int pr = open("feature", "Feature", Map.of("a.txt", "a\n"));
        String base = repo.branchSha("main");
        String tested = built(4, base, queued(pr, MergeMethod.MERGE));
        String moved = repo.push("main", Map.of("hotfix.txt", "fix\n"), "Hotfix pushed by hand");

        assertEquals(new BranchUpdate.Moved(moved), forge.fastForward("main", base, tested));
        assertEquals(moved, repo.branchSha("main"), "never forced");
        assertEquals(new BranchUpdate.Moved(moved), forge.fastForward("main", moved, tested),
            "even told where it is, a commit that does not descend from it is refused");
        assertEquals(moved, repo.branchSha("main"));
    }

    @Test
    void merges_the_tested_commit_into_a_target_another_lane_moved() {
        int pr = open("feature", "Feature", Map.of("a.txt", "a\n"));
        String tested = built(5, repo.branchSha("main"), queued(pr, MergeMethod.MERGE));
        String moved = repo.push("main", Map.of("docs.txt", "docs\n"), "Other lane");

        String merge = assertInstanceOf(BranchUpdate.Updated.class, forge.mergeInto("main", tested, "Merge queue run 5")).sha();

        assertEquals(merge, repo.branchSha("main"));
        assertEquals(List.of(moved, tested), repo.parents(merge));
    }

    @Test
    void a_squashed_pull_request_is_closed_with_a_comment_naming_its_commit() {
        int pr = open("feature", "Feature", Map.of("a.txt", "a\n"));
        String sha = built(6, repo.branchSha("main"), queued(pr, MergeMethod.SQUASH));
        forge.fastForward("main", repo.parents(sha).get(0), sha);

        forge.closeLanded(pr, sha);

        assertEquals("closed", repo.pullRequestState(pr));
        assertEquals(List.of("Merged by Mainstay as " + sha + "."), shown(repo.comments(pr)));
        forge.closeLanded(pr, sha);
        assertEquals(1, repo.comments(pr).size(), "done again, it comments no more");
    }

    @Test
    void the_queue_check_run_is_created_once_and_updated_through_the_queue() {
        int pr = open("feature", "Feature", Map.of("a.txt", "a\n"));
        String head = repo.branchSha("feature");

        forge.showQueueCheck(head, new QueueCheck(QueueCheck.State.QUEUED, 2, "2 pull requests ahead"));
        assertEquals(Map.of(QueueCheck.NAME, "queued/"), repo.checkRuns(head));
        assertEquals(Optional.of("Queued: position 2\n2 pull requests ahead"), repo.checkRunSummary(head, QueueCheck.NAME));

        forge.showQueueCheck(head, new QueueCheck(QueueCheck.State.TESTING, 0, "in run 4 with #1"));
        forge.showQueueCheck(head, new QueueCheck(QueueCheck.State.REMOVED, 0, "Failed: com.acme.XTest.x"));

        assertEquals(Map.of(QueueCheck.NAME, "completed/failure"), repo.checkRuns(head), "one check run, updated in place");
        assertEquals(Optional.of("Removed from the queue\nFailed: com.acme.XTest.x"), repo.checkRunSummary(head, QueueCheck.NAME));

        forge.showQueueCheck(head, new QueueCheck(QueueCheck.State.QUEUED, 1, "queued again"));
        assertEquals(Map.of(QueueCheck.NAME, "queued/"), repo.checkRuns(head), "a finished check run is not reopened: a new one shows");
        assertEquals(1, pr);
    }

    @Test
    void comments_and_checks_write_access() {
        int pr = open("feature", "Feature", Map.of("a.txt", "a\n"));
        repo.collaborator("alice", "write");
        repo.collaborator("mallory", "maintain");
        repo.collaborator("carol", "read");

        forge.comment(pr, "dequeue:1", "Removed from the queue: checks failed.");
        forge.comment(pr, "dequeue:1", "Removed from the queue: checks failed.");

        assertEquals(List.of("Removed from the queue: checks failed."), shown(repo.comments(pr)), "one comment per key");
        assertTrue(forge.canWrite("alice"));
        assertTrue(forge.canWrite("mallory"), "maintain includes write");
        assertTrue(forge.canWrite("acme"), "the owner is admin");
        assertFalse(forge.canWrite("carol"));
        assertFalse(forge.canWrite("stranger"));
    }

    @Test
    void the_app_key_may_be_pkcs1_or_pkcs8() throws Exception {
        int pr = open("feature", "Feature", Map.of("a.txt", "a\n"));
        assertEquals("main", forge(github.app().privateKeyPkcs1Pem()).pullRequest(pr).baseBranch());
        assertEquals("main", forge(github.app().privateKeyPkcs8Pem()).pullRequest(pr).baseBranch());
    }

    @Test
    void the_installation_token_is_reused_until_it_nears_expiry_then_replaced() {
        int pr = open("feature", "Feature", Map.of("a.txt", "a\n"));
        forge.pullRequest(pr);
        forge.canWrite("acme");
        forge.comment(pr, "k1", "one");
        assertEquals(1, github.tokensIssued(), "one token for many calls");

        clock.advance(Duration.ofMinutes(59).plusSeconds(1));
        forge.comment(pr, "k2", "two");

        assertEquals(2, github.tokensIssued(), "replaced a minute before GitHub would refuse it");
        assertEquals(List.of("one", "two"), shown(repo.comments(pr)));
    }

    @Test
    void a_secondary_rate_limit_is_waited_out_and_the_call_succeeds_once() {
        int pr = open("feature", "Feature", Map.of("a.txt", "a\n"));
        forge.pullRequest(pr);
        int before = github.calls();
        github.rateLimitNext(1, GitHubSimulator.RateLimit.SECONDARY);

        forge.comment(pr, "k", "after the limit");

        assertEquals(List.of("after the limit"), shown(repo.comments(pr)), "commented exactly once");
        assertTrue(github.calls() >= before + 2, "the limited call was retried");
    }

    @Test
    void a_primary_rate_limit_is_waited_out_until_its_reset_and_the_call_succeeds_once() {
        int pr = open("feature", "Feature", Map.of("a.txt", "a\n"));
        forge.pullRequest(pr);
        github.rateLimitNext(1, GitHubSimulator.RateLimit.PRIMARY);

        forge.comment(pr, "k", "after the reset");

        assertEquals(List.of("after the reset"), shown(repo.comments(pr)), "commented exactly once");
    }

    @Test
    void idempotent_calls_are_retried_through_server_errors_and_a_repeated_fast_forward_counts_as_done() {
        int pr = open("feature", "Feature", Map.of("a.txt", "a\n"));
        String base = repo.branchSha("main");
        String tested = built(11, base, queued(pr, MergeMethod.MERGE));
        github.failNext(2, 502);

        assertEquals(new BranchUpdate.Updated(tested), forge.fastForward("main", base, tested));
        assertEquals(new BranchUpdate.Updated(tested), forge.fastForward("main", base, tested),
            "asked again (its first answer was lost), the branch is where it should be");
        assertEquals(tested, repo.branchSha("main"));
    }

    @Test
    void a_comment_whose_answer_was_lost_is_not_posted_again() {
        int pr = open("feature", "Feature", Map.of("a.txt", "a\n"));
        forge.pullRequest(pr);
        forge.comment(pr, "dequeue:7", "Removed from the queue.");
        github.failNext(2, 502);

        forge.comment(pr, "dequeue:7", "Removed from the queue.");

        assertEquals(List.of("Removed from the queue."), shown(repo.comments(pr)), "the key found the first comment");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> forge.comment(pr, "bad--key", "x"));
        assertTrue(e.getMessage().contains("comment key"), e.getMessage());
    }

    /** Comments as GitHub shows them: without the hidden key line. */
    private static List<String> shown(List<String> comments) {
        return comments.stream().map(c -> c.replaceAll("\\s*<!-- mainstay:[^>]* -->$", "")).toList();
    }

    @Test
    void a_ghes_behind_a_private_ca_is_reached_once_that_ca_is_configured() throws Exception {
        PrivateCa ca = PrivateCa.issue(TempDirs.create("ghes-ca"));
        try (GitHubSimulator ghes = GitHubSimulator.startTls(ca).clock(clock)) {
            ghes.createRepository("acme", "widgets").openPullRequest("feature", "Feature", Map.of("a.txt", "a\n"));
            Path key = Files.writeString(TempDirs.create("github-app-key").resolve("app.pem"), ghes.app().privateKeyPkcs8Pem());
            URI api = URI.create(ghes.apiUrl());
            assertEquals("https", api.getScheme());

            Forge trusting = new GitHubApp(new GitHubSettings(api, ghes.app().id(), Optional.of(key), Optional.of(ca.caCertificate())), clock)
                .forRepository("acme", "widgets");
            assertEquals("main", trusting.pullRequest(1).baseBranch());

            Forge untrusting = new GitHubApp(new GitHubSettings(api, ghes.app().id(), Optional.of(key), Optional.empty()), clock)
                .forRepository("acme", "widgets");
            ForgeException refused = org.junit.jupiter.api.Assertions.assertThrows(ForgeException.class, () -> untrusting.pullRequest(1));
            assertTrue(refused.getMessage().startsWith("cannot reach GitHub to read pull request #1 in acme/widgets: ")
                && refused.getMessage().contains("certification path"), "without the CA the certificate is not trusted: " + refused.getMessage());
        }
    }

    private void awaitChecks(String sha) throws InterruptedException {
        for (int i = 0; i < 250 && github.ci().runs().stream().noneMatch(r -> r.sha().equals(sha)); i++) {
            Thread.sleep(20);
        }
        assertTrue(github.ci().runs().stream().anyMatch(r -> r.sha().equals(sha)), "CI ran on " + sha);
    }
}
