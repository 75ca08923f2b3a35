package dev.mainstay.queue.sim;

import java.util.List;

/**
 * What one strategy achieved on one scenario.
 *
 * @param strategy            the strategy
 * @param merged              pull requests merged, during the arrival window and after it
 * @param throughputPerHour   pull requests merged within the arrival window, per hour of it
 * @param ttmP50Minutes       median time from enqueue to merge of the merged pull requests; NaN when none merged
 * @param ttmP95Minutes       its 95th percentile (nearest rank); NaN when none merged
 * @param ciRunsPerMerge      CI runs started (cancelled ones included) per merged pull request; NaN when none merged
 * @param falseEjections      good pull requests dequeued because checks failed (alone or in a batch)
 * @param invariantViolations merges of a tree that did not pass, and pull requests merged twice, lost, merged after
 *                            leaving the queue or never enqueued
 * @param ciRuns              CI runs started
 * @param dequeued            pull requests that left the queue without merging
 * @param drainedAfterHours   when the last event was handled: the queue was empty then (or the cap was hit)
 * @param stoppedAtCap        the queue had not emptied {@link Simulation#CAP} after the last arrival, and the run was stopped
 * @param violations          the first violations, described, for whoever has to find the bug
 */
public record Result(Strategy strategy, int merged, double throughputPerHour, double ttmP50Minutes, double ttmP95Minutes,
                     double ciRunsPerMerge, int falseEjections, int invariantViolations, long ciRuns, int dequeued,
                     double drainedAfterHours, boolean stoppedAtCap, List<String> violations) {

    public Result {
        violations = List.copyOf(violations);
    }

    static Result of(Strategy strategy, Scenario scenario, Ledger ledger, long ciRuns, long endMillis, boolean capped) {
        long window = Math.round(scenario.hours() * 3_600_000);
        List<Long> times = ledger.mergeTimes();
        long inWindow = times.stream().filter(t -> t <= window).count();
        List<Long> ttm = ledger.timesToMerge().stream().sorted().toList();
        int merged = times.size();
        return new Result(strategy, merged, round(inWindow / scenario.hours(), 2), minutes(percentile(ttm, 0.50)),
            minutes(percentile(ttm, 0.95)), merged == 0 ? Double.NaN : round((double) ciRuns / merged, 2), ledger.falseEjections(),
            ledger.violations(), ciRuns, ledger.dequeuedCount(), round(endMillis / 3_600_000.0, 1), capped, ledger.messages());
    }

    /** The nearest-rank percentile of sorted {@code values}; -1 when there are none. */
    private static long percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        int rank = (int) Math.ceil(p * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    private static double minutes(long millis) {
        return millis < 0 ? Double.NaN : round(millis / 60_000.0, 1);
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
