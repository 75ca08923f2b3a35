package dev.mainstay.flaky;

/**
 * The Bayesian flakiness score. Two hypotheses about a test: healthy, where a run whose failure a
 * pass contradicts happens only as noise (rate {@code noiseRate}), and flaky, where it happens at
 * an unknown flake rate θ with a Beta prior (mean {@code priorRate}, weight {@code priorWeight}).
 * From {@code k} contradicted failures among {@code n} trials, the posterior probability of
 * "flaky" is the confidence, and the score is that times θ's posterior mean: the probability that
 * a run of the test fails because it is flaky. In the spirit of Meta's probabilistic flakiness
 * score; the trials come from same-commit disagreement and from flips on protected branches, as
 * in Apple's flip-rate ranking. {@code rateUpper} is θ's posterior mean plus two standard
 * deviations: a flake rate the test is unlikely to exceed, high while little is known about it.
 */
record FlakinessScore(double confidence, double score, double rate, double rateUpper) {

    static FlakinessScore of(int k, int n, DetectionSettings settings) {
        if (k < 0 || n < k) {
            throw new IllegalArgumentException("need 0 <= k <= n: k=" + k + ", n=" + n);
        }
        double a = settings.priorRate() * settings.priorWeight();
        double b = (1 - settings.priorRate()) * settings.priorWeight();
        double flaky = Math.log(settings.priorFlaky()) + logBeta(a + k, b + n - k) - logBeta(a, b);
        double healthy = Math.log1p(-settings.priorFlaky()) + k * Math.log(settings.noiseRate())
            + (n - k) * Math.log1p(-settings.noiseRate());
        double confidence = 1 / (1 + Math.exp(healthy - flaky));
        double alpha = a + k;
        double beta = b + n - k;
        double rate = alpha / (alpha + beta);
        double sd = Math.sqrt(alpha * beta / ((alpha + beta) * (alpha + beta) * (alpha + beta + 1)));
        return new FlakinessScore(confidence, confidence * rate, rate, Math.min(0.999, rate + 2 * sd));
    }

    static double logBeta(double x, double y) {
        return logGamma(x) + logGamma(y) - logGamma(x + y);
    }

    private static final double[] LANCZOS = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};

    /** ln Γ(x) for x > 0, by the Lanczos approximation (g = 7), good to about 15 digits. */
    static double logGamma(double x) {
        if (x < 0.5) {
            // Reflection: Γ(x) Γ(1 − x) = π / sin(πx).
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        }
        double z = x - 1;
        double sum = LANCZOS[0];
        double t = z + 7.5;
        for (int i = 1; i < LANCZOS.length; i++) {
            sum += LANCZOS[i] / (z + i);
        }
        return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
    }
}
