package dev.mainstay.flaky;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds a test's executions one CI run at a time, an hour apart, for detector tests. */
final class Runs {

    static final Instant START = Instant.parse("2026-10-01T00:00:00Z");

    private final List<Execution> executions = new ArrayList<>();
    private Instant at = START;
    private int run;

    /** A run on {@code branch} at a new commit whose attempts end as {@code outcomes}. */
    Runs on(String branch, Outcome... outcomes) {
        return on(branch, "c" + (run + 1), outcomes);
    }

    /** A run on {@code branch} at {@code commit} whose attempts end as {@code outcomes}. */
    Runs on(String branch, String commit, Outcome... outcomes) {
        run++;
        at = at.plus(Duration.ofHours(1));
        for (int i = 0; i < outcomes.length; i++) {
            executions.add(new Execution("r" + run + "a" + (i + 1), commit, branch, "run" + run, i + 1, outcomes[i], at));
        }
        return this;
    }

    /** {@code n} runs on {@code branch}, each at a new commit, with one attempt ending as {@code outcome}. */
    Runs times(int n, String branch, Outcome outcome) {
        for (int i = 0; i < n; i++) {
            on(branch, outcome);
        }
        return this;
    }

    Runs after(Duration gap) {
        at = at.plus(gap);
        return this;
    }

    List<Execution> all() {
        return List.copyOf(executions);
    }

    Instant now() {
        return at;
    }

    /** The verdict after each execution in turn, each from the one before, as the appliance computes them. */
    List<Verdict> replay(DetectionSettings settings) {
        List<Verdict> verdicts = new ArrayList<>();
        Verdict previous = Verdict.INITIAL;
        for (int i = 0; i < executions.size(); i++) {
            previous = Detector.classify(executions.subList(0, i + 1), previous, settings, executions.get(i).at());
            verdicts.add(previous);
        }
        return verdicts;
    }
}
