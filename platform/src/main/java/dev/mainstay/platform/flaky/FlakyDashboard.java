package dev.mainstay.platform.flaky;

import dev.mainstay.audit.AuditEvent;
import dev.mainstay.platform.auditing.AuditTrail;
import dev.mainstay.platform.crypto.FieldCipher;
import dev.mainstay.platform.crypto.FieldContext;
import dev.mainstay.platform.identity.Caller;
import dev.mainstay.platform.ingest.ExecutionWriter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
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
import org.hibernate.Session;

/**
 * What the flaky-test pages show, read in one transaction per page: counts by status, the daily
 * failures of the last {@value #TREND_DAYS} days, the tests that cost the most, the test list, and
 * one test's history. Failure text is decrypted only for a viewer who may read failures, and each
 * such view is recorded in the audit trail.
 */
@ApplicationScoped
public class FlakyDashboard {

    /** Days the overview's trend and impact cover. */
    public static final int TREND_DAYS = 45;
    /** Tests per page of the list. */
    public static final int PAGE_SIZE = 50;
    /** A test's newest executions on its page. */
    static final int EXECUTIONS = 100;
    /** A test's newest failures whose text its page shows. */
    static final int FAILURE_TEXTS = 10;

    @PersistenceContext(unitName = "mainstay")
    EntityManager em;

    private final FieldCipher cipher;
    private final AuditTrail audit;
    private final FailureClusters clusters;

    @Inject
    FlakyDashboard(FieldCipher cipher, AuditTrail audit, FailureClusters clusters) {
        this.cipher = cipher;
        this.audit = audit;
        this.clusters = clusters;
    }

    /** The number of tests per status, and how many are quarantined. */
    public record Counts(long healthy, long flaky, long broken, long quarantined) {
        public long total() {
            return healthy + flaky + broken;
        }
    }

    /** One day's failed executions, by what detection calls the failing test now. */
    public record Day(LocalDate day, long flaky, long broken, long other) {
        public long total() {
            return flaky + broken + other;
        }
    }

    /** A test's row in the list and the impact table. */
    public record TestRow(String testId, String repo, String file, String classname, String name, String variant, String status,
                          double score, double confidence, List<String> monitors, Instant lastSeen, boolean quarantined,
                          long failures, double failedSeconds, long pullRequests) {
        /** {@code classname › name}, or the name alone. */
        public String title() {
            return classname.isEmpty() ? name : classname + " › " + name;
        }

        /** The score as a percentage, for people. */
        public String scoreText() {
            return String.format(Locale.ROOT, "%.0f%%", score * 100);
        }

        /** CI time lost to failures, for people. */
        public String failedTimeText() {
            return Charts.duration(Duration.ofMillis((long) (failedSeconds * 1000)));
        }
    }

    /** One page of the test list. */
    public record TestPage(List<TestRow> rows, long total, int page, int pages) {
    }

    /** What the list is narrowed to and ordered by. */
    public record Filter(Optional<String> repo, Optional<String> status, Optional<String> search, boolean quarantinedOnly, String sort) {
        public static final List<String> SORTS = List.of("score", "last_seen", "name");
    }

    /** A change of verdict. */
    public record Transition(Instant at, String from, String to, List<String> monitors, int evidence) {
    }

    /**
     * One execution of the test.
     *
     * @param message    the failure message, when shown; empty when none or masked
     * @param stackTrace the stack trace, likewise
     * @param masked     true when the viewer may not read failure text and there is some
     */
    public record Run(String ref, Instant at, String commit, String branch, String job, String jobUrl, int attempt, String status,
                      Duration duration, String message, String stackTrace, boolean masked) {
        public String shortCommit() {
            return commit.length() > 10 ? commit.substring(0, 10) : commit;
        }

        public String durationText() {
            return Charts.duration(duration);
        }

        public boolean failed() {
            return status.equals("failed") || status.equals("error");
        }
    }

    /** Everything the test's page shows. */
    public record Detail(TestRow test, Optional<Quarantine> quarantine, List<Transition> transitions, List<Run> runs, boolean textShown,
                         List<FailureClusters.Cluster> clusters) {
    }

    /** The org's counts, of one repository or all. */
    @Transactional
    public Counts counts(String org, Optional<String> repo, Instant now) {
        return work(c -> {
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
        });
    }

    /** Failed executions per UTC day of the last {@value #TREND_DAYS} days (every day present, zero when none). */
    @Transactional
    public List<Day> trend(String org, Optional<String> repo, Instant now) {
        LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
        LocalDate first = today.minusDays(TREND_DAYS - 1);
        Map<LocalDate, long[]> days = new LinkedHashMap<>();
        for (LocalDate d = first; !d.isAfter(today); d = d.plusDays(1)) {
            days.put(d, new long[3]);
        }
        work(c -> {
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
                        long[] counts = days.get(rs.getDate(1).toLocalDate());
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
            return null;
        });
        return days.entrySet().stream().map(e -> new Day(e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2])).toList();
    }

    /**
     * The tests whose failures cost the most in the last {@value #TREND_DAYS} days: failures times the
     * CI time they took, with the pull requests they hit.
     */
    @Transactional
    public List<TestRow> impact(String org, Optional<String> repo, Instant now, int limit) {
        LocalDate first = now.atZone(ZoneOffset.UTC).toLocalDate().minusDays(TREND_DAYS - 1);
        return work(c -> {
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
                return rows(s, true);
            }
        });
    }

    private static final String ROW = "t.test_id, t.repo, t.file, t.classname, t.name, t.variant, t.status, t.score, t.confidence,"
        + " t.monitors, t.last_seen, EXISTS (SELECT 1 FROM flaky_quarantine q WHERE q.org = t.org AND q.test_id = t.test_id"
        + " AND (q.expires_at IS NULL OR q.expires_at > ?))";

    /** One page (from 1) of the org's tests, narrowed by {@code filter}. */
    @Transactional
    public TestPage tests(String org, Filter filter, int page, Instant now) {
        return work(c -> {
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
            int pages = (int) Math.max(1, (total + PAGE_SIZE - 1) / PAGE_SIZE);
            int shown = Math.min(Math.max(1, page), pages);
            String order = switch (filter.sort()) {
                case "last_seen" -> " ORDER BY t.last_seen DESC, t.test_id";
                case "name" -> " ORDER BY t.classname, t.name, t.test_id";
                default -> " ORDER BY t.score DESC, t.last_seen DESC, t.test_id";
            };
            try (PreparedStatement s = c.prepareStatement("SELECT " + ROW + ", 0, 0, 0" + where + order + " LIMIT ? OFFSET ?")) {
                s.setTimestamp(1, Timestamp.from(now));
                int i = bindFilter(s, 1, org, filter, now);
                s.setInt(++i, PAGE_SIZE);
                s.setLong(++i, (long) (shown - 1) * PAGE_SIZE);
                return new TestPage(rows(s, false), total, shown, pages);
            }
        });
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

    /**
     * The page of test {@code testId}: its verdict, quarantine, transitions, newest executions and clusters. The
     * newest failures' messages and stack traces are decrypted when {@code viewer} may read failures, and that view is
     * recorded in the audit trail; otherwise they are masked.
     */
    @Transactional
    public Optional<Detail> detail(Caller viewer, String org, String testId, Instant now) {
        Optional<TestRow> row = work(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + ROW + ", 0, 0, 0 FROM flaky_test t WHERE t.org = ? AND t.test_id = ?")) {
                s.setTimestamp(1, Timestamp.from(now));
                s.setString(2, org);
                s.setString(3, testId);
                return rows(s, false).stream().findFirst();
            }
        });
        if (row.isEmpty()) {
            return Optional.empty();
        }
        boolean mayRead = clusters.mayReadFailures(viewer, org);
        List<Transition> transitions = work(c -> transitions(c, org, testId));
        List<Run> runs = work(c -> runs(c, org, testId, mayRead));
        List<String> revealed = runs.stream().filter(r -> !r.message().isEmpty() || !r.stackTrace().isEmpty()).map(Run::ref).toList();
        if (mayRead && !revealed.isEmpty()) {
            audit.record(viewer.actor(), org, FailureClusters.VIEW_ACTION, new AuditEvent.Target("test", testId), AuditEvent.Outcome.SUCCESS,
                Map.of("repo", row.get().repo(), "executions", String.join(",", revealed)));
        }
        Optional<Quarantine> quarantine = work(c -> QuarantineStore.find(c, org, testId, now));
        List<FailureClusters.Cluster> ofTest = clusters.ofTest(viewer, org, testId, now.minus(Duration.ofDays(TREND_DAYS)));
        return Optional.of(new Detail(row.get(), quarantine, transitions, runs, mayRead, ofTest));
    }

    private static List<Transition> transitions(Connection c, String org, String testId) throws SQLException {
        List<Transition> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT at, from_status, to_status, monitors, cardinality(evidence) FROM flaky_transition"
            + " WHERE org = ? AND test_id = ? ORDER BY at DESC, id DESC LIMIT 50")) {
            s.setString(1, org);
            s.setString(2, testId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new Transition(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3),
                        List.of((String[]) rs.getArray(4).getArray()), rs.getInt(5)));
                }
            }
        }
        return out;
    }

    private List<Run> runs(Connection c, String org, String testId, boolean mayRead) throws SQLException {
        List<Run> out = new ArrayList<>();
        int texts = 0;
        try (PreparedStatement s = c.prepareStatement("SELECT e.upload_id, e.seq, u.received_at, e.commit_sha, e.branch, u.job_name, u.job_url,"
            + " e.attempt, e.status, e.duration_us, e.message, e.stack_trace FROM test_execution e JOIN ingest_upload u ON u.id = e.upload_id"
            + " WHERE e.org = ? AND e.test_id = ? ORDER BY e.day DESC, u.received_at DESC, e.seq DESC LIMIT ?")) {
            s.setString(1, org);
            s.setString(2, testId);
            s.setInt(3, EXECUTIONS);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String ref = rs.getObject(1, UUID.class) + "/" + rs.getInt(2);
                    byte[] message = rs.getBytes(11);
                    byte[] stack = rs.getBytes(12);
                    boolean hasText = message != null || stack != null;
                    String messageText = "";
                    String stackText = "";
                    if (hasText && mayRead && texts < FAILURE_TEXTS) {
                        messageText = decrypt(org, "message", ref, message);
                        stackText = decrypt(org, "stack_trace", ref, stack);
                        texts++;
                    }
                    out.add(new Run(ref, rs.getTimestamp(3).toInstant(), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
                        rs.getInt(8), rs.getString(9), Duration.ofNanos(rs.getLong(10) * 1000), messageText, stackText, hasText && !mayRead));
                }
            }
        }
        return out;
    }

    private String decrypt(String org, String column, String ref, byte[] sealed) {
        return sealed == null ? "" : cipher.decryptString(new FieldContext(org, ExecutionWriter.PURPOSE, ExecutionWriter.TABLE, column, ref), sealed);
    }

    private static List<TestRow> rows(PreparedStatement s, boolean withImpact) throws SQLException {
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

    private interface Work<T> {
        T on(Connection c) throws SQLException;
    }

    private <T> T work(Work<T> work) {
        return em.unwrap(Session.class).doReturningWork(work::on);
    }
}
