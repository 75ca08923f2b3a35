package dev.mainstay.platform.jobs.work;

import java.time.Duration;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * A durable-work loop's settings.
 *
 * @param thread the name of its background thread
 * @param poll   how often it looks for work unasked, in case a wake-up was lost
 * @param batch  how many items one claim takes
 * @param retry  how a failed item is retried and when it is set aside; empty when a failure is not
 *               counted: the transaction rolls back and the item is tried again at the next drain
 */
public record WorkSettings(String thread, Duration poll, int batch, Optional<RetryPolicy> retry) {

    public WorkSettings {
        if (batch < 1) {
            throw new IllegalArgumentException("a batch holds at least one item, not " + batch);
        }
    }

    /** One item per claim, retried by {@code retry}. */
    public static WorkSettings of(String thread, Duration poll, RetryPolicy retry) {
        return new WorkSettings(thread, poll, 1, Optional.of(retry));
    }

    /** The loop's thread, draining with {@code drain}; a failed drain is logged on {@code log} as "could not {@code what}". */
    public BackgroundThread thread(Logger log, String what, BackgroundThread.Drain drain) {
        return new BackgroundThread(thread, poll, log, what, drain);
    }
}
