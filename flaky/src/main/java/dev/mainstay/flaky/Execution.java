package dev.mainstay.flaky;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * One execution (an attempt) of one test, as detection sees it. Executions from uploads flagged as
 * infrastructure failures never reach the detector: callers leave them out.
 *
 * @param ref      where the execution is stored ({@code <upload>/<seq>} on the server, a line
 *                 number offline); kept as evidence of a transition
 * @param commit   the commit it ran on
 * @param branch   the branch it ran on, which decides whether it counts as a protected-branch run
 * @param run      the CI run, so that attempts of one run are ordered
 * @param attempt  1 for the first attempt, more for retries
 * @param outcome  how it ended
 * @param at       when it ran (the upload's time when the report had none)
 */
public record Execution(String ref, String commit, String branch, String run, int attempt, Outcome outcome, Instant at) {

    /** Oldest first; attempts of one run in their order. */
    public static final Comparator<Execution> CHRONOLOGICAL = Comparator.comparing(Execution::at)
        .thenComparing(Execution::run).thenComparingInt(Execution::attempt).thenComparing(Execution::ref);

    public Execution {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(commit, "commit");
        Objects.requireNonNull(branch, "branch");
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(at, "at");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1: " + attempt);
        }
    }
}
