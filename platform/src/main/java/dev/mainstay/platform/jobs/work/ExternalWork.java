package dev.mainstay.platform.jobs.work;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Durable work whose handling calls another system (a webhook receiver, the code host) and so
 * must not hold a transaction open while it waits: items are claimed in a short transaction of
 * their own ({@link Steps#claim}, which takes the loop's lease or runs under its lock), each is
 * handled with no transaction open, and its outcome is stored in another transaction
 * ({@link Steps#finish}). A handling that throws, or whose result the loop calls a failure,
 * counts an attempt by the loop's {@link RetryPolicy}: the item is tried again after the backoff,
 * or set aside with its error after the last attempt. A crash between handling and storing leaves
 * the item to be handled again: such a loop is at least once, and its handling idempotent.
 *
 * @param <T> a claimed item, with what handling it needs
 * @param <R> what handling an item gave
 */
public final class ExternalWork<T, R> {

    /** What a loop tells the mechanism about its table and its call. */
    public interface Steps<T, R> {

        /** Claims up to {@code batch} due items on {@code c}, in a transaction that commits before they are handled. */
        List<T> claim(Connection c, Instant now, int batch) throws SQLException;

        /** The number of the attempt about to be made at {@code item}: 1 for the first. */
        int attempt(T item);

        /** Handles {@code item}, with no transaction open. */
        R handle(T item) throws Exception;

        /** Why {@code result} is a failed attempt; null when it succeeded. */
        default String failure(R result) {
            return null;
        }

        /**
         * Stores the outcome of an attempt at {@code item} on {@code c}, in a transaction of its own.
         *
         * @param result what handling gave; null when it threw
         * @param failed the failed attempt: its count, cut error and next attempt, or that it is set
         *               aside; null when the attempt succeeded
         */
        void finish(Connection c, T item, R result, RetryPolicy.Attempt failed, Instant now) throws SQLException;

        /** Runs once the outcome of an attempt at {@code item} committed: wake-ups of the loops it fed. */
        default void committed(T item, R result) {
        }

        /** {@code item} for the log. */
        String describe(T item);
    }

    private final DataSource dataSource;
    private final Clock clock;
    private final WorkSettings settings;
    private final RetryPolicy retry;
    private final Steps<T, R> steps;
    private final Logger log;

    /** @throws IllegalArgumentException when {@code settings} have no retry policy: a failed call is always counted */
    public ExternalWork(DataSource dataSource, Clock clock, WorkSettings settings, Steps<T, R> steps, Logger log) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.settings = settings;
        this.retry = settings.retry().orElseThrow(() -> new IllegalArgumentException(settings.thread() + " needs a retry policy"));
        this.steps = steps;
        this.log = log;
    }

    /**
     * Claims and handles items until none is due that another worker does not hold.
     *
     * @return how many items were finished: done, or set aside
     */
    public int drain() throws SQLException {
        int finished = 0;
        while (!Thread.currentThread().isInterrupted()) {
            List<T> batch = claim();
            if (batch.isEmpty()) {
                break;
            }
            for (T item : batch) {
                if (attempt(item)) {
                    finished++;
                }
            }
        }
        return finished;
    }

    private List<T> claim() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<T> batch = steps.claim(c, clock.instant(), settings.batch());
                c.commit();
                return batch;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Makes one attempt at {@code item} and stores its outcome; true when that finished it (done or set aside). */
    private boolean attempt(T item) throws SQLException {
        R result = null;
        Exception thrown = null;
        String failure;
        try {
            result = steps.handle(item);
            failure = steps.failure(result);
        } catch (Exception e) {
            thrown = e;
            failure = RetryPolicy.describe(e);
        }
        RetryPolicy.Attempt failed = failure == null ? null : retry.failed(steps.attempt(item), failure, clock.instant());
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                steps.finish(c, item, result, failed, clock.instant());
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                if (thrown != null) {
                    e.addSuppressed(thrown);
                }
                throw e;
            }
        }
        steps.committed(item, result);
        if (failed != null) {
            Level level = failed.setAside() ? Level.WARNING : Level.FINE;
            String what = steps.describe(item) + (failed.setAside() ? " set aside after " + failed.number() + " attempts"
                : " failed (attempt " + failed.number() + ")");
            if (thrown != null) {
                log.log(level, what, thrown);
            } else {
                log.log(level, what + ": " + failed.error());
            }
        }
        return failed == null || failed.setAside();
    }
}
