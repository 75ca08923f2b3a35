package dev.mainstay.platform.ingest;

import java.sql.Array;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The stored executions and their uploads as flaky-test detection, its dashboard and its failure
 * clusters read them: each read is one statement on the caller's connection, in the caller's
 * transaction, so other features never name {@code test_execution} or {@code ingest_upload}.
 * Executions are read by day first ({@code test_execution} is partitioned by the day an upload
 * was received) and failures through the index of failed executions.
 */
public final class StoredExecutions {

    private StoredExecutions() {
    }

    /**
     * SQL for a test's display name, {@code classname.name [variant]} (no class: the name alone; no
     * variant: no brackets), from the row aliased {@code alias} of a table with those columns
     * ({@code test_execution}, or a feature's own copy of a test's identity).
     */
    public static String displayName(String alias) {
        String a = alias + ".";
        return "CASE WHEN " + a + "classname = '' THEN " + a + "name ELSE " + a + "classname || '.' || " + a + "name END"
            + " || CASE WHEN " + a + "variant = '' THEN '' ELSE ' [' || " + a + "variant || ']' END";
    }

    /** An upload's repository and arrival. */
    public record Upload(String repo, Instant receivedAt) {
    }

    /** Upload {@code id}; empty when no such upload is stored. */
    public static Optional<Upload> upload(Connection c, UUID id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT repo, received_at FROM ingest_upload WHERE id = ?")) {
            s.setObject(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(new Upload(rs.getString(1), rs.getTimestamp(2).toInstant())) : Optional.empty();
            }
        }
    }

    /** The ids of the tests upload {@code upload} (received on {@code day}) has executions of, in order. */
    public static List<String> testsOf(Connection c, UUID upload, LocalDate day) throws SQLException {
        List<String> tests = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(
            "SELECT DISTINCT test_id FROM test_execution WHERE day = ? AND upload_id = ? ORDER BY test_id")) {
            s.setDate(1, Date.valueOf(day));
            s.setObject(2, upload);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    tests.add(rs.getString(1));
                }
            }
        }
        return tests;
    }

    /** One execution as detection weighs it, with its test's identity and its upload's CI job and run. */
    public record Attempt(String testId, UUID upload, int seq, String commit, String branch, String jobName, String runId, int attempt,
                          String status, Instant receivedAt, String repo, String file, String classname, String name, String variant) {
    }

    /**
     * The executions of {@code tests} of {@code org} received on {@code since} or later, those of uploads flagged as
     * infrastructure failures left out, in the order they arrived.
     */
    public static List<Attempt> attempts(Connection c, String org, List<String> tests, LocalDate since) throws SQLException {
        List<Attempt> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT e.test_id, e.upload_id, e.seq, e.commit_sha, e.branch, u.job_name,"
            + " u.run_id, e.attempt, e.status, u.received_at, e.repo, e.file, e.classname, e.name, e.variant"
            + " FROM test_execution e JOIN ingest_upload u ON u.id = e.upload_id"
            + " WHERE e.org = ? AND e.test_id = ANY(?) AND e.day >= ? AND NOT u.infrastructure_failure"
            + " ORDER BY u.received_at, e.upload_id, e.seq")) {
            s.setString(1, org);
            s.setArray(2, c.createArrayOf("text", tests.toArray()));
            s.setDate(3, Date.valueOf(since));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new Attempt(rs.getString(1), rs.getObject(2, UUID.class), rs.getInt(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getInt(8), rs.getString(9), rs.getTimestamp(10).toInstant(), rs.getString(11),
                        rs.getString(12), rs.getString(13), rs.getString(14), rs.getString(15)));
                }
            }
        }
        return out;
    }

    /**
     * Failed and errored executions of one day and group.
     *
     * @param infrastructure whether they are of uploads flagged as infrastructure failures (then {@code group} is empty)
     * @param group          the group the caller put their test in; empty for a test it put in none
     */
    public record DayFailures(LocalDate day, boolean infrastructure, String group, long count) {
    }

    /**
     * The org's failed and errored executions (of {@code repo}, when given) received on day {@code first} or later, counted
     * per day and per group of {@code groups} (test id to group); those of uploads flagged as infrastructure failures
     * are counted apart, whatever their test.
     */
    public static List<DayFailures> failuresPerDay(Connection c, String org, Optional<String> repo, LocalDate first,
                                                   Map<String, String> groups) throws SQLException {
        // Uploads flagged as infrastructure failures are few, so they are told apart by id on the failed-executions index
        // rather than by joining every failure to its upload.
        List<UUID> infrastructure = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM ingest_upload WHERE org = ? AND received_at >= ?"
            + " AND infrastructure_failure" + (repo.isPresent() ? " AND repo = ?" : ""))) {
            s.setString(1, org);
            s.setTimestamp(2, Timestamp.from(first.atStartOfDay(ZoneOffset.UTC).toInstant()));
            if (repo.isPresent()) {
                s.setString(3, repo.get());
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    infrastructure.add(rs.getObject(1, UUID.class));
                }
            }
        }
        List<DayFailures> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT e.day, e.upload_id = ANY (?), CASE WHEN e.upload_id = ANY (?) THEN ''"
            + " ELSE COALESCE(g.grp, '') END, count(*) FROM test_execution e"
            + " LEFT JOIN unnest(?::text[], ?::text[]) AS g(test_id, grp) ON g.test_id = e.test_id"
            + " WHERE e.org = ? AND e.day >= ? AND e.status IN ('failed', 'error')" + (repo.isPresent() ? " AND e.repo = ?" : "")
            + " GROUP BY 1, 2, 3")) {
            Array ids = c.createArrayOf("uuid", infrastructure.toArray());
            s.setArray(1, ids);
            s.setArray(2, ids);
            s.setArray(3, c.createArrayOf("text", groups.keySet().toArray()));
            s.setArray(4, c.createArrayOf("text", groups.keySet().stream().map(groups::get).toArray()));
            s.setString(5, org);
            s.setDate(6, Date.valueOf(first));
            if (repo.isPresent()) {
                s.setString(7, repo.get());
            }
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new DayFailures(rs.getDate(1).toLocalDate(), rs.getBoolean(2), rs.getString(3), rs.getLong(4)));
                }
            }
        }
        return out;
    }

    /**
     * A test's failed and errored executions in a window.
     *
     * @param micros       their durations added up, in microseconds
     * @param pullRequests the distinct pull requests they were uploaded for
     */
    public record TestFailures(String testId, long failures, long micros, long pullRequests) {
    }

    /**
     * The failed and errored executions of {@code tests} of {@code org} received on day {@code first} or later, those of
     * uploads flagged as infrastructure failures left out, per test; a test without any is left out.
     */
    public static List<TestFailures> failuresOf(Connection c, String org, List<String> tests, LocalDate first) throws SQLException {
        List<TestFailures> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT e.test_id, count(*), sum(e.duration_us), count(DISTINCT u.pull_request)"
            + " FROM test_execution e JOIN ingest_upload u ON u.id = e.upload_id WHERE e.org = ? AND e.day >= ?"
            + " AND e.status IN ('failed', 'error') AND NOT u.infrastructure_failure AND e.test_id = ANY (?) GROUP BY e.test_id")) {
            s.setString(1, org);
            s.setDate(2, Date.valueOf(first));
            s.setArray(3, c.createArrayOf("text", tests.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new TestFailures(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
                }
            }
        }
        return out;
    }

    /**
     * The executions of one failure signature in a window.
     *
     * @param signature the blind index stored in {@code failure_signature}
     * @param tests     the distinct tests they are of
     * @param lastSeen  when the newest of their uploads was received
     */
    public record SignatureFailures(byte[] signature, long tests, long failures, Instant lastSeen) {
    }

    /**
     * The org's failed executions with a failure signature (of {@code repo}, of {@code test}, when given) from uploads
     * received at {@code since} or later, per signature: the {@code limit} with most tests first, then most failures,
     * then most recent.
     */
    public static List<SignatureFailures> failureSignatures(Connection c, String org, Optional<String> repo, Optional<String> test,
                                                            Instant since, int limit) throws SQLException {
        List<SignatureFailures> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT e.failure_signature, count(DISTINCT e.test_id), count(*), max(u.received_at)"
            + " FROM test_execution e JOIN ingest_upload u ON u.id = e.upload_id"
            + " WHERE e.org = ? AND e.failure_signature IS NOT NULL AND e.day >= ? AND u.received_at >= ?"
            + " AND (CAST(? AS text) IS NULL OR e.repo = ?) AND (CAST(? AS text) IS NULL OR e.test_id = ?)"
            + " GROUP BY e.failure_signature"
            + " ORDER BY count(DISTINCT e.test_id) DESC, count(*) DESC, max(u.received_at) DESC, e.failure_signature LIMIT ?")) {
            s.setString(1, org);
            s.setDate(2, Date.valueOf(since.atZone(ZoneOffset.UTC).toLocalDate()));
            s.setTimestamp(3, Timestamp.from(since));
            s.setString(4, repo.orElse(null));
            s.setString(5, repo.orElse(null));
            s.setString(6, test.orElse(null));
            s.setString(7, test.orElse(null));
            s.setInt(8, limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new SignatureFailures(rs.getBytes(1), rs.getLong(2), rs.getLong(3), rs.getTimestamp(4).toInstant()));
                }
            }
        }
        return out;
    }

    /**
     * One execution as a test's page lists it, its failure text still sealed.
     *
     * @param runAttempt the CI run's attempt the upload names, 0 when it names none
     */
    public record Listed(UUID upload, int seq, Instant receivedAt, String commit, String branch, String jobName, String jobUrl, int attempt,
                         int runAttempt, String status, long durationMicros, byte[] message, byte[] stackTrace) {
    }

    /** Test {@code testId}'s newest {@code limit} executions, newest first. */
    public static List<Listed> newest(Connection c, String org, String testId, int limit) throws SQLException {
        List<Listed> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT e.upload_id, e.seq, u.received_at, e.commit_sha, e.branch, u.job_name, u.job_url,"
            + " e.attempt, e.status, e.duration_us, e.message, e.stack_trace, COALESCE(u.run_attempt, 0)"
            + " FROM test_execution e JOIN ingest_upload u ON u.id = e.upload_id"
            + " WHERE e.org = ? AND e.test_id = ? ORDER BY e.day DESC, u.received_at DESC, e.seq DESC LIMIT ?")) {
            s.setString(1, org);
            s.setString(2, testId);
            s.setInt(3, limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new Listed(rs.getObject(1, UUID.class), rs.getInt(2), rs.getTimestamp(3).toInstant(), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8), rs.getInt(13), rs.getString(9), rs.getLong(10),
                        rs.getBytes(11), rs.getBytes(12)));
                }
            }
        }
        return out;
    }
}
