package dev.mainstay.platform.queue.web;

import dev.mainstay.platform.queue.worker.QueueHistory;
import dev.mainstay.queue.engine.MergeQueue;
import dev.mainstay.queue.engine.Priority;
import dev.mainstay.queue.engine.QueueSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A queue as its page shows it: the pull requests in queue order with their state, time waited and
 * expected wait; the candidate tests with their commit on GitHub (where CI's checks show); what left
 * the queue lately.
 *
 * @param repo        {@code owner/name}
 * @param branch      the target branch
 * @param started     whether a pull request was ever queued to the branch (its queue exists)
 * @param github      GitHub's web root, for links
 * @param paused      the queue takes no new tests and merges nothing
 * @param draining    the queue tests and merges only what was queued before it was told to drain
 * @param entries     in queue order
 * @param tests       candidate tests, latest first
 * @param history     what left the queue, latest first
 * @param typicalTest the median candidate test of the last week, if any finished
 */
public record QueueView(String repo, String branch, boolean started, String github, boolean paused, boolean draining, List<Entry> entries, List<Test> tests,
                        List<QueueHistory.Left> history, Optional<Duration> typicalTest) {

    /** The target branch as a query parameter's value: a branch may hold '&', '#' or '+'. */
    public String branchQuery() {
        return java.net.URLEncoder.encode(branch, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A queued pull request; {@code expected} is empty when no candidate test finished lately to estimate from. */
    public record Entry(int position, int pr, String priority, boolean testing, Duration waited, Optional<Duration> expected) {
    }

    /** A candidate test. */
    public record Test(long run, List<Integer> prs, String state, int attempt, String sha, Duration running, boolean side) {

        public String shortSha() {
            return sha.length() > 10 ? sha.substring(0, 10) : sha;
        }
    }

    /**
     * The view of {@code state} at {@code now}. A testing pull request is expected when its test's
     * typical length has passed since it started; a waiting one after as many typical tests as the
     * waves of {@code settings.batchSize() × settings.concurrency()} ahead of it, plus the current wave.
     */
    static QueueView of(String repo, String branch, String github, MergeQueue.State state, List<QueueHistory.Left> history,
                        Optional<Duration> typicalTest, QueueSettings settings, Instant now) {
        List<Entry> entries = new ArrayList<>();
        Duration current = state.runs().stream().filter(QueueView::active)
            .map(r -> typicalTest.map(t -> positive(t.minus(Duration.between(r.startedAt(), now)))).orElse(Duration.ZERO))
            .min(Duration::compareTo).orElse(Duration.ZERO);
        int perWave = Math.max(1, settings.batchSize() * settings.concurrency());
        int waiting = 0;
        for (int i = 0; i < state.entries().size(); i++) {
            MergeQueue.EntryState e = state.entries().get(i);
            Optional<Duration> expected;
            if (e.testing()) {
                Optional<MergeQueue.RunSnapshot> run = state.runs().stream()
                    .filter(r -> active(r) && r.prs().contains(e.pr().number())).findFirst();
                expected = typicalTest.map(t -> positive(t.minus(run.map(r -> Duration.between(r.startedAt(), now)).orElse(Duration.ZERO))));
            } else {
                int waves = waiting / perWave + 1;
                expected = typicalTest.map(t -> current.plus(t.multipliedBy(waves)));
                waiting++;
            }
            entries.add(new Entry(i + 1, e.pr().number(), e.pr().priority() == Priority.NORMAL ? ""
                : e.pr().priority().name().toLowerCase(Locale.ROOT), e.testing(), positive(Duration.between(e.enqueuedAt(), now)), expected));
        }
        List<Test> tests = state.runs().stream()
            .sorted((a, b) -> Long.compare(b.id(), a.id()))
            .map(r -> new Test(r.id(), r.prs(), r.state().name().toLowerCase(Locale.ROOT), r.attempt(), r.sha() == null ? "" : r.sha(),
                positive(Duration.between(r.startedAt(), now)), r.side()))
            .toList();
        return new QueueView(repo, branch, true, github, state.paused(), state.draining(), List.copyOf(entries), tests, List.copyOf(history), typicalTest);
    }

    /** The view of a branch no pull request was ever queued to: its queue starts with the first one. */
    static QueueView notStarted(String repo, String branch, String github) {
        return new QueueView(repo, branch, false, github, false, false, List.of(), List.of(), List.of(), Optional.empty());
    }

    private static boolean active(MergeQueue.RunSnapshot run) {
        return run.state() == MergeQueue.RunState.BUILDING || run.state() == MergeQueue.RunState.RUNNING;
    }

    private static Duration positive(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** {@code d} for people: "45 s", "12 min", "3 h 5 min", "2 d 4 h". */
    public static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return (s / 60) + " min";
        }
        if (s < 86_400) {
            return (s / 3600) + " h" + (s % 3600 / 60 == 0 ? "" : " " + (s % 3600 / 60) + " min");
        }
        return (s / 86_400) + " d" + (s % 86_400 / 3600 == 0 ? "" : " " + (s % 86_400 / 3600) + " h");
    }

    /** An outcome for people: "merged", "checks failed", "merge conflict", … */
    public static String outcome(String outcome) {
        return outcome.replace('_', ' ');
    }

    /** The pull request's page on GitHub. */
    public String pullRequestUrl(int pr) {
        return github + "/" + repo + "/pull/" + pr;
    }

    /** The commit's page on GitHub, where CI's checks of it show. */
    public String commitUrl(String sha) {
        return github + "/" + repo + "/commit/" + sha;
    }
}
