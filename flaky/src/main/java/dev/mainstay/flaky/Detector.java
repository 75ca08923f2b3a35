package dev.mainstay.flaky;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides a test's {@link Verdict} from its executions, its previous verdict and {@code now}.
 *
 * <p>What counts: executions in the {@linkplain DetectionSettings#window() window} before
 * {@code now}, at most {@linkplain DetectionSettings#maxExecutions() the newest N}, skipped ones
 * left out. Two kinds of failure are evidence of flakiness, because the code cannot explain them:
 * <ul>
 * <li>a failure on a commit where the test also passed (a retry, another job, a re-run);</li>
 * <li>on a protected branch, failures in a row, on fewer than {@code brokenMinFailures} commits,
 *     that a pass ends. Failures on more commits that a pass ends were a breakage and its fix; a
 *     run of failures still going at the end is not judged yet, so a newly broken test is never
 *     called flaky on its way to broken.</li>
 * </ul>
 * Broken: the failures in a row at the end of the protected-branch runs span at least
 * {@code brokenMinFailures} commits (retries of one commit count once, since a flaky test can
 * fail all of a run's retries), and more while the test's flake rate could still be high (little
 * history, or known to flake often): enough that a test flaking at that rate would fail on that
 * many commits in a row with probability below {@code brokenSignificance}. Broken wins over every monitor; otherwise any active monitor
 * makes the test flaky.
 */
public final class Detector {

    private Detector() {
    }

    /** The verdict on a test with these {@code executions} (any order, any window), as of {@code now}. */
    public static Verdict classify(Collection<Execution> executions, Verdict previous, DetectionSettings settings, Instant now) {
        List<Execution> counted = counted(executions, settings, now);

        Map<String, int[]> byCommit = new HashMap<>();
        for (Execution e : counted) {
            int[] passFail = byCommit.computeIfAbsent(e.commit(), c -> new int[2]);
            passFail[e.outcome().failing() ? 1 : 0]++;
        }
        int retryCommits = 0;
        for (int[] passFail : byCommit.values()) {
            if (passFail[0] > 0 && passFail[1] > 0) {
                retryCommits++;
            }
        }

        Set<Execution> contradicted = new LinkedHashSet<>();
        Set<Execution> passes = new LinkedHashSet<>();
        for (Execution e : counted) {
            int[] passFail = byCommit.get(e.commit());
            if (passFail[0] > 0 && passFail[1] > 0) {
                (e.outcome().failing() ? contradicted : passes).add(e);
            }
        }
        int protectedPasses = 0;
        int protectedContradicted = 0;
        List<Execution> streak = new ArrayList<>();
        for (Execution e : counted) {
            if (!settings.isProtected(e.branch())) {
                continue;
            }
            if (e.outcome().failing()) {
                streak.add(e);
                continue;
            }
            protectedPasses++;
            passes.add(e);
            if (!streak.isEmpty() && commits(streak) < settings.brokenMinFailures()) {
                contradicted.addAll(streak);
                protectedContradicted += streak.size();
            }
            streak.clear();
        }
        int streakCommits = commits(streak);

        int k = contradicted.size();
        FlakinessScore score = FlakinessScore.of(k, k + passes.size(), settings);
        int samples = protectedPasses + protectedContradicted;
        double rate = samples == 0 ? 0 : (double) protectedContradicted / samples;

        Set<Monitor> monitors = EnumSet.noneOf(Monitor.class);
        if (retryCommits >= settings.retryMinCommits()) {
            monitors.add(Monitor.PASS_ON_RETRY);
        }
        boolean rateActive = previous.active(Monitor.FAILURE_RATE)
            ? samples > 0 && rate >= settings.rateResolve()
            : samples >= settings.rateMinSample() && rate >= settings.rateActivate();
        if (rateActive) {
            monitors.add(Monitor.FAILURE_RATE);
        }
        boolean scoreActive = previous.active(Monitor.PROBABILISTIC)
            ? score.confidence() >= settings.scoreResolve()
            : score.confidence() >= settings.scoreActivate();
        if (scoreActive) {
            monitors.add(Monitor.PROBABILISTIC);
        }

        boolean broken = streakCommits >= brokenStreak(score, settings);
        Status status = broken ? Status.BROKEN : monitors.isEmpty() ? Status.HEALTHY : Status.FLAKY;
        List<String> evidence = switch (status) {
            case BROKEN -> newest(streak);
            case FLAKY -> newest(withSameCommitPasses(contradicted, passes));
            case HEALTHY -> List.of();
        };
        return new Verdict(status, score.score(), score.confidence(), monitors, evidence, samples, k, retryCommits, streakCommits);
    }

    /** How many commits a run of consecutive executions spans: retries of one commit count once. */
    private static int commits(List<Execution> run) {
        int commits = 0;
        String last = null;
        for (Execution e : run) {
            if (!e.commit().equals(last)) {
                commits++;
                last = e.commit();
            }
        }
        return commits;
    }

    /**
     * The commits failing in a row that make a test broken: at least {@code brokenMinFailures}, and enough that a
     * test flaking at θ would fail on all of them with probability below {@code brokenSignificance}, for θ as high as
     * the evidence allows (its posterior mean plus two standard deviations). A test with little history, or one known
     * to flake often, needs a longer streak.
     */
    static int brokenStreak(FlakinessScore score, DetectionSettings settings) {
        double flaking = Math.ceil(Math.log(settings.brokenSignificance()) / Math.log(score.rateUpper()));
        return (int) Math.max(settings.brokenMinFailures(), Math.min(flaking, 1000));
    }

    private static List<Execution> counted(Collection<Execution> executions, DetectionSettings settings, Instant now) {
        Instant from = now.minus(settings.window());
        List<Execution> counted = new ArrayList<>();
        for (Execution e : executions) {
            if (e.outcome() != Outcome.SKIPPED && e.at().isAfter(from) && !e.at().isAfter(now)) {
                counted.add(e);
            }
        }
        for (int i = 1; i < counted.size(); i++) {
            // Callers usually pass executions in order already (a replay, a query ordered by time): sort only when not.
            if (Execution.CHRONOLOGICAL.compare(counted.get(i - 1), counted.get(i)) > 0) {
                counted.sort(Execution.CHRONOLOGICAL);
                break;
            }
        }
        return counted.size() > settings.maxExecutions()
            ? counted.subList(counted.size() - settings.maxExecutions(), counted.size())
            : counted;
    }

    /** The contradicted failures, and the passes on their commits, oldest first. */
    private static List<Execution> withSameCommitPasses(Set<Execution> contradicted, Set<Execution> passes) {
        Set<String> commits = new LinkedHashSet<>();
        for (Execution e : contradicted) {
            commits.add(e.commit());
        }
        List<Execution> all = new ArrayList<>(contradicted);
        for (Execution p : passes) {
            if (commits.contains(p.commit())) {
                all.add(p);
            }
        }
        all.sort(Execution.CHRONOLOGICAL);
        return all;
    }

    private static List<String> newest(List<Execution> executions) {
        List<String> refs = new ArrayList<>();
        for (int i = executions.size() - 1; i >= 0 && refs.size() < Verdict.MAX_EVIDENCE; i--) {
            refs.add(executions.get(i).ref());
        }
        return refs;
    }
}
