package dev.mainstay.platform.flaky;

import dev.mainstay.platform.flaky.FlakyDashboard.Counts;
import dev.mainstay.platform.flaky.FlakyDashboard.Day;
import dev.mainstay.platform.flaky.FlakyDashboard.Filter;
import dev.mainstay.platform.flaky.FlakyDashboard.TestPage;
import dev.mainstay.platform.flaky.FlakyDashboard.TestRow;
import dev.mainstay.platform.flaky.FlakyDashboard.Transition;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

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
     * @param message    the sealed message; null when the report had none
     * @param stackTrace the sealed stack trace; null when the report had none
     */
    public record Execution(String ref, Instant at, String commit, String branch, String job, String jobUrl, int attempt, String status,
                            long durationMicros, byte[] message, byte[] stackTrace) {
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

    /** Failed executions per UTC day of the last {@code days} days up to {@code now} (every day present, zero when none). */
    public static List<Day> trend(Connection c, String org, Optional<String> repo, Instant now, int days) throws SQLException {
        LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
        LocalDate first = today.minusDays(days - 1);
        Map<LocalDate, long[]> byDay = new LinkedHashMap<>();
        for (LocalDate d = first; !d.isAfter(today); d = d.plusDays(1)) {
            byDay.put(d, new long[3]);
        }
        try (PreparedStatement s = c.prepareStatement("SELECT e.day, COALESCE(t.status, 'healthy'), count(*) FROM test_execution e"
            + " LEFT JOIN flaky_test t ON t.org = e.org AND t.test_id = e.test_id"
            + " WHERE e.org = ? AND e.day >= ? AND e.status IN ('failed', 'error') AND (CAST(? AS text) IS NULL OR e.repo = ?)"
            + " GROUP BY 1, 2")) {
            s.setString(1, org);
            s.setDate(2, Date.valueOf(first));
            s.setString(3, repo.orElse(null));
            s.setString(4, repo.orElse(null));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    long[] counts = byDay.get(rs.getDate(1).toLocalDate());
                    if (counts != null) {
                        counts[switch (rs.getString(2)) {
                            case "flaky" -> 0;
                            case "broken" -> 1;
                            default -> 2;
                        }] += rs.getLong(3);
                    }
                }
            }
        }
        return byDay.entrySet().stream().map(e -> new Day(e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2])).toList();
    }

    /**
     * The {@code limit} tests whose failures cost the most in the last {@code days} days up to {@code now}: failures
     * times the CI time they took, with the pull requests they hit.
     */
    public static List<TestRow> impact(Connection c, String org, Optional<String> repo, Instant now, int days, int limit) throws SQLException {
        LocalDate first = now.atZone(ZoneOffset.UTC).toLocalDate().minusDays(days - 1);
        try (PreparedStatement s = c.prepareStatement("WITH f AS (SELECT e.test_id, count(*) AS failures,"
            + " sum(e.duration_us) / 1e6 AS seconds, count(DISTINCT u.pull_request) AS prs FROM test_execution e"
            + " JOIN ingest_upload u ON u.id = e.upload_id WHERE e.org = ? AND e.day >= ? AND e.status IN ('failed', 'error')"
            + " AND NOT u.infrastructure_failure AND (CAST(? AS text) IS NULL OR e.repo = ?) GROUP BY e.test_id)"
            + " SELECT " + ROW + ", f.failures, f.seconds, f.prs FROM f JOIN flaky_test t ON t.org = ? AND t.test_id = f.test_id"
            + " ORDER BY f.failures * GREATEST(f.seconds / f.failures, 0.001) DESC, f.failures DESC, t.test_id LIMIT ?")) {
            s.setString(1, org);
            s.setDate(2, Date.valueOf(first));
            s.setString(3, repo.orElse(null));
            s.setString(4, repo.orElse(null));
            s.setTimestamp(5, Timestamp.from(now));
            s.setString(6, org);
            s.setInt(7, limit);
            return rows(s);
        }
    }

    /** One page (from 1) of {@code pageSize} of the org's tests, narrowed by {@code filter}. */
    public static TestPage tests(Connection c, String org, Filter filter, int page, int pageSize, Instant now) throws SQLException {
        String where = " FROM flaky_test t WHERE t.org = ? AND (CAST(? AS text) IS NULL OR t.repo = ?)"
            + " AND (CAST(? AS text) IS NULL OR t.status = ?)"
            + " AND (CAST(? AS text) IS NULL OR strpos(lower(t.classname || ' ' || t.name || ' ' || t.file), ?) > 0)"
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
        try (PreparedStatement s = c.prepareStatement("SELECT " + ROW + ", 0, 0, 0" + where + order + " LIMIT ? OFFSET ?")) {
            s.setTimestamp(1, Timestamp.from(now));
            int i = bindFilter(s, 1, org, filter, now);
            s.setInt(++i, pageSize);
            s.setLong(++i, (long) (shown - 1) * pageSize);
            return new TestPage(rows(s), total, shown, pages);
        }
    }

    private static int bindFilter(PreparedStatement s, int from, String org, Filter filter, Instant now) throws SQLException {
        int i = from;
        s.setString(++i, org);
        s.setString(++i, filter.repo().orElse(null));
        s.setString(++i, filter.repo().orElse(null));
        s.setString(++i, filter.status().orElse(null));
        s.setString(++i, filter.status().orElse(null));
        String search = filter.search().map(q -> q.toLowerCase(Locale.ROOT)).orElse(null);
        s.setString(++i, search);
        s.setString(++i, search);
        if (filter.quarantinedOnly()) {
            s.setTimestamp(++i, Timestamp.from(now));
        }
        return i;
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
        List<Execution> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT e.upload_id, e.seq, u.received_at, e.commit_sha, e.branch, u.job_name, u.job_url,"
            + " e.attempt, e.status, e.duration_us, e.message, e.stack_trace FROM test_execution e JOIN ingest_upload u ON u.id = e.upload_id"
            + " WHERE e.org = ? AND e.test_id = ? ORDER BY e.day DESC, u.received_at DESC, e.seq DESC LIMIT ?")) {
            s.setString(1, org);
            s.setString(2, testId);
            s.setInt(3, limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new Execution(rs.getObject(1, UUID.class) + "/" + rs.getInt(2), rs.getTimestamp(3).toInstant(), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8), rs.getString(9), rs.getLong(10), rs.getBytes(11),
                        rs.getBytes(12)));
                }
            }
        }
        return out;
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
