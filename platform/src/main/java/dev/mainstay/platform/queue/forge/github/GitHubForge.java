package dev.mainstay.platform.queue.forge.github;

import dev.mainstay.platform.queue.forge.BranchUpdate;
import dev.mainstay.platform.queue.forge.CandidateResult;
import dev.mainstay.platform.queue.forge.CheckState;
import dev.mainstay.platform.queue.forge.Forge;
import dev.mainstay.platform.queue.forge.ForgeException;
import dev.mainstay.platform.queue.forge.PullRequestView;
import dev.mainstay.platform.queue.forge.QueueCheck;
import dev.mainstay.queue.engine.PullRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.kohsuke.github.GHBranchProtection;
import org.kohsuke.github.GHCheckRun;
import org.kohsuke.github.GHCheckRunBuilder;
import org.kohsuke.github.GHCommit;
import org.kohsuke.github.GHCommitStatus;
import org.kohsuke.github.GHFileNotFoundException;
import org.kohsuke.github.GHIssue;
import org.kohsuke.github.GHIssueComment;
import org.kohsuke.github.GHIssueState;
import org.kohsuke.github.GHLabel;
import org.kohsuke.github.GHPermissionType;
import org.kohsuke.github.GHPullRequest;
import org.kohsuke.github.GHPullRequestFileDetail;
import org.kohsuke.github.GHPullRequestReview;
import org.kohsuke.github.GHRef;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.HttpException;

/**
 * {@link Forge} for one GitHub repository, through the GitHub App's installation token.
 *
 * <p>Check state reads check runs and commit statuses, the two things branch protection's required
 * checks name; check suites and workflow runs are not read, because a workflow reports through its
 * jobs' check runs, and a required check that has not reported yet is pending whatever its suite says.
 */
final class GitHubForge implements Forge {

    /** Opens the repository's client; the App keeps one per repository. */
    @FunctionalInterface
    interface Client {
        GitHub open() throws IOException;
    }

    @FunctionalInterface
    private interface Call<T> {
        T run(GHRepository repo) throws IOException;
    }

    /** The waits before the second and third attempt of an idempotent call. */
    static final List<Duration> BACKOFF = List.of(Duration.ofMillis(250), Duration.ofSeconds(1));

    private final Client client;
    private final String repository;
    private volatile GHRepository repo;

    GitHubForge(Client client, String repository) {
        this.client = client;
        this.repository = repository;
    }

    @Override
    public PullRequestView pullRequest(int number) {
        return call("read pull request #" + number, repo -> {
            GHPullRequest pr = repo.getPullRequest(number);
            PullRequestView.State state = pr.isMerged() ? PullRequestView.State.MERGED
                : pr.getState() == GHIssueState.OPEN ? PullRequestView.State.OPEN : PullRequestView.State.CLOSED;
            Boolean mergeable = pr.getMergeable();
            Set<String> labels = new LinkedHashSet<>();
            for (GHLabel label : pr.getLabels()) {
                labels.add(label.getName());
            }
            return new PullRequestView(number, pr.getTitle(), pr.getHead().getSha(), pr.getBase().getRef(), state,
                mergeable == null ? PullRequestView.Mergeable.UNKNOWN
                    : mergeable ? PullRequestView.Mergeable.YES : PullRequestView.Mergeable.NO,
                pr.isDraft(), labels, approvers(pr));
        });
    }

    @Override
    public Optional<List<String>> changedFiles(int number) {
        return call("list the files of pull request #" + number, repo -> {
            List<String> paths = new ArrayList<>();
            int listed = 0;
            for (GHPullRequestFileDetail file : repo.getPullRequest(number).listFiles().withPageSize(100).toList()) {
                listed++;
                paths.add(file.getFilename());
                if (file.getPreviousFilename() != null) {
                    paths.add(file.getPreviousFilename());
                }
            }
            return listed >= MAX_LISTED_FILES ? Optional.empty() : Optional.of(List.copyOf(paths));
        });
    }

    /** The users whose latest approving-or-blocking review approves: a later change request withdraws an approval. */
    private static Set<String> approvers(GHPullRequest pr) throws IOException {
        Map<String, String> latest = new LinkedHashMap<>();
        for (GHPullRequestReview review : pr.listReviews()) {
            String state = String.valueOf(review.getState());
            if (state.equals("APPROVED") || state.equals("CHANGES_REQUESTED") || state.equals("DISMISSED")) {
                latest.put(review.getUser().getLogin(), state);
            }
        }
        Set<String> approved = new LinkedHashSet<>();
        latest.forEach((user, state) -> {
            if (state.equals("APPROVED")) {
                approved.add(user);
            }
        });
        return approved;
    }

    @Override
    public List<String> requiredChecks(String branch) {
        return call("read the required checks of " + branch, repo -> {
            GHBranchProtection protection;
            try {
                protection = repo.getBranch(branch).getProtection();
            } catch (GHFileNotFoundException notProtected) {
                return List.of();
            }
            GHBranchProtection.RequiredStatusChecks checks = protection.getRequiredStatusChecks();
            if (checks == null) {
                return List.of();
            }
            Set<String> names = new LinkedHashSet<>(checks.getContexts());
            if (checks.getChecks() != null) {
                checks.getChecks().forEach(c -> names.add(c.getContext()));
            }
            return List.copyOf(names);
        });
    }

    @Override
    public CandidateResult buildCandidate(String target, long run, String baseSha, List<PullRequest> prs) {
        return call("build candidate " + Forge.candidateBranch(target, run),
            repo -> new CandidateBuild(repo, target, run).build(baseSha, prs));
    }

    @Override
    public CheckState checks(String sha, List<String> required) {
        return call("read the checks of " + sha, repo -> {
            CheckRollup rollup = new CheckRollup();
            for (GHCommitStatus status : repo.listCommitStatuses(sha)) {
                rollup.status(status.getContext(), status.getId(), String.valueOf(status.getState()));
            }
            for (GHCheckRun run : repo.getCheckRuns(sha)) {
                rollup.checkRun(run.getName(), run.getId(), String.valueOf(run.getStatus()), String.valueOf(run.getConclusion()));
            }
            return rollup.against(required);
        });
    }

    @Override
    public String branchHead(String branch) {
        return call("read branch " + branch, repo -> repo.getRef("heads/" + branch).getObject().getSha());
    }

    @Override
    public BranchUpdate fastForward(String branch, String expectedSha, String testedSha) {
        return call("fast-forward " + branch + " to " + testedSha, repo -> {
            GHRef ref = repo.getRef("heads/" + branch);
            String actual = ref.getObject().getSha();
            if (actual.equals(testedSha)) {
                return new BranchUpdate.Updated(testedSha); // done already: a retry after a lost answer
            }
            if (!actual.equals(expectedSha)) {
                return new BranchUpdate.Moved(actual);
            }
            try {
                ref.updateTo(testedSha, false);
                return new BranchUpdate.Updated(testedSha);
            } catch (HttpException e) {
                if (e.getResponseCode() != 422) {
                    throw e;
                }
                // Not a fast-forward: the branch moved between the read and the update.
                return new BranchUpdate.Moved(repo.getRef("heads/" + branch).getObject().getSha());
            }
        });
    }

    @Override
    public BranchUpdate mergeInto(String branch, String testedSha, String message) {
        return call("merge " + testedSha + " into " + branch, repo -> {
            try {
                GHCommit merge = repo.getBranch(branch).merge(testedSha, message);
                return new BranchUpdate.Updated(merge != null ? merge.getSHA1() : repo.getRef("heads/" + branch).getObject().getSha());
            } catch (HttpException e) {
                if (e.getResponseCode() == 409) {
                    return new BranchUpdate.Conflict();
                }
                throw e;
            }
        });
    }

    @Override
    public void deleteCandidate(String target, long run) {
        call("delete candidate " + Forge.candidateBranch(target, run), repo -> deleteBranch(repo, Forge.candidateBranch(target, run)));
    }

    /** Deletes {@code branch}; true when it existed. */
    static boolean deleteBranch(GHRepository repo, String branch) throws IOException {
        try {
            repo.getRef("heads/" + branch).delete();
            return true;
        } catch (GHFileNotFoundException e) {
            return false;
        } catch (HttpException e) {
            if (e.getResponseCode() == 422) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void closeLanded(int number, String commitSha) {
        comment(number, "landed:" + commitSha, "Merged by Mainstay as " + commitSha + ".");
        call("close landed pull request #" + number, repo -> {
            GHPullRequest pr = repo.getPullRequest(number);
            if (pr.getState() == GHIssueState.OPEN) {
                pr.close();
            }
            return null;
        });
    }

    @Override
    public void showQueueCheck(String headSha, QueueCheck check) {
        call("show the queue check on " + headSha, repo -> {
            Optional<GHCheckRun> open = repo.getCheckRuns(headSha, Map.of("check_name", QueueCheck.NAME)).toList().stream()
                .filter(r -> !"completed".equalsIgnoreCase(String.valueOf(r.getStatus())))
                .max(java.util.Comparator.comparingLong(GHCheckRun::getId));
            GHCheckRunBuilder builder = open.isPresent() ? repo.updateCheckRun(open.get().getId())
                : repo.createCheckRun(QueueCheck.NAME, headSha);
            builder = switch (check.state()) {
                case QUEUED -> builder.withStatus(GHCheckRun.Status.QUEUED);
                case TESTING -> builder.withStatus(GHCheckRun.Status.IN_PROGRESS);
                case MERGED -> builder.withConclusion(GHCheckRun.Conclusion.SUCCESS);
                case REMOVED -> builder.withConclusion(GHCheckRun.Conclusion.FAILURE);
            };
            return builder.add(new GHCheckRunBuilder.Output(check.title(), check.detail().isEmpty() ? check.title() : check.detail()))
                .create();
        });
    }

    @Override
    public void comment(int number, String key, String body) {
        String marker = marker(key);
        call("comment on #" + number, repo -> {
            GHIssue issue = repo.getIssue(number);
            for (GHIssueComment existing : issue.listComments()) {
                if (existing.getBody() != null && existing.getBody().contains(marker)) {
                    return null; // posted already: its answer was lost, or the caller is repeating itself
                }
            }
            return issue.comment(body.stripTrailing() + "\n\n" + marker);
        });
    }

    /** The hidden line that names a comment's key; GitHub does not show HTML comments. */
    static String marker(String key) {
        if (key.isBlank() || key.contains("--") || key.contains(">")) {
            throw new IllegalArgumentException("a comment key is not blank and holds neither '--' nor '>': " + key);
        }
        return "<!-- mainstay:" + key + " -->";
    }

    @Override
    public boolean canWrite(String user) {
        return call("read the permission of " + user, repo -> {
            try {
                GHPermissionType permission = repo.getPermission(user);
                return permission == GHPermissionType.ADMIN || permission == GHPermissionType.WRITE;
            } catch (GHFileNotFoundException noSuchUser) {
                return false;
            }
        });
    }

    /**
     * Runs an idempotent call, again after {@link #BACKOFF} when GitHub answered 5xx or could not be
     * reached (hub4j itself retries only failed connections, twice, at once).
     */
    private <T> T call(String what, Call<T> call) {
        for (int attempt = 0; ; attempt++) {
            try {
                return call.run(repository());
            } catch (GHFileNotFoundException e) {
                // GitHub answered 404: there is no such thing (or the App may not see it); asking again changes nothing.
                throw new ForgeException("GitHub has no such thing to " + what + " in " + repository + " (HTTP 404)", 404, e);
            } catch (HttpException e) {
                boolean answered = e.getResponseCode() > 0; // hub4j reports a failed connection as -1
                if (answered && e.getResponseCode() < 500 || attempt >= BACKOFF.size()) {
                    throw answered ? refused(what, e) : unreachable(what, e);
                }
            } catch (IOException e) {
                if (attempt >= BACKOFF.size()) {
                    throw unreachable(what, e);
                }
            }
            pause(BACKOFF.get(attempt), what);
        }
    }

    private GHRepository repository() throws IOException {
        GHRepository r = repo;
        if (r == null) {
            r = client.open().getRepository(repository);
            repo = r;
        }
        return r;
    }

    private ForgeException refused(String what, HttpException e) {
        return new ForgeException("GitHub refused to " + what + " in " + repository + ": HTTP " + e.getResponseCode()
            + " " + e.getMessage(), e.getResponseCode(), e);
    }

    /** The root cause names what went wrong, e.g. a certificate no configured CA signed (see mainstay.github.ca). */
    private ForgeException unreachable(String what, IOException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return new ForgeException("cannot reach GitHub to " + what + " in " + repository + ": " + root, e);
    }

    private static void pause(Duration delay, String what) {
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ForgeException("interrupted while waiting to retry: " + what, e);
        }
    }
}
