package dev.mainstay.flaky;

import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What detection concluded about one test at one moment, and the figures it concluded it from.
 *
 * @param status                what the test is
 * @param score                 the estimated probability that a run of the test fails because it is flaky (0..1):
 *                              {@code confidence} times the posterior mean flake rate; ranks flaky tests
 * @param confidence            the posterior probability that the test is flaky at all (0..1)
 * @param monitors              the monitors whose evidence is active
 * @param evidence              refs of the executions behind the status: the contradicted failures and the passes on
 *                              their commits, or the failing streak of a broken test; newest first, at most
 *                              {@link #MAX_EVIDENCE}
 * @param samples               executions that count as trials for the failure rate (protected-branch runs that are
 *                              not explained by a consistent failure)
 * @param contradictedFailures  failures that a pass on the same commit, or a later pass on a protected branch, contradicts
 * @param retryCommits          commits on which the test both failed and passed
 * @param failingStreak         commits failing in a row at the end of the protected-branch runs
 */
public record Verdict(Status status, double score, double confidence, Set<Monitor> monitors, List<String> evidence, int samples,
                      int contradictedFailures, int retryCommits, int failingStreak) {

    /** How many execution refs a verdict keeps as evidence. */
    public static final int MAX_EVIDENCE = 20;

    /** A test never seen before: healthy, nothing active. */
    public static final Verdict INITIAL = new Verdict(Status.HEALTHY, 0, 0, Set.of(), List.of(), 0, 0, 0, 0);

    public Verdict {
        Objects.requireNonNull(status, "status");
        monitors = monitors.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(monitors));
        evidence = List.copyOf(evidence);
        if (!(score >= 0 && score <= 1) || !(confidence >= 0 && confidence <= 1)) {
            throw new IllegalArgumentException("score and confidence must be within 0..1: " + score + ", " + confidence);
        }
    }

    /** True when the monitor is active. */
    public boolean active(Monitor monitor) {
        return monitors.contains(monitor);
    }

    /** The active monitors in their declared order. */
    public List<Monitor> orderedMonitors() {
        return monitors.isEmpty() ? List.of() : List.copyOf(EnumSet.copyOf(monitors));
    }

    /** True when this verdict is a transition from {@code previous}: the status or the set of active monitors changed. */
    public boolean changedFrom(Verdict previous) {
        return status != previous.status || !monitors.equals(previous.monitors);
    }
}
