package dev.mainstay.platform.jobs.work;

import java.time.Duration;

/**
 * How long a failed item waits before its next attempt: {@code first} after the first failed
 * attempt, each later wait {@code factor} times the one before, at most {@code cap}, spread by
 * &plusmn;{@code jitter} (0 to 1: 0.2 spreads a wait over 80 % to 120 %) so that items failing together
 * are not all tried again at once.
 */
public record Backoff(Duration first, double factor, Duration cap, double jitter) {

    /** No wait: a failed item may be tried again at once. */
    public static final Backoff NONE = new Backoff(Duration.ZERO, 1, Duration.ZERO, 0);

    public Backoff {
        if (first.isNegative() || cap.compareTo(first) < 0 || factor < 1 || jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("a backoff needs 0 <= first <= cap, factor >= 1 and 0 <= jitter < 1, not " + first + ", "
                + factor + ", " + cap + ", " + jitter);
        }
    }

    /** Doubling from {@code first} up to {@code cap}, without jitter. */
    public static Backoff doubling(Duration first, Duration cap) {
        return new Backoff(first, 2, cap, 0);
    }

    /**
     * The wait after the {@code attempts}-th failed attempt.
     *
     * @param random uniform in [0, 1), where the jitter falls; unused without jitter
     */
    public Duration after(int attempts, double random) {
        double base = first.toMillis() * Math.pow(factor, Math.max(0, attempts - 1));
        double capped = Math.min(base, cap.toMillis());
        return Duration.ofMillis(Math.round(capped * (1 - jitter + 2 * jitter * random)));
    }
}
