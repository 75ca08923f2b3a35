package dev.mainstay.flaky.history;

import dev.mainstay.flaky.Monitor;
import dev.mainstay.flaky.Status;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * Scores a {@link Replay} against {@link Label}s. A test counts as called flaky (or broken) if any
 * verdict during the replay said so — that is when the appliance would have quarantined it or
 * told someone — and each monitor is scored the same way by whether it ever became active.
 * Latency is how many of the test's executions it took. Tests without a label, and labels without
 * a test in the history, are counted and otherwise left out.
 */
public final class Backtest {

    /** Recall is also reported for flaky tests that flake at least this often and have this many executions. */
    public static final double RECALL_MIN_FLAKE_RATE = 0.05;
    public static final int RECALL_AFTER_RUNS = 50;

    /**
     * How well one kind of call matched the truth.
     *
     * @param called         tests called so
     * @param correct        of those, tests whose truth it is
     * @param truth          tests whose truth it is
     * @param medianLatency  median executions to the first call, over the correct calls
     * @param p90Latency     90th percentile of the same
     */
    public record Score(int called, int correct, int truth, OptionalDouble precision, OptionalDouble recall, OptionalInt medianLatency,
                        OptionalInt p90Latency) {
    }

    /**
     * The whole backtest.
     *
     * @param recallAt50           recall, within their first {@value #RECALL_AFTER_RUNS} executions, of flaky tests that
     *                             flake at least {@value #RECALL_MIN_FLAKE_RATE} of the time (every flaky test when the
     *                             labels give no rate) and have that many executions
     * @param recallAt50Eligible   how many tests that recall is over
     * @param brokenCalledFlaky    broken tests that were called flaky at any point (the goal is none)
     * @param healthyCalledFlaky   healthy tests that were called flaky at any point
     */
    public record Report(int tests, int labelled, int unlabelledTests, int labelsWithoutHistory, Score flaky,
                         Map<Monitor, Score> monitors, Score broken, OptionalDouble recallAt50, int recallAt50Eligible,
                         int brokenCalledFlaky, int healthyCalledFlaky, int infrastructureUploads) {
    }

    private Backtest() {
    }

    public static Report score(Replay.Result replay, List<Label> labels) {
        Map<String, Label> byRepoTest = new HashMap<>();
        Map<String, Label> byTest = new HashMap<>();
        for (Label l : labels) {
            (l.repo() == null ? byTest : byRepoTest).put(l.repo() == null ? l.test() : l.repo() + "\u0000" + l.test(), l);
        }
        List<Replay.TestResult> results = new ArrayList<>();
        List<Label> truths = new ArrayList<>();
        int unlabelled = 0;
        java.util.Set<Label> used = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Replay.TestResult r : replay.tests()) {
            Label l = byRepoTest.getOrDefault(r.repo() + "\u0000" + r.test(), byTest.get(r.test()));
            if (l == null) {
                unlabelled++;
                continue;
            }
            used.add(l);
            results.add(r);
            truths.add(l);
        }
        Score flaky = score(results, truths, Status.FLAKY, Replay.TestResult::flakyAfter);
        Map<Monitor, Score> monitors = new EnumMap<>(Monitor.class);
        for (Monitor m : Monitor.values()) {
            monitors.put(m, score(results, truths, Status.FLAKY, r -> r.monitorAfter().containsKey(m)
                ? OptionalInt.of(r.monitorAfter().get(m)) : OptionalInt.empty()));
        }
        Score broken = score(results, truths, Status.BROKEN, Replay.TestResult::brokenAfter);
        int eligible = 0;
        int detected = 0;
        int brokenCalledFlaky = 0;
        int healthyCalledFlaky = 0;
        for (int i = 0; i < results.size(); i++) {
            Replay.TestResult r = results.get(i);
            Label l = truths.get(i);
            boolean calledFlaky = r.flakyAfter().isPresent();
            switch (l.truth()) {
                case BROKEN -> brokenCalledFlaky += calledFlaky ? 1 : 0;
                case HEALTHY -> healthyCalledFlaky += calledFlaky ? 1 : 0;
                case FLAKY -> {
                    if (r.executions() >= RECALL_AFTER_RUNS && l.flakeRate().orElse(1) >= RECALL_MIN_FLAKE_RATE) {
                        eligible++;
                        detected += calledFlaky && r.flakyAfter().getAsInt() <= RECALL_AFTER_RUNS ? 1 : 0;
                    }
                }
            }
        }
        return new Report(replay.tests().size(), results.size(), unlabelled, labels.size() - used.size(), flaky, monitors, broken,
            ratio(detected, eligible), eligible, brokenCalledFlaky, healthyCalledFlaky, replay.infrastructureUploads());
    }

    private static Score score(List<Replay.TestResult> results, List<Label> truths, Status status,
                               Function<Replay.TestResult, OptionalInt> calledAfter) {
        int called = 0;
        int correct = 0;
        int truth = 0;
        List<Integer> latencies = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            OptionalInt after = calledAfter.apply(results.get(i));
            boolean isTruth = truths.get(i).truth() == status;
            truth += isTruth ? 1 : 0;
            if (after.isPresent()) {
                called++;
                if (isTruth) {
                    correct++;
                    latencies.add(after.getAsInt());
                }
            }
        }
        Collections.sort(latencies);
        return new Score(called, correct, truth, ratio(correct, called), ratio(correct, truth), percentile(latencies, 0.5),
            percentile(latencies, 0.9));
    }

    private static OptionalDouble ratio(int part, int whole) {
        return whole == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) part / whole);
    }

    private static OptionalInt percentile(List<Integer> sorted, double p) {
        if (sorted.isEmpty()) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1)));
    }
}
