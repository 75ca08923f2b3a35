package dev.mainstay.testkit.github;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;

/**
 * One repository of the simulated GitHub: a real bare git repository plus what GitHub keeps beside
 * it (pull requests, reviews, check runs, statuses, comments, branch protection, collaborators).
 * Tests arrange it through the public methods; the REST endpoints and the CI model change it too.
 */
public final class SimulatedRepository {

    /** A pull request's state as GitHub keeps it; its head is read from its branch. */
    static final class PullState {
        final int number;
        final long id;
        final String title;
        final String headRef;
        final String baseRef;
        final String author;
        final Instant createdAt;
        final Set<String> labels = new LinkedHashSet<>();
        final List<Review> reviews = new ArrayList<>();
        boolean draft;
        boolean closed;
        boolean merged;
        Instant closedAt;
        String mergeCommitSha;

        PullState(int number, long id, String title, String headRef, String baseRef, String author, Instant createdAt) {
            this.number = number;
            this.id = id;
            this.title = title;
            this.headRef = headRef;
            this.baseRef = baseRef;
            this.author = author;
            this.createdAt = createdAt;
        }
    }

    /** A submitted review: {@code state} is APPROVED, CHANGES_REQUESTED or COMMENTED. */
    record Review(long id, String user, String state, String commitId) {
    }

    /** A check run; {@code conclusion} is null until completed. */
    static final class CheckRunState {
        final long id;
        final String name;
        final String headSha;
        final String app;
        String status;
        String conclusion;
        String title;
        String summary;
        Instant startedAt;
        Instant completedAt;

        CheckRunState(long id, String name, String headSha, String app) {
            this.id = id;
            this.name = name;
            this.headSha = headSha;
            this.app = app;
        }
    }

    /** A commit status. */
    record StatusState(long id, String sha, String context, String state, String description, Instant at) {
    }

    /** An issue or pull-request comment. */
    record CommentState(long id, int issue, String user, String body, Instant at) {
    }

    final String owner;
    final String name;
    final long id;
    final GitStore git;
    private final GitHubSimulator simulator;
    final Map<Integer, PullState> pulls = new TreeMap<>();
    final List<CheckRunState> checkRuns = new ArrayList<>();
    final List<StatusState> statuses = new ArrayList<>();
    final List<CommentState> comments = new ArrayList<>();
    final Map<String, List<String>> requiredChecks = new TreeMap<>();
    final Map<String, String> permissions = new TreeMap<>();
    private final AtomicLong commits = new AtomicLong();

    SimulatedRepository(GitHubSimulator simulator, String owner, String name, long id, Path dir) {
        this.simulator = simulator;
        this.owner = owner;
        this.name = name;
        this.id = id;
        this.git = new GitStore(dir);
        ObjectId initial = git.commitFiles(null, Map.of("README.md", "# " + name + "\n"), "Initial commit", owner, now());
        git.updateRef(Constants.R_HEADS + "main", initial, false);
        permissions.put(owner, "admin");
    }

    /** {@code owner/name}. */
    public String fullName() {
        return owner + "/" + name;
    }

    /** The commit {@code branch} points at. */
    public String branchSha(String branch) {
        return git.resolve(branch).map(ObjectId::name)
            .orElseThrow(() -> new IllegalArgumentException("no branch '" + branch + "' in " + fullName()));
    }

    /** Whether {@code branch} exists. */
    public boolean hasBranch(String branch) {
        return git.resolve(branch).isPresent();
    }

    /** The branches whose name starts with {@code prefix}. */
    public Set<String> branches(String prefix) {
        Set<String> names = new LinkedHashSet<>();
        git.refs(Constants.R_HEADS + prefix).keySet().forEach(r -> names.add(r.substring(Constants.R_HEADS.length())));
        return names;
    }

    /** The text of {@code path} at commit {@code sha}, if the file exists there. */
    public Optional<String> file(String sha, String path) {
        return git.readFile(ObjectId.fromString(sha), path);
    }

    /** The first line of the message of commit {@code sha}, and its parents. */
    public String commitSubject(String sha) {
        return git.parseCommit(ObjectId.fromString(sha)).getShortMessage();
    }

    /** The parents of commit {@code sha}. */
    public List<String> parents(String sha) {
        return java.util.Arrays.stream(git.parseCommit(ObjectId.fromString(sha)).getParents()).map(ObjectId::name).toList();
    }

    /**
     * Pushes one commit setting {@code files} (a null text deletes the file) on top of {@code branch}
     * (created from {@code main} when missing), as a developer's {@code git push} would: webhooks and pull-request updates follow.
     *
     * @return the new commit's sha
     */
    public String push(String branch, Map<String, String> files, String message) {
        ObjectId parent = git.resolve(branch).orElseGet(() -> git.resolve("main").orElseThrow());
        ObjectId commit = git.commitFiles(parent, files, message + " (" + commits.incrementAndGet() + ")", owner, now());
        simulator.refMoved(this, Constants.R_HEADS + branch, git.resolve(branch).orElse(null), commit, true);
        return commit.name();
    }

    /**
     * Opens a pull request from a new branch {@code head} (made from {@code main}) with one commit
     * per map in {@code commits} (a null text deletes the file), into {@code main}. Two pull requests that set different text on the
     * same line of one file conflict when merged together.
     *
     * @return its number
     */
    @SafeVarargs
    public final int openPullRequest(String head, String title, Map<String, String>... commits) {
        if (commits.length == 0) {
            throw new IllegalArgumentException("a pull request needs at least one commit: " + head);
        }
        if (hasBranch(head)) {
            throw new IllegalArgumentException("branch '" + head + "' exists already in " + fullName());
        }
        ObjectId tip = git.resolve("main").orElseThrow();
        for (Map<String, String> files : commits) {
            tip = git.commitFiles(tip, files, title, owner, now());
        }
        git.updateRef(Constants.R_HEADS + head, tip, false);
        PullState pr;
        synchronized (this) {
            int number = pulls.size() + 1;
            pr = new PullState(number, simulator.nextId(), title, head, "main", owner, now());
            pulls.put(number, pr);
        }
        simulator.webhooks().pullRequest(this, pr, "opened");
        return pr.number;
    }

    /** Marks a pull request a draft or ready for review. */
    public synchronized void draft(int pr, boolean draft) {
        pull(pr).draft = draft;
    }

    /** Adds a label and sends the {@code labeled} webhook. */
    public void label(int pr, String label) {
        label(pr, owner, label);
    }

    /** {@code user} adds a label; the {@code labeled} webhook follows, naming them as its sender. */
    public void label(int pr, String user, String label) {
        PullState state;
        synchronized (this) {
            state = pull(pr);
            state.labels.add(label);
        }
        simulator.webhooks().pullRequestLabeled(this, state, label, true, user);
    }

    /** {@code user} removes a label; the {@code unlabeled} webhook follows. */
    public void unlabel(int pr, String user, String label) {
        PullState state;
        synchronized (this) {
            state = pull(pr);
            state.labels.remove(label);
        }
        simulator.webhooks().pullRequestLabeled(this, state, label, false, user);
    }

    /** {@code user} comments on a pull request, e.g. a command to the queue; the {@code issue_comment} webhook follows. */
    public void comment(int pr, String user, String body) {
        PullState state;
        CommentState comment;
        synchronized (this) {
            state = pull(pr);
            comment = new CommentState(simulator.nextId(), pr, user, body, now());
            comments.add(comment);
        }
        simulator.webhooks().issueComment(this, state, comment);
    }

    /** {@code user} closes a pull request without merging it; the {@code closed} webhook follows. */
    public void close(int pr) {
        PullState state;
        synchronized (this) {
            state = pull(pr);
            if (state.closed || state.merged) {
                return;
            }
            state.closed = true;
            state.closedAt = now();
        }
        simulator.webhooks().pullRequest(this, state, "closed");
    }

    /** {@code user} submits a review in {@code state} (APPROVED, CHANGES_REQUESTED, COMMENTED) at the head. */
    public synchronized void review(int pr, String user, String state) {
        PullState p = pull(pr);
        p.reviews.add(new Review(simulator.nextId(), user, state, branchSha(p.headRef)));
    }

    /** Branch protection of {@code branch} requires these checks (check-run names or status contexts). */
    public synchronized void requireChecks(String branch, List<String> checks) {
        requiredChecks.put(branch, List.copyOf(checks));
    }

    /** {@code user} collaborates with {@code permission}: admin, maintain, write, triage or read. */
    public synchronized void collaborator(String user, String permission) {
        permissions.put(user, permission);
    }

    /** Whether the pull request is open, closed or merged, as GitHub reports it. */
    public synchronized String pullRequestState(int pr) {
        PullState p = pull(pr);
        return p.merged ? "merged" : p.closed ? "closed" : "open";
    }

    /** The bodies of the comments on issue or pull request {@code number}, oldest first. */
    public synchronized List<String> comments(int number) {
        return comments.stream().filter(c -> c.issue() == number).map(CommentState::body).toList();
    }

    /** The check runs on {@code sha}: name to "status/conclusion", e.g. {@code completed/success}, newest per name. */
    public synchronized Map<String, String> checkRuns(String sha) {
        Map<String, String> runs = new TreeMap<>();
        for (CheckRunState run : checkRuns) {
            if (run.headSha.equals(sha)) {
                runs.put(run.name, run.status + "/" + (run.conclusion == null ? "" : run.conclusion));
            }
        }
        return runs;
    }

    /** The summary (output text) of the newest check run named {@code name} on {@code sha}. */
    public synchronized Optional<String> checkRunSummary(String sha, String name) {
        return checkRuns.stream().filter(r -> r.headSha.equals(sha) && r.name.equals(name))
            .reduce((a, b) -> b).map(r -> (r.title == null ? "" : r.title + "\n") + (r.summary == null ? "" : r.summary));
    }

    /** Sets a commit status, as a CI system outside the simulator would. */
    public void setStatus(String sha, String context, String state) {
        simulator.createStatus(this, sha, context, state, context + " is " + state);
    }

    synchronized PullState pull(int number) {
        PullState p = pulls.get(number);
        if (p == null) {
            throw new IllegalArgumentException("no pull request #" + number + " in " + fullName());
        }
        return p;
    }

    Instant now() {
        return simulator.clock().instant();
    }
}
