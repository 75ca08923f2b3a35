package dev.mainstay.platform.flaky;

import dev.mainstay.platform.flaky.FlakyDashboard.Counts;
import dev.mainstay.platform.flaky.FlakyDashboard.Day;
import dev.mainstay.platform.flaky.FlakyDashboard.Filter;
import dev.mainstay.platform.flaky.FlakyDashboard.TestPage;
import dev.mainstay.platform.flaky.FlakyDashboard.TestRow;
import dev.mainstay.platform.flaky.FlakyDashboard.Transition;
import dev.mainstay.platform.ingest.StoredExecutions;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The SQL of the flaky-test pages, on a connection whose transaction the caller owns: the pages
 * run it through {@link FlakyDashboard} in a container transaction, the dashboard benchmark on its
 * own connection. Nothing here decrypts or audits: executions come back with their failure text
 * still sealed, and the bean decides what a viewer sees.
 */
public final class DashboardQueries {

    private static final String ROW = "t.test_id, t.repo, t.file, t.classname, t.name, t.variant, t.status, t.score, t.confidence,"
        + " t.monitors, t.last_seen, EXISTS (SELECT 1 FROM flaky_quarantine q WHERE q.org = t.org AND q.test_id = t.test_id"
        + " AND (q.expires_at IS NULL OR q.expires_at > ?))";

    private DashboardQueries() {
    }

    /**
     * One execution of a test as stored, its failure text still sealed.
     *
     * @param ref        the row id, {@code <upload id>/<seq>}, which the sealed values are bound to
     * @param attempt    the try within its report: 2 and up are the test runner's retries
     * @param runAttempt the attempt of the CI run that uploaded it (2 and up are re-runs of the job); 0 when the CI did not say
     * @param message    the sealed message; null when the report had none
     * @param stackTrace the sealed stack trace; null when the report had none
     */
    public record Execution(String ref, Instant at, String commit, String branch, String job, String jobUrl, int attempt, int runAttempt,
                            String status, long durationMicros, byte[] message, byte[] stackTrace) {
    }

    /** The org's counts, of one repository or all. */
    public static Counts counts(Connection c, String org, Optional<String> repo, Instant now) throws SQLException {
        Map<String, Long> byStatus = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT status, count(*) FROM flaky_test WHERE org = ?"
            + " AND (CAST(? AS text) IS NULL OR repo = ?) GROUP BY status")) {
            s.setString(1, org);
            s.setString(2, repo.orElse(null));
            s.setString(3, repo.orElse(null));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    byStatus.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        long quarantined;
        try (PreparedStatement s = c.prepareStatement("SELECT count(*) FROM flaky_quarantine WHERE org = ?"
            + " AND (CAST(? AS text) IS NULL OR repo = ?) AND (expires_at IS NULL OR expires_at > ?)")) {
            s.setString(1, org);
            s.setString(2, repo.orElse(null));
            s.setString(3, repo.orElse(null));
            s.setTimestamp(4, Timestamp.from(now));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                quarantined = rs.getLong(1);
            }
        }
        return new Counts(byStatus.getOrDefault("healthy", 0L), byStatus.getOrDefault("flaky", 0L), byStatus.getOrDefault("broken", 0L),
            quarantined);
    }

    /**
     * Failed executions per UTC day of the last {@code days} days up to {@code now} (every day present, zero when none), those of
     * uploads flagged as infrastructure failures apart.
     */
    public static List<Day> trend(Connection c, String org, Optional<String> repo, Instant now, int days) throws SQLException {
        LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
        LocalDate first = today.minusDays(days - 1);
        Map<LocalDate, long[]> byDay = new LinkedHashMap<>();
        for (LocalDate d = first; !d.isAfter(today); d = d.plusDays(1)) {
            byDay.put(d, new long[4]);
        }
        // Only the tests detection calls flaky or broken are told apart: a failure of any other test, known or not, counts as other.
        // Failures in uploads flagged as infrastructure failures are counted apart, whatever their test.
        Map<String, String> groups = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT test_id, status FROM flaky_test WHERE org = ? AND status <> 'healthy'")) {
            s.setString(1, org);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    groups.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        for (StoredExecutions.DayFailures f : StoredExecutions.failuresPerDay(c, org, repo, first, groups)) {
            long[] counts = byDay.get(f.day());
            if (counts != null) {
                counts[f.infrastructure() ? 3 : switch (f.group()) {
                    case "flaky" -> 0;
                    case "broken" -> 1;
                    default -> 2;
                }] += f.count();
            }
        }
        return byDay.entrySet().stream().map(e -> new Day(e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2],
            e.getValue()[3])).toList();
    }

    /**
     * The {@code limit} tests whose failures cost the most in the last {@code days} days up to {@code now}: failures
     * times the CI time they took, with the pull requests they hit.
     *
     * <p>Aggregating every failure of the window takes seconds when tens of thousands of tests each failed a few times,
     * so the window is counted for candidates only: the tests whose {@code flaky_failure_total} (every failure ever
     * stored, never less than the window's) bounds their cost highest. When the last test shown costs more than the
     * bound of every test left out, no test left out can rank above it, and the answer is the one a count of every
     * failure gives; otherwise the candidates are widened and counted again, at worst to every test that ever failed.
     */
    public static List<TestRow> impact(Connection c, String org, Optional<String> repo, Instant now, int days, int limit) throws SQLException {
        LocalDate first = now.atZone(ZoneOffset.UTC).toLocalDate().minusDays(days - 1);
        for (int candidates = Math.max(4 * limit, 40); ; candidates *= 4) {
            List<String> ids = new ArrayList<>();
            double leftOut = 0;
            try (PreparedStatement s = c.prepareStatement("SELECT test_id, GREATEST(micros, failures * 1000) FROM flaky_failure_total"
                + " WHERE org = ?" + (repo.isPresent() ? " AND repo = ?" : "") + " ORDER BY GREATEST(micros, failures * 1000) DESC LIMIT ?")) {
                int i = 0;
                s.setString(++i, org);
                if (repo.isPresent()) {
                    s.setString(++i, repo.get());
                }
                s.setInt(++i, candidates + 1);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        if (ids.size() == candidates) {
                            leftOut = rs.getLong(2) / 1e6;
                        } else {
                            ids.add(rs.getString(1));
                        }
                    }
                }
            }
            List<TestRow> rows = impactOf(c, org, ids, first, now, limit);
            boolean everyTest = ids.size() < candidates;
            // A margin for the rounding of failures * (seconds / failures) in the ranking.
            if (everyTest || rows.size() == limit && cost(rows.getLast()) > leftOut * (1 + 1e-9) + 1e-9) {
                return rows;
            }
        }
    }

    /** The ranking's cost of a test in seconds, as the impact query orders by it. */
    private static double cost(TestRow row) {
        return row.failures() * Math.max(row.failedSeconds() / row.failures(), 0.001);
    }

    /** The impact table over the failures of {@code ids} only. */
    private static List<TestRow> impactOf(Connection c, String org, List<String> ids, LocalDate first, Instant now, int limit)
        throws SQLException {
        List<StoredExecutions.TestFailures> failures = StoredExecutions.failuresOf(c, org, ids, first);
        try (PreparedStatement s = c.prepareStatement("WITH f AS (SELECT test_id, failures, micros / 1e6 AS seconds, prs"
            + " FROM unnest(?::text[], ?::bigint[], ?::bigint[], ?::bigint[]) AS f(test_id, failures, micros, prs))"
            + " SELECT " + ROW + ", f.failures, f.seconds, f.prs FROM f JOIN flaky_test t ON t.org = ? AND t.test_id = f.test_id"
            + " ORDER BY f.failures * GREATEST(f.seconds / f.failures, 0.001) DESC, f.failures DESC, t.test_id LIMIT ?")) {
            s.setArray(1, c.createArrayOf("text", failures.stream().map(StoredExecutions.TestFailures::testId).toArray(String[]::new)));
            s.setArray(2, c.createArrayOf("bigint", failures.stream().map(StoredExecutions.TestFailures::failures).toArray(Long[]::new)));
            s.setArray(3, c.createArrayOf("bigint", failures.stream().map(StoredExecutions.TestFailures::micros).toArray(Long[]::new)));
            s.setArray(4, c.createArrayOf("bigint", failures.stream().map(StoredExecutions.TestFailures::pullRequests).toArray(Long[]::new)));
            s.setTimestamp(5, Timestamp.from(now));
            s.setString(6, org);
            s.setInt(7, limit);
            return rows(s);
        }
    }

    /**
     * One page (from 1) of {@code pageSize} of the org's tests, narrowed by {@code filter}. The SQL holds only the conditions the
     * filter sets, so each combination gets a plan of its own that can use the indexes of version 14 (a condition like
     * {@code (? IS NULL OR repo = ?)} cannot, once the driver prepares the statement). The page's tests are chosen first,
     * from their ids alone (an index-only scan when only the org is set), and only those 50 are then read in full and
     * looked up in the quarantines.
     */
    public static TestPage tests(Connection c, String org, Filter filter, int page, int pageSize, Instant now) throws SQLException {
        String where = " FROM flaky_test t WHERE t.org = ?" + (filter.repo().isPresent() ? " AND t.repo = ?" : "")
            + (filter.status().isPresent() ? " AND t.status = ?" : "")
            + (filter.search().isPresent() ? " AND lower(t.classname || ' ' || t.name || ' ' || t.file) LIKE ?" : "")
            + (filter.quarantinedOnly() ? " AND EXISTS (SELECT 1 FROM flaky_quarantine q WHERE q.org = t.org AND q.test_id = t.test_id"
                + " AND (q.expires_at IS NULL OR q.expires_at > ?))" : "");
        long total;
        try (PreparedStatement s = c.prepareStatement("SELECT count(*)" + where)) {
            bindFilter(s, 0, org, filter, now);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                total = rs.getLong(1);
            }
        }
        int pages = (int) Math.max(1, (total + pageSize - 1) / pageSize);
        int shown = Math.min(Math.max(1, page), pages);
        String order = switch (filter.sort()) {
            case "last_seen" -> " ORDER BY t.last_seen DESC, t.test_id";
            case "name" -> " ORDER BY t.classname, t.name, t.test_id";
            default -> " ORDER BY t.score DESC, t.last_seen DESC, t.test_id";
        };
        try (PreparedStatement s = c.prepareStatement("SELECT " + ROW + ", 0, 0, 0 FROM flaky_test t JOIN (SELECT t.test_id" + where + order
            + " LIMIT ? OFFSET ?) p ON p.test_id = t.test_id WHERE t.org = ?" + order)) {
            s.setTimestamp(1, Timestamp.from(now));
            int i = bindFilter(s, 1, org, filter, now);
            s.setInt(++i, pageSize);
            s.setLong(++i, (long) (shown - 1) * pageSize);
            s.setString(++i, org);
            return new TestPage(rows(s), total, shown, pages);
        }
    }

    /** Binds the conditions {@link #tests} wrote for {@code filter}, after parameter {@code from}; returns the last one bound. */
    private static int bindFilter(PreparedStatement s, int from, String org, Filter filter, Instant now) throws SQLException {
        int i = from;
        s.setString(++i, org);
        if (filter.repo().isPresent()) {
            s.setString(++i, filter.repo().get());
        }
        if (filter.status().isPresent()) {
            s.setString(++i, filter.status().get());
        }
        if (filter.search().isPresent()) {
            s.setString(++i, "%" + likeEscaped(filter.search().get().toLowerCase(Locale.ROOT)) + "%");
        }
        if (filter.quarantinedOnly()) {
            s.setTimestamp(++i, Timestamp.from(now));
        }
        return i;
    }

    /** {@code text} matched literally by LIKE (whose escape character is the backslash): {@code \}, {@code %} and {@code _} escaped. */
    static String likeEscaped(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** Test {@code testId}'s row, if detection knows it; no failures or pull requests counted. */
    public static Optional<TestRow> test(Connection c, String org, String testId, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + ROW + ", 0, 0, 0 FROM flaky_test t WHERE t.org = ? AND t.test_id = ?")) {
            s.setTimestamp(1, Timestamp.from(now));
            s.setString(2, org);
            s.setString(3, testId);
            return rows(s).stream().findFirst();
        }
    }

    /** Test {@code testId}'s newest {@code limit} changes of verdict, newest first. */
    public static List<Transition> transitions(Connection c, String org, String testId, int limit) throws SQLException {
        List<Transition> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT at, from_status, to_status, monitors, cardinality(evidence) FROM flaky_transition"
            + " WHERE org = ? AND test_id = ? ORDER BY at DESC, id DESC LIMIT ?")) {
            s.setString(1, org);
            s.setString(2, testId);
            s.setInt(3, limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new Transition(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3),
                        List.of((String[]) rs.getArray(4).getArray()), rs.getInt(5)));
                }
            }
        }
        return out;
    }

    /** Test {@code testId}'s newest {@code limit} executions, newest first, their failure text sealed. */
    public static List<Execution> executions(Connection c, String org, String testId, int limit) throws SQLException {
        return StoredExecutions.newest(c, org, testId, limit).stream().map(e -> new Execution(e.upload() + "/" + e.seq(), e.receivedAt(),
            e.commit(), e.branch(), e.jobName(), e.jobUrl(), e.attempt(), e.runAttempt(), e.status(), e.durationMicros(), e.message(),
            e.stackTrace())).toList();
    }

    private static List<TestRow> rows(PreparedStatement s) throws SQLException {
        List<TestRow> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                out.add(new TestRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                    rs.getString(7), rs.getDouble(8), rs.getDouble(9), List.of((String[]) rs.getArray(10).getArray()),
                    rs.getTimestamp(11).toInstant(), rs.getBoolean(12), rs.getLong(13), rs.getDouble(14), rs.getLong(15)));
            }
        }
        return out;
    }
}
