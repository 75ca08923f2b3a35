package dev.mainstay.queue.sim;

import dev.mainstay.queue.engine.QueueSettings;
import java.util.Objects;

/**
 * A model of a repository's pull requests and CI, read from a scenario file by {@link ScenarioJson}.
 *
 * @param seed            everything random follows from it
 * @param hours           how long pull requests arrive; the simulation then runs until the queue is empty
 * @param prsPerHour      mean arrival rate (a Poisson process)
 * @param ciMedianMinutes median duration of one CI run
 * @param ciP95Minutes    95th percentile of a CI run's duration (durations are lognormal)
 * @param ciSlots         CI runs the queue may have at once
 * @param trueFailureRate share of pull requests whose change really breaks the build
 * @param flakeRate       chance that one CI run of a good candidate fails anyway
 * @param conflictRate    chance that a pull request cannot merge together with one earlier pull request of its lane
 * @param lanes           independent impacted-target groups pull requests are spread over, uniformly
 * @param settings        the {@code mainstay} strategy's engine settings: the defaults, with concurrency = ci_slots,
 *                        overridden by the scenario's {@code settings} object
 */
public record Scenario(long seed, double hours, double prsPerHour, double ciMedianMinutes, double ciP95Minutes, int ciSlots,
                       double trueFailureRate, double flakeRate, double conflictRate, int lanes, QueueSettings settings) {

    /** Pull requests one scenario may expect to see at the most, so a run stays within memory and minutes. */
    public static final double MAX_EXPECTED_PRS = 20_000;

    /** @throws IllegalArgumentException naming the first key whose value is out of range */
    public Scenario {
        Objects.requireNonNull(settings, "settings");
        require(hours > 0 && hours <= 24 * 14, "hours must be above 0 and at most 336: " + hours);
        require(prsPerHour > 0 && prsPerHour <= 1000, "prs_per_hour must be above 0 and at most 1000: " + prsPerHour);
        require(hours * prsPerHour <= MAX_EXPECTED_PRS,
            "hours × prs_per_hour must be at most " + (long) MAX_EXPECTED_PRS + " pull requests: " + hours * prsPerHour);
        require(ciMedianMinutes >= 0.1 && ciMedianMinutes <= 1440, "ci_minutes.median must be between 0.1 and 1440: " + ciMedianMinutes);
        require(ciP95Minutes >= ciMedianMinutes && ciP95Minutes <= 10 * ciMedianMinutes,
            "ci_minutes.p95 must be at least the median and at most 10 times it: " + ciP95Minutes);
        require(ciSlots >= 1 && ciSlots <= 1000, "ci_slots must be between 1 and 1000: " + ciSlots);
        require(rate(trueFailureRate) && trueFailureRate < 1, "true_failure_rate must be at least 0 and below 1: " + trueFailureRate);
        require(rate(flakeRate) && flakeRate <= 0.9, "flake_rate must be between 0 and 0.9: " + flakeRate);
        require(rate(conflictRate), "conflict_rate must be between 0 and 1: " + conflictRate);
        require(lanes >= 1 && lanes <= 64, "lanes must be between 1 and 64: " + lanes);
    }

    private static boolean rate(double r) {
        return r >= 0 && r <= 1;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** This scenario with another seed ({@code --seed}). */
    public Scenario withSeed(long other) {
        return new Scenario(other, hours, prsPerHour, ciMedianMinutes, ciP95Minutes, ciSlots, trueFailureRate, flakeRate, conflictRate,
            lanes, settings);
    }
}
