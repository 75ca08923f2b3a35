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
 * <li>on a protected branch, a run of fewer than {@code brokenMinFailures} failures in a row that
 *     a pass ends. A longer run that a pass ends was a breakage and its fix; a run still going at
 *     the end is not judged yet, so a newly broken test is never called flaky on its way to
 *     broken.</li>
 * </ul>
 * Broken: the failing streak at the end of the protected-branch runs is at least
 * {@code brokenMinFailures} long, and longer still for a test already known to flake: long enough
 * that a test flaking at its estimated rate would fail that many times in a row with probability
 * below {@code brokenSignificance}. Broken wins over every monitor; otherwise any active monitor
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
            if (!streak.isEmpty() && streak.size() < settings.brokenMinFailures()) {
                contradicted.addAll(streak);
                protectedContradicted += streak.size();
            }
            streak.clear();
        }

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

        boolean broken = streak.size() >= brokenStreak(score, settings);
        Status status = broken ? Status.BROKEN : monitors.isEmpty() ? Status.HEALTHY : Status.FLAKY;
        List<String> evidence = switch (status) {
            case BROKEN -> newest(streak);
            case FLAKY -> newest(union(contradicted, passes, byCommit));
            case HEALTHY -> List.of();
        };
        return new Verdict(status, score.score(), score.confidence(), monitors, evidence, samples, k, retryCommits, streak.size());
    }

    /**
     * The failures in a row that make a test broken: at least {@code brokenMinFailures}, and for a test flaking at
     * estimated rate θ, enough that θ^streak is below {@code brokenSignificance}.
     */
    static int brokenStreak(FlakinessScore score, DetectionSettings settings) {
        double flaking = Math.ceil(Math.log(settings.brokenSignificance()) / Math.log(score.rate()));
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
        counted.sort(Execution.CHRONOLOGICAL);
        return counted.size() > settings.maxExecutions()
            ? counted.subList(counted.size() - settings.maxExecutions(), counted.size())
            : counted;
    }

    /** The contradicted failures, and the passes that contradict them: on the same commit, or the next protected pass. */
    private static List<Execution> union(Set<Execution> contradicted, Set<Execution> passes, Map<String, int[]> byCommit) {
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
