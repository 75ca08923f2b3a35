package dev.mainstay.platform.crypto;

import java.time.Duration;

/**
 * Monotonic milliseconds that one daemon thread advances every {@link #RESOLUTION}: what the
 * data-key cache measures ages with, so a cache hit reads a volatile field instead of the system
 * clock (the clock read was about a third of FieldCipher's own cost on a 64-byte value). A value
 * read from it is at most {@code RESOLUTION} behind, so a cached key lives at most that much
 * longer than its time to live. It counts elapsed time only (from {@link System#nanoTime}), never
 * the time of day.
 */
final class CoarseTicker {

    static final Duration RESOLUTION = Duration.ofMillis(250);

    private static volatile long millis = System.nanoTime() / 1_000_000;

    static {
        Thread.ofPlatform().daemon().name("mainstay-key-cache-ticker").start(() -> {
            while (true) {
                try {
                    Thread.sleep(RESOLUTION);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                millis = System.nanoTime() / 1_000_000;
            }
        });
    }

    private CoarseTicker() {
    }

    /** Elapsed milliseconds since an arbitrary origin, at most {@link #RESOLUTION} behind. */
    static long millis() {
        return millis;
    }
}
