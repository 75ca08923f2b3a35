package dev.mainstay.platform.app;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One background thread that drains some work: every {@code pollSeconds}, soon after {@link #wake},
 * and at a time asked for with {@link #wakeIn}. Drains never overlap (one thread); wake-ups that come
 * while one is waiting are merged; a failed drain is logged and tried again at the next poll.
 */
public final class BackgroundWork {

    /** One drain of the work. */
    @FunctionalInterface
    public interface Drain {
        void run() throws SQLException;
    }

    private final String thread;
    private final int pollSeconds;
    private final Logger log;
    private final String what;
    private final Drain drain;
    private final AtomicBoolean woken = new AtomicBoolean();
    private ScheduledExecutorService scheduler;

    /**
     * @param thread      the thread's name
     * @param pollSeconds how often it drains unasked
     * @param log         where a failed drain is logged
     * @param what        what a drain does, for the log: "could not <what>; trying again in N s"
     */
    public BackgroundWork(String thread, int pollSeconds, Logger log, String what, Drain drain) {
        this.thread = thread;
        this.pollSeconds = pollSeconds;
        this.log = log;
        this.what = what;
        this.drain = drain;
    }

    /** Starts the thread; the first drain runs at once. */
    public synchronized void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, thread);
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::drainQuietly, 0, pollSeconds, TimeUnit.SECONDS);
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
        if (scheduler != null && millis < pollSeconds * 1000L) {
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
            log.log(Level.WARNING, "could not " + what + "; trying again in " + pollSeconds + " s", e);
        }
    }
}
