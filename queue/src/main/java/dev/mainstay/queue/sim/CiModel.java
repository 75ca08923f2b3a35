package dev.mainstay.queue.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The model of CI, drawn from the scenario's seed: a run's duration is lognormal with the
 * scenario's median and 95th percentile; a candidate holding a truly-bad pull request always fails
 * (each bad pull request breaks a test of its own); any run may also fail by a flake, with the
 * flake rate, naming one test drawn from a pool of {@value #FLAKY_POOL} flaky tests, of which flaky-test detection
 * is taken to know the first {@value #KNOWN_FLAKY}. Each strategy gets its own generator from the same seed, so two
 * strategies' first runs draw the same durations.
 */
final class CiModel {

    /** Flaky tests in the repository. */
    static final int FLAKY_POOL = 16;
    /** Of those, the ones flaky-test detection has already found: three in four. */
    static final int KNOWN_FLAKY = 12;

    /** The z-score of the 95th percentile of a standard normal distribution. */
    private static final double Z95 = 1.6448536269514722;

    private final SplittableRandom random;
    private final double mu;
    private final double sigma;
    private final double flakeRate;

    /** One run's outcome as the executor will report it. */
    record Outcome(long millis, boolean passed, List<String> failingTests) {
    }

    CiModel(Scenario scenario, boolean neverFlakes) {
        // Another stream than the workload's, from the same seed.
        this.random = new SplittableRandom(scenario.seed() ^ 0x5DEECE66DL).split();
        this.mu = Math.log(scenario.ciMedianMinutes() * 60_000);
        this.sigma = Math.log(scenario.ciP95Minutes() / scenario.ciMedianMinutes()) / Z95;
        this.flakeRate = neverFlakes ? 0 : scenario.flakeRate();
    }

    /** The tests flaky-test detection knows to be flaky. */
    static Set<String> knownFlaky() {
        Set<String> known = new TreeSet<>();
        for (int i = 1; i <= KNOWN_FLAKY; i++) {
            known.add(flakyTest(i));
        }
        return known;
    }

    private static String flakyTest(int i) {
        return String.format("FlakyTest.case%02d", i);
    }

    /** The outcome of testing a candidate holding {@code prs}; every call draws the same number of values. */
    Outcome run(List<Workload.Arrival> prs) {
        long millis = Math.max(1_000, Math.round(Math.exp(mu + sigma * random.nextGaussian())));
        boolean flaked = random.nextDouble() < flakeRate;
        int flaky = 1 + random.nextInt(FLAKY_POOL);
        List<String> failing = new ArrayList<>();
        for (Workload.Arrival pr : prs) {
            if (pr.bad()) {
                failing.add(pr.brokenTest());
            }
        }
        if (flaked) {
            failing.add(flakyTest(flaky));
        }
        return new Outcome(millis, failing.isEmpty(), List.copyOf(failing));
    }
}
