package dev.mainstay.platform.jobs.work;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One named daemon thread that drains some work: every {@code poll}, soon after {@link #wake},
 * and at a time asked for with {@link #wakeIn}. Drains never overlap (one thread); wake-ups that
 * come while one is waiting are merged; a failed drain is logged and tried again at the next poll.
 */
public final class BackgroundThread {

    /** One drain of the work. */
    @FunctionalInterface
    public interface Drain {
        void run() throws SQLException;
    }

    private final String thread;
    private final Duration poll;
    private final Duration firstAfter;
    private final Logger log;
    private final String what;
    private final Drain drain;
    private final AtomicBoolean woken = new AtomicBoolean();
    private ScheduledExecutorService scheduler;

    /**
     * A thread whose first drain runs at once.
     *
     * @param thread the thread's name
     * @param poll   how often it drains unasked
     * @param log    where a failed drain is logged
     * @param what   what a drain does, for the log: "could not &lt;what&gt;; trying again in N s"
     */
    public BackgroundThread(String thread, Duration poll, Logger log, String what, Drain drain) {
        this(thread, poll, Duration.ZERO, log, what, drain);
    }

    /** A thread whose first drain runs {@code firstAfter} after {@link #start}. */
    public BackgroundThread(String thread, Duration poll, Duration firstAfter, Logger log, String what, Drain drain) {
        if (poll.isNegative() || poll.isZero()) {
            throw new IllegalArgumentException("a background thread's poll must be positive, not " + poll);
        }
        this.thread = thread;
        this.poll = poll;
        this.firstAfter = firstAfter;
        this.log = log;
        this.what = what;
        this.drain = drain;
    }

    /** A single-thread scheduler whose thread is called {@code name} and does not keep the JVM alive. */
    private static ScheduledExecutorService scheduler(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the thread. */
    public synchronized void start() {
        scheduler = scheduler(thread);
        scheduler.scheduleWithFixedDelay(this::drainQuietly, firstAfter.toMillis(), poll.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Asks for a drain soon; nothing before {@link #start}. */
    public synchronized void wake() {
        if (scheduler != null && woken.compareAndSet(false, true)) {
            scheduler.execute(() -> {
                woken.set(false);
                drainQuietly();
            });
        }
    }

    /** Asks for a drain after {@code delay}, when that comes before the next poll. */
    public synchronized void wakeIn(Duration delay) {
        long millis = Math.max(0, delay.toMillis());
        if (scheduler != null && millis < poll.toMillis()) {
            scheduler.schedule(this::wake, millis, TimeUnit.MILLISECONDS);
        }
    }

    /** Stops the thread, interrupting a drain under way. */
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    private void drainQuietly() {
        try {
            drain.run();
        } catch (SQLException | RuntimeException e) {
            log.log(Level.WARNING, "could not " + what + "; trying again in " + poll.toSeconds() + " s", e);
        }
    }
}
