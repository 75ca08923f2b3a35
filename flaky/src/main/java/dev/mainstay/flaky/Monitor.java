package dev.mainstay.flaky;

/** An independent source of evidence that a test is flaky. Its key is stored with each transition. */
public enum Monitor {
    /** A failure and a pass of the test on the same commit, across attempts and jobs: the strongest evidence. */
    PASS_ON_RETRY("pass_on_retry"),
    /** The rate of failures on protected branches that a later pass contradicts, with hysteresis and a minimum sample. */
    FAILURE_RATE("failure_rate"),
    /** The Bayesian probability that the test is flaky at all, from the same contradicted failures. */
    PROBABILISTIC("probabilistic");

    private final String key;

    Monitor(String key) {
        this.key = key;
    }

    public String key() {
        return key;
    }

    /**
     * The monitor named {@code key}.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static Monitor of(String key) {
        for (Monitor m : values()) {
            if (m.key.equals(key)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown monitor '" + key + "'");
    }
}
