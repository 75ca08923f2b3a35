package dev.mainstay.flaky;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The thresholds detection works with, per repository. {@link #DEFAULTS} are what a repository
 * gets until someone changes them; {@link SettingsJson} reads overrides. Each value is checked
 * when the settings are made, so a verdict is never computed from nonsense.
 *
 * @param protectedBranches    globs of the branches whose every commit is meant to pass ({@code *} within one path
 *                             segment, {@code **} across them); only their runs feed the failure rate and broken
 * @param window               how far back executions count
 * @param maxExecutions        at most this many of a test's newest executions count
 * @param retryMinCommits      commits with both a failure and a pass that make {@link Monitor#PASS_ON_RETRY} active
 * @param rateActivate         contradicted-failure rate on protected branches that makes {@link Monitor#FAILURE_RATE} active
 * @param rateResolve          the rate below which it stops being active again (hysteresis; at most {@code rateActivate})
 * @param rateMinSample        protected-branch runs needed before the rate can activate
 * @param scoreActivate        confidence that makes {@link Monitor#PROBABILISTIC} active
 * @param scoreResolve         the confidence below which it stops being active again (at most {@code scoreActivate})
 * @param priorFlaky           the prior probability that a test is flaky at all
 * @param priorRate            the prior mean flake rate of a flaky test
 * @param priorWeight          how many runs the prior flake rate weighs as
 * @param noiseRate            how often a healthy test's protected-branch run fails for no reason of its own
 *                             (an infrastructure hiccup the upload flag missed)
 * @param brokenMinFailures    commits failing in a row, at the end of its protected-branch runs, that make a test
 *                             broken (retries of one commit count once); fewer failing commits that a pass ends are
 *                             evidence of flakiness instead
 * @param brokenSignificance   how unlikely the failing streak must be for a test already known to flake at its
 *                             estimated rate before it is called broken
 */
public record DetectionSettings(List<String> protectedBranches, Duration window, int maxExecutions, int retryMinCommits,
                                double rateActivate, double rateResolve, int rateMinSample, double scoreActivate,
                                double scoreResolve, double priorFlaky, double priorRate, double priorWeight, double noiseRate,
                                int brokenMinFailures, double brokenSignificance) {

    public static final DetectionSettings DEFAULTS = new DetectionSettings(List.of("main", "master", "trunk", "release/**", "release-*"),
        Duration.ofDays(30), 1000, 1, 0.05, 0.02, 20, 0.95, 0.5, 0.05, 0.05, 10, 0.001, 3, 0.001);

    /** @throws IllegalArgumentException naming the first value out of its range */
    public DetectionSettings {
        protectedBranches = List.copyOf(protectedBranches);
        Objects.requireNonNull(window, "window");
        for (String glob : protectedBranches) {
            if (glob.isBlank()) {
                throw new IllegalArgumentException("protected_branches must not hold an empty glob");
            }
        }
        require(!window.isNegative() && !window.isZero() && window.compareTo(Duration.ofDays(3650)) <= 0,
            "window_days must be between 1 and 3650: " + window.toDays());
        require(maxExecutions >= 10 && maxExecutions <= 100_000, "max_executions must be between 10 and 100000: " + maxExecutions);
        require(retryMinCommits >= 1, "retry_min_commits must be at least 1: " + retryMinCommits);
        require(rateActivate > 0 && rateActivate <= 1, "rate_activate must be above 0 and at most 1: " + rateActivate);
        require(rateResolve >= 0 && rateResolve <= rateActivate, "rate_resolve must be between 0 and rate_activate: " + rateResolve);
        require(rateMinSample >= 1, "rate_min_sample must be at least 1: " + rateMinSample);
        require(scoreActivate > 0 && scoreActivate < 1, "score_activate must be above 0 and below 1: " + scoreActivate);
        require(scoreResolve >= 0 && scoreResolve <= scoreActivate, "score_resolve must be between 0 and score_activate: " + scoreResolve);
        require(priorFlaky > 0 && priorFlaky < 1, "prior_flaky must be above 0 and below 1: " + priorFlaky);
        require(priorRate > 0 && priorRate < 1, "prior_rate must be above 0 and below 1: " + priorRate);
        require(priorWeight > 0 && priorWeight <= 10_000, "prior_weight must be above 0 and at most 10000: " + priorWeight);
        require(noiseRate > 0 && noiseRate < priorRate, "noise_rate must be above 0 and below prior_rate: " + noiseRate);
        require(brokenMinFailures >= 2 && brokenMinFailures <= 1000, "broken_min_failures must be between 2 and 1000: " + brokenMinFailures);
        require(brokenSignificance > 0 && brokenSignificance < 0.5,
            "broken_significance must be above 0 and below 0.5: " + brokenSignificance);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** True when {@code branch} matches one of the protected globs. */
    public boolean isProtected(String branch) {
        for (String glob : protectedBranches) {
            if (BranchGlob.matches(glob, branch)) {
                return true;
            }
        }
        return false;
    }
}
