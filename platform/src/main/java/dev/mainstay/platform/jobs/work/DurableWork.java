package dev.mainstay.platform.jobs.work;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Claims items of durable work one transaction at a time and handles each in its claim's
 * transaction: the claim locks the item ({@code FOR UPDATE SKIP LOCKED}, so two workers never
 * hold one), {@link Steps#handle} does the work and marks it done, and the commit makes both
 * stick together. A handling that fails with anything but an {@link SQLException} rolls back,
 * then, in a transaction of its own, counts the attempt by the loop's {@link RetryPolicy}: the
 * item is tried again after the backoff, or set aside with its error after the last attempt. An
 * {@link SQLException} (the database itself failing) rolls back and ends the drain uncounted:
 * the item is tried again at the next one.
 *
 * <p>What a loop claims, and in what order, is its own: one item at a time per queue or per
 * repository is a claim that locks the queue's row with the item. A loop whose handling must not
 * hold a transaction open (a call to another system) uses {@link RetryPolicy} for its bookkeeping
 * around its own lease instead.
 *
 * @param <T> a claimed item, with what handling it needs
 */
public final class DurableWork<T> {

    /** What a loop tells the mechanism about its table. */
    public interface Steps<T> {

        /** Claims the next due item on {@code c}, in its transaction, locked {@code FOR UPDATE SKIP LOCKED}; null when none is due. */
        T claim(Connection c, Instant now) throws SQLException;

        /** Does the work of {@code item} on {@code c}, in the claim's transaction, and marks it done. */
        void handle(Connection c, T item, Instant now) throws Exception;

        /** The attempts {@code item} had before this one. */
        default int attempts(T item) {
            return 0;
        }

        /** Whether a failure of {@code item} is counted; one that is not is thrown out of the drain. */
        default boolean counted(T item) {
            return true;
        }

        /**
         * Locks {@code item} again on {@code c}, in a new transaction after the failed one rolled
         * back; false when another worker took it meanwhile, and the failure is then not stored.
         */
        default boolean relock(Connection c, T item) throws SQLException {
            return true;
        }

        /** Stores a failed attempt at {@code item}, made at {@code now}: its count, error and next attempt, or that it is set aside. */
        default void failed(Connection c, T item, RetryPolicy.Attempt attempt, Exception e, Instant now) throws SQLException {
            throw new IllegalStateException("a loop with a retry policy stores its failed attempts");
        }

        /** Runs once {@code item}'s transaction committed: wake-ups of the loops it fed, answers owed. */
        default void committed(T item) {
        }

        /** {@code item} for the log. */
        String describe(T item);
    }

    private final DataSource dataSource;
    private final Clock clock;
    private final WorkSettings settings;
    private final Steps<T> steps;
    private final Logger log;

    public DurableWork(DataSource dataSource, Clock clock, WorkSettings settings, Steps<T> steps, Logger log) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.settings = settings;
        this.steps = steps;
        this.log = log;
    }

    public WorkSettings settings() {
        return settings;
    }

    /**
     * Takes turns until no item is due that another worker does not hold.
     *
     * @return how many items were handled or tried
     */
    public int drain() throws SQLException {
        int turns = 0;
        while (!Thread.currentThread().isInterrupted() && turn(clock.instant())) {
            turns++;
        }
        return turns;
    }

    /**
     * Claims one item and handles it, or counts its failed attempt.
     *
     * @return false when no item was due that another worker did not hold
     */
    public boolean turn(Instant now) throws SQLException {
        T item = null;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                item = steps.claim(c, now);
                if (item == null) {
                    c.commit();
                    return false;
                }
                steps.handle(c, item, now);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } catch (Exception e) {
                c.rollback();
                if (item == null || settings.retry().isEmpty() || !steps.counted(item)) {
                    throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
                }
                failed(c, item, e, now);
                return true;
            }
        }
        steps.committed(item);
        return true;
    }

    private void failed(Connection c, T item, Exception e, Instant now) throws SQLException {
        RetryPolicy.Attempt attempt = settings.retry().orElseThrow().failed(steps.attempts(item) + 1, e, now);
        try {
            if (!steps.relock(c, item)) {
                c.commit();
                return;
            }
            steps.failed(c, item, attempt, e, now);
            c.commit();
        } catch (SQLException | RuntimeException again) {
            c.rollback();
            again.addSuppressed(e);
            throw again;
        }
        if (attempt.setAside()) {
            log.log(Level.WARNING, steps.describe(item) + " set aside after " + attempt.number() + " attempts", e);
        } else {
            log.log(Level.FINE, steps.describe(item) + " failed (attempt " + attempt.number() + ")", e);
        }
    }
}
