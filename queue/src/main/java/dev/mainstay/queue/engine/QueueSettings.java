package dev.mainstay.queue.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * How one queue works. {@link #DEFAULTS} are what a queue gets until someone changes them; the
 * simulator ({@code mainstay queue simulate}) compares settings on a model of a repository's CI
 * before they are turned on.
 *
 * @param concurrency         candidates tested at once: the CI capacity the queue may use
 * @param batchSize           pull requests tested together: a screening group, or (without screening) one step of the
 *                            speculative chain
 * @param batchMaxWait        how long a partly filled group or batch waits for more pull requests before it is tested anyway
 * @param bisect              a failed batch is split in halves until the failing pull request is found; without it
 *                            every pull request of a failed batch is dequeued
 * @param optimisticMerge     a passing candidate merges everything it contains, even while a candidate ahead of
 *                            it is still being tested
 * @param pendingFailureDepth how many candidates behind a failed one must fail too before its pull request is
 *                            dequeued: one of them passing proves the failure was not the pull request's
 * @param retries             automatic re-runs of a failed candidate before its failure counts
 * @param antiFlake           a failure whose failing tests are all known to be flaky is re-run without counting
 *                            against {@code retries} (at most {@value #FLAKY_RERUNS} times)
 * @param testTimeout         a candidate's test that has not finished after this long counts as failed
 * @param screening           a new pull request is first tested in a group alone on the target; only pull requests
 *                            that passed a test (and urgent ones) join the speculative chain, whose steps may then be
 *                            {@value #SCREENED_BATCH_FACTOR} times {@code batchSize}
 */
public record QueueSettings(int concurrency, int batchSize, Duration batchMaxWait, boolean bisect, boolean optimisticMerge,
                            int pendingFailureDepth, int retries, boolean antiFlake, Duration testTimeout,
                            boolean screening) {

    /** Re-runs of a failure of known-flaky tests only, per candidate. */
    public static final int FLAKY_RERUNS = 3;

    /** With screening, a chain step of screened pull requests holds up to this many times {@code batchSize}. */
    public static final int SCREENED_BATCH_FACTOR = 4;

    public static final QueueSettings DEFAULTS = new QueueSettings(8, 8, Duration.ofMinutes(10), true, true, 0, 1, true,
        Duration.ofMinutes(120), true);

    /** @throws IllegalArgumentException naming the first value out of range */
    public QueueSettings {
        Objects.requireNonNull(batchMaxWait, "batch_max_wait");
        Objects.requireNonNull(testTimeout, "test_timeout");
        require(concurrency >= 1 && concurrency <= 1000, "concurrency must be between 1 and 1000: " + concurrency);
        require(batchSize >= 1 && batchSize <= 100, "batch_size must be between 1 and 100: " + batchSize);
        require(!batchMaxWait.isNegative() && batchMaxWait.compareTo(Duration.ofDays(1)) <= 0,
            "batch_max_wait_minutes must be between 0 and 1440: " + batchMaxWait.toMinutes());
        require(pendingFailureDepth >= 0 && pendingFailureDepth <= 100, "pending_failure_depth must be between 0 and 100: "
            + pendingFailureDepth);
        require(retries >= 0 && retries <= 5, "retries must be between 0 and 5: " + retries);
        require(testTimeout.compareTo(Duration.ofMinutes(1)) >= 0 && testTimeout.compareTo(Duration.ofDays(2)) <= 0,
            "test_timeout_minutes must be between 1 and 2880: " + testTimeout.toMinutes());
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    /** These settings with another concurrency. */
    public QueueSettings withConcurrency(int slots) {
        return new QueueSettings(slots, batchSize, batchMaxWait, bisect, optimisticMerge, pendingFailureDepth, retries, antiFlake,
            testTimeout, screening);
    }
}
