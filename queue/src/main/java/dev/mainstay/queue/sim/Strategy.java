package dev.mainstay.queue.sim;

import dev.mainstay.queue.engine.QueueSettings;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * A way to run the queue. Every strategy drives the same engine; the baselines are presets of its
 * settings, so they differ from {@link #MAINSTAY} in what they turn off, not in code.
 */
public enum Strategy {
    /** The engine with its defaults (concurrency = ci_slots), overridden by the scenario's {@code settings}. */
    MAINSTAY,
    /** One pull request at a time, tested alone and merged when it passes (bors, Kodiak): concurrency 1, batches of 1. */
    SERIAL,
    /**
     * GitHub's merge queue: each pull request its own speculative group on top of those ahead, up to ci_slots at once; a
     * failure ejects the pull request at once (no retry, no bisection, no pending failure) and everything behind it is rebuilt.
     */
    GITHUB,
    /**
     * An upper bound, not a queue one can run: it knows every outcome in advance, so truly-bad pull requests never enter
     * (they count neither as merged nor as ejected), CI never flakes, and everything queued is tested as one batch.
     */
    ORACLE;

    /** The name on the command line and in results. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The strategy called {@code key}. @throws IllegalArgumentException naming the key and the known ones */
    public static Strategy of(String key) {
        return Arrays.stream(values()).filter(s -> s.key().equals(key)).findFirst().orElseThrow(() -> new IllegalArgumentException(
            "unknown strategy '" + key + "' (known: mainstay, serial, github, oracle)"));
    }

    /** The engine settings this strategy runs {@code scenario} with. */
    public QueueSettings settings(Scenario scenario) {
        Duration timeout = scenario.settings().testTimeout();
        return switch (this) {
            case MAINSTAY -> scenario.settings();
            case SERIAL -> new QueueSettings(1, 1, Duration.ZERO, false, false, 0, 0, false, timeout, false);
            case GITHUB -> new QueueSettings(scenario.ciSlots(), 1, Duration.ZERO, false, false, 0, 0, false, timeout, false);
            case ORACLE -> new QueueSettings(scenario.ciSlots(), 100, Duration.ZERO, true, true, 0, 0, false, timeout, false);
        };
    }

    /** True when it knows which pull requests are bad and when CI flakes. */
    public boolean knowsOutcomes() {
        return this == ORACLE;
    }

    /** True when flaky-test detection tells the queue which tests are known flaky. */
    public boolean knowsFlakyTests() {
        return this == MAINSTAY;
    }
}
