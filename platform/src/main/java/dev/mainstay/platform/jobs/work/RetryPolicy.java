package dev.mainstay.platform.jobs.work;

import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A loop's retry rules: an item is attempted at most {@code maxAttempts} times, waiting
 * {@code backoff} between attempts, then set aside with its last error.
 */
public record RetryPolicy(int maxAttempts, Backoff backoff) {

    /** The longest {@code last_error} stored; a longer error is cut. */
    public static final int MAX_ERROR = 500;

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("a retry policy needs at least one attempt, not " + maxAttempts);
        }
    }

    /**
     * What a failed attempt leaves: how many attempts the item has had, the error to store, when
     * to try again, and whether it is set aside (no attempt left).
     */
    public record Attempt(int number, String error, Instant next, boolean setAside) {
    }

    /** The {@code number}-th attempt (1 for the first) failed with {@code error} at {@code now}. */
    public Attempt failed(int number, String error, Instant now) {
        return failed(number, error, now, backoff.jitter() == 0 ? 0 : ThreadLocalRandom.current().nextDouble());
    }

    /** As {@link #failed(int, String, Instant)}, with the jitter's random draw given. */
    public Attempt failed(int number, String error, Instant now, double random) {
        return new Attempt(number, cut(error), now.plus(backoff.after(number, random)), number >= maxAttempts);
    }

    /** The {@code number}-th attempt failed with {@code e}: its class and message are the error. */
    public Attempt failed(int number, Throwable e, Instant now) {
        return failed(number, describe(e), now);
    }

    /** An exception as stored: its simple class name and message. */
    public static String describe(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /** {@code error} cut to {@link #MAX_ERROR} characters. */
    public static String cut(String error) {
        return error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) : error;
    }
}
