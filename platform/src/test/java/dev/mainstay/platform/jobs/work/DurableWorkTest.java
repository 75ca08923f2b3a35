package dev.mainstay.platform.jobs.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.testkit.MainstayDatabase;
import dev.mainstay.testkit.MutableClock;
import dev.mainstay.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The durable-work mechanism on a real database, with a table of its own shaped like the loops'
 * (attempts, last error, next attempt, set aside): what it handles is done, a failure waits its
 * backoff and is set aside with its reason after the last attempt, and two workers never hold one
 * item.
 */
@MainstayDatabase
class DurableWorkTest {

    private static final Instant T0 = Instant.parse("2026-12-07T09:00:00Z");
    private static final RetryPolicy RETRY = new RetryPolicy(3, Backoff.doubling(Duration.ofSeconds(2), Duration.ofSeconds(5)));
    private static final Logger LOG = Logger.getLogger(DurableWorkTest.class.getName());

    private PGSimpleDataSource dataSource;
    private final MutableClock clock = new MutableClock(T0);

    /** An item: its id, payload and the attempts it had. */
    record Item(long id, String payload, int attempts) {
    }

    /** A handler that fails on payloads starting with "fail", with a long message. */
    private static void work(Connection c, Item item, Instant now) throws SQLException {
        if (item.payload().startsWith("fail")) {
            throw new IllegalArgumentException(item.payload() + " " + "x".repeat(600));
        }
        try (PreparedStatement s = c.prepareStatement("UPDATE work_item SET done_at = ?, attempts = attempts + 1 WHERE id = ?")) {
            s.setTimestamp(1, Timestamp.from(now));
            s.setLong(2, item.id());
            s.executeUpdate();
        }
    }

    /** The steps of the test table, handling with {@code handler}. */
    private DurableWork<Item> work(Handler handler) {
        return new DurableWork<>(dataSource, clock, WorkSettings.of("test-work", Duration.ofSeconds(5), RETRY), new DurableWork.Steps<>() {
            @Override
            public Item claim(Connection c, Instant now) throws SQLException {
                try (PreparedStatement s = c.prepareStatement("SELECT id, payload, attempts FROM work_item WHERE done_at IS NULL"
                    + " AND failed_at IS NULL AND next_attempt_at <= ? ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED")) {
                    s.setTimestamp(1, Timestamp.from(now));
                    try (ResultSet rs = s.executeQuery()) {
                        return rs.next() ? new Item(rs.getLong(1), rs.getString(2), rs.getInt(3)) : null;
                    }
                }
            }

            @Override
            public void handle(Connection c, Item item, Instant now) throws Exception {
                handler.handle(c, item, now);
            }

            @Override
            public int attempts(Item item) {
                return item.attempts();
            }

            @Override
            public void failed(Connection c, Item item, RetryPolicy.Attempt attempt, Exception e, Instant now) throws SQLException {
                try (PreparedStatement s = c.prepareStatement("UPDATE work_item SET attempts = ?, last_error = ?, next_attempt_at = ?,"
                    + " failed_at = ? WHERE id = ?")) {
                    s.setInt(1, attempt.number());
                    s.setString(2, attempt.error());
                    s.setTimestamp(3, Timestamp.from(attempt.next()));
                    s.setTimestamp(4, attempt.setAside() ? Timestamp.from(now) : null);
                    s.setLong(5, item.id());
                    s.executeUpdate();
                }
            }

            @Override
            public String describe(Item item) {
                return "test item " + item.id();
            }
        }, LOG);
    }

    @FunctionalInterface
    interface Handler {
        void handle(Connection c, Item item, Instant now) throws Exception;
    }

    @BeforeEach
    void setUp(TestDatabase shared) throws SQLException {
        TestDatabase db = shared.fresh();
        dataSource = new PGSimpleDataSource();
        dataSource.setURL(db.jdbcUrl());
        dataSource.setUser(db.user());
        dataSource.setPassword(db.password());
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE work_item (id bigint PRIMARY KEY, payload text NOT NULL, attempts int NOT NULL DEFAULT 0,"
                + " last_error text NOT NULL DEFAULT '', next_attempt_at timestamptz NOT NULL, done_at timestamptz, failed_at timestamptz)");
        }
    }

    private void add(long id, String payload) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("INSERT INTO work_item (id, payload, next_attempt_at) VALUES (?, ?, ?)")) {
            s.setLong(1, id);
            s.setString(2, payload);
            s.setTimestamp(3, Timestamp.from(clock.instant()));
            s.executeUpdate();
        }
    }

    /** The row of item {@code id}: attempts, last error, next attempt, done, set aside. */
    private record Row(int attempts, String lastError, Instant next, Instant done, Instant failed) {
    }

    private Row row(long id) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT attempts, last_error, next_attempt_at, done_at, failed_at FROM work_item"
                 + " WHERE id = ?")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next());
                return new Row(rs.getInt(1), rs.getString(2), instant(rs.getTimestamp(3)), instant(rs.getTimestamp(4)),
                    instant(rs.getTimestamp(5)));
            }
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    @Test
    void aHandledItemIsDoneAndNotHandledAgain() throws SQLException {
        add(1, "ok");
        add(2, "ok too");
        DurableWork<Item> work = work(DurableWorkTest::work);

        assertEquals(2, work.drain(), "both items, one turn each");
        assertEquals(T0, row(1).done());
        assertEquals(1, row(1).attempts());
        assertEquals(T0, row(2).done());
        assertEquals(0, work.drain(), "nothing is handled twice");
    }

    @Test
    void aFailingItemWaitsItsBackoffThenIsSetAsideWithItsReason() throws SQLException {
        add(1, "fail: the code host said no");
        DurableWork<Item> work = work(DurableWorkTest::work);

        assertEquals(1, work.drain(), "tried once, then not due until its backoff is over");
        Row first = row(1);
        assertEquals(1, first.attempts());
        assertEquals(T0.plusSeconds(2), first.next(), "the first wait is the backoff's first");
        assertEquals(RetryPolicy.MAX_ERROR, first.lastError().length(), "the error is cut");
        assertTrue(first.lastError().startsWith("IllegalArgumentException: fail: the code host said no"), first.lastError());
        assertNull(first.failed());

        clock.advance(Duration.ofSeconds(1));
        assertEquals(0, work.drain(), "not due before its backoff is over");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(1, work.drain());
        assertEquals(2, row(1).attempts());
        assertEquals(T0.plusSeconds(2 + 4), row(1).next(), "each wait doubles");

        clock.advance(Duration.ofSeconds(4));
        assertEquals(1, work.drain());
        Row last = row(1);
        assertEquals(3, last.attempts());
        assertEquals(T0.plusSeconds(6), last.failed(), "set aside after the policy's last attempt");
        assertTrue(last.lastError().contains("the code host said no"), "with its reason");
        assertNull(last.done());

        clock.advance(Duration.ofHours(1));
        assertEquals(0, work.drain(), "a set-aside item is not tried again");
    }

    @Test
    void aFailingItemDoesNotHoldUpTheOthers() throws SQLException {
        add(1, "fail");
        add(2, "ok");
        assertEquals(2, work(DurableWorkTest::work).drain());
        assertEquals(1, row(1).attempts());
        assertNull(row(1).done());
        assertEquals(T0, row(2).done());
    }

    @Test
    void theDatabaseFailingIsNotCountedAsAnAttempt() throws SQLException {
        add(1, "ok");
        DurableWork<Item> broken = work((c, item, now) -> {
            throw new SQLException("the connection broke");
        });
        assertEquals("the connection broke", assertThrows(SQLException.class, broken::drain).getMessage());
        assertEquals(0, row(1).attempts(), "rolled back and not counted: it is tried again at the next drain");
        assertEquals(1, work(DurableWorkTest::work).drain());
        assertEquals(T0, row(1).done());
    }

    @Test
    void twoWorkersNeverClaimTheSameItem() throws Exception {
        add(1, "first");
        add(2, "second");
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        DurableWork<Item> slow = work((c, item, now) -> {
            holding.countDown();
            assertTrue(release.await(30, TimeUnit.SECONDS));
            work(c, item, now);
        });
        CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(() -> {
            try {
                return slow.turn(clock.instant());
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(holding.await(30, TimeUnit.SECONDS), "the first worker holds item 1");

        List<Long> seen = new ArrayList<>();
        DurableWork<Item> other = work((c, item, now) -> {
            seen.add(item.id());
            work(c, item, now);
        });
        assertTrue(other.turn(clock.instant()), "the second worker takes the item the first does not hold");
        assertFalse(other.turn(clock.instant()), "and leaves the held one alone");
        assertEquals(List.of(2L), seen);

        release.countDown();
        assertTrue(first.get(30, TimeUnit.SECONDS));
        assertEquals(1, row(1).attempts(), "each item handled once");
        assertEquals(1, row(2).attempts());
        assertEquals(0, other.drain());
    }

    @Test
    void theLoopsBackoffsAreTheirRetryRules() {
        Backoff intake = Backoff.doubling(Duration.ofSeconds(2), Duration.ofMinutes(10));
        assertEquals(Duration.ofSeconds(2), intake.after(1, 0));
        assertEquals(Duration.ofSeconds(512), intake.after(9, 0));
        assertEquals(Duration.ofMinutes(10), intake.after(20, 0), "capped, and no overflow however many attempts");
        Backoff jittered = new Backoff(Duration.ofSeconds(10), 4, Duration.ofMinutes(10), 0.2);
        assertEquals(Duration.ofSeconds(8), jittered.after(1, 0), "80 % at the low end of the jitter");
        assertEquals(Duration.ofSeconds(48), jittered.after(2, 1), "120 % at the top");
        assertEquals(Duration.ZERO, Backoff.NONE.after(3, 0.5));
        RetryPolicy.Attempt last = new RetryPolicy(2, Backoff.NONE).failed(2, "x".repeat(700), T0);
        assertTrue(last.setAside());
        assertEquals(RetryPolicy.MAX_ERROR, last.error().length());
    }
}
