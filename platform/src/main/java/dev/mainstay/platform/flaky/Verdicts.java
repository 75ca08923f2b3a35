package dev.mainstay.platform.flaky;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mainstay.flaky.DetectionSettings;
import dev.mainstay.flaky.Detector;
import dev.mainstay.flaky.Execution;
import dev.mainstay.flaky.Monitor;
import dev.mainstay.flaky.Outcome;
import dev.mainstay.flaky.Status;
import dev.mainstay.flaky.Verdict;
import dev.mainstay.platform.auditing.AuditTrail;
import dev.mainstay.platform.flaky.webhooks.WebhookOutbox;
import dev.mainstay.platform.ingest.StoredExecutions;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The SQL of re-scoring: take the next queued upload, load the executions of the tests it touched
 * (their window, infrastructure failures left out), run the detector, and store each verdict and
 * transition. An execution's time is its upload's arrival, not the report's own timestamp, which
 * CI machines get wrong (no zone, skewed clocks) and which must never put it after {@code now}.
 */
final class Verdicts {

    /** Tests re-scored per round trip. */
    private static final int BATCH = 500;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Verdicts() {
    }

    /** An upload queued for re-scoring, claimed. */
    record Queued(UUID upload, String org) {
    }

    /** Claims the oldest queued upload no other transaction holds, in {@code c}'s transaction; null when none is left to take. */
    static Queued claimNext(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT upload_id, org FROM flaky_rescore"
            + " ORDER BY enqueued_at LIMIT 1 FOR UPDATE SKIP LOCKED");
             ResultSet rs = s.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            return new Queued(rs.getObject(1, UUID.class), rs.getString(2));
        }
    }

    /** Re-scores the tests of the claimed upload {@code queued} in {@code c}'s transaction and takes it off the queue. */
    static void rescore(Connection c, AuditTrail audit, Queued queued, Instant now) throws SQLException {
        UUID upload = queued.upload();
        String org = queued.org();
        // A queued upload is stored: flaky_rescore's row refers to it, and both are written in one transaction.
        StoredExecutions.Upload stored = StoredExecutions.upload(c, upload).orElseThrow(
            () -> new SQLException("upload " + upload + " is queued for re-scoring but not stored"));
        LocalDate day = stored.receivedAt().atZone(ZoneOffset.UTC).toLocalDate();
        DetectionSettings settings = RepoSettings.effective(c, org, stored.repo());
        List<String> tests = StoredExecutions.testsOf(c, upload, day);
        for (int from = 0; from < tests.size(); from += BATCH) {
            rescore(c, audit, org, upload, tests.subList(from, Math.min(tests.size(), from + BATCH)), settings, now);
        }
        try (PreparedStatement s = c.prepareStatement("DELETE FROM flaky_rescore WHERE upload_id = ?")) {
            s.setObject(1, upload);
            s.executeUpdate();
        }
    }

    /** A test's identity, from its newest execution. */
    private record Named(String repo, String file, String classname, String name, String variant) {
    }

    private static void rescore(Connection c, AuditTrail audit, String org, UUID upload, List<String> tests, DetectionSettings settings, Instant now)
        throws SQLException {
        Array ids = c.createArrayOf("text", tests.toArray());
        Map<String, Verdict> previous = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT test_id, status, monitors FROM flaky_test WHERE org = ? AND test_id = ANY(?)"
            + " ORDER BY test_id FOR UPDATE")) {
            s.setString(1, org);
            s.setArray(2, ids);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Set<Monitor> monitors = EnumSet.noneOf(Monitor.class);
                    for (String m : (String[]) rs.getArray(3).getArray()) {
                        monitors.add(Monitor.of(m));
                    }
                    previous.put(rs.getString(1), new Verdict(Status.of(rs.getString(2)), 0, 0, monitors, List.of(), 0, 0, 0, 0));
                }
            }
        }
        Map<String, List<Execution>> executions = new HashMap<>();
        Map<String, Named> names = new HashMap<>();
        LocalDate since = now.minus(settings.window()).atZone(ZoneOffset.UTC).toLocalDate().minusDays(1);
        for (StoredExecutions.Attempt a : StoredExecutions.attempts(c, org, tests, since)) {
            String ref = a.upload() + "/" + a.seq();
            String runKey = a.jobName().isEmpty() && a.runId().isEmpty() ? a.upload().toString() : a.jobName() + "\u0000" + a.runId();
            executions.computeIfAbsent(a.testId(), t -> new ArrayList<>()).add(new Execution(ref, a.commit(), a.branch(), runKey,
                Math.max(1, a.attempt()), Outcome.of(a.status()), a.receivedAt()));
            names.put(a.testId(), new Named(a.repo(), a.file(), a.classname(), a.name(), a.variant()));
        }
        for (String test : tests) {
            List<Execution> history = executions.getOrDefault(test, List.of());
            if (history.isEmpty()) {
                continue;
            }
            Verdict before = previous.getOrDefault(test, Verdict.INITIAL);
            Verdict after = Detector.classify(history, before, settings, now);
            store(c, org, test, names.get(test), after, history, now);
            if (after.changedFrom(before)) {
                transition(c, org, test, names.get(test), before, after, upload, now);
            }
            if (after.status() != before.status()) {
                QuarantineStore.statusChanged(c, audit, org, test, names.get(test).repo(), before.status().key(), after.status().key(),
                    after.orderedMonitors().stream().map(Monitor::key).toList(), now);
            }
        }
    }

    private static void store(Connection c, String org, String test, Named named, Verdict v, List<Execution> history, Instant now)
        throws SQLException {
        Instant first = history.get(0).at();
        Instant last = history.get(history.size() - 1).at();
        try (PreparedStatement s = c.prepareStatement("INSERT INTO flaky_test (org, test_id, repo, file, classname, name, variant,"
            + " status, status_since, score, confidence, monitors, samples, contradicted, retry_commits, failing_streak, first_seen,"
            + " last_seen, scored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (org, test_id) DO UPDATE SET repo = EXCLUDED.repo, file = EXCLUDED.file, classname = EXCLUDED.classname,"
            + " name = EXCLUDED.name, variant = EXCLUDED.variant, status = EXCLUDED.status,"
            + " status_since = CASE WHEN flaky_test.status = EXCLUDED.status THEN flaky_test.status_since ELSE EXCLUDED.status_since END,"
            + " score = EXCLUDED.score, confidence = EXCLUDED.confidence, monitors = EXCLUDED.monitors, samples = EXCLUDED.samples,"
            + " contradicted = EXCLUDED.contradicted, retry_commits = EXCLUDED.retry_commits,"
            + " failing_streak = EXCLUDED.failing_streak, first_seen = LEAST(flaky_test.first_seen, EXCLUDED.first_seen),"
            + " last_seen = GREATEST(flaky_test.last_seen, EXCLUDED.last_seen), scored_at = EXCLUDED.scored_at")) {
            s.setString(1, org);
            s.setString(2, test);
            s.setString(3, named.repo());
            s.setString(4, named.file());
            s.setString(5, named.classname());
            s.setString(6, named.name());
            s.setString(7, named.variant());
            s.setString(8, v.status().key());
            s.setTimestamp(9, Timestamp.from(now));
            s.setDouble(10, v.score());
            s.setDouble(11, v.confidence());
            s.setArray(12, monitors(c, v));
            s.setInt(13, v.samples());
            s.setInt(14, v.contradictedFailures());
            s.setInt(15, v.retryCommits());
            s.setInt(16, v.failingStreak());
            s.setTimestamp(17, Timestamp.from(first));
            s.setTimestamp(18, Timestamp.from(last));
            s.setTimestamp(19, Timestamp.from(now));
            s.executeUpdate();
        }
    }

    /**
     * Records a change of status or of active monitors; a change of status is also a
     * {@value WebhookOutbox#FLAKY_STATUS_CHANGED} event for the org's webhooks, in the same transaction.
     */
    private static void transition(Connection c, String org, String test, Named named, Verdict before, Verdict after, UUID upload,
                                   Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO flaky_transition (org, test_id, at, from_status, to_status, monitors,"
            + " evidence, upload_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, org);
            s.setString(2, test);
            s.setTimestamp(3, Timestamp.from(now));
            s.setString(4, before.status().key());
            s.setString(5, after.status().key());
            s.setArray(6, monitors(c, after));
            s.setArray(7, c.createArrayOf("text", after.evidence().toArray()));
            s.setObject(8, upload);
            s.executeUpdate();
        }
        if (before.status() != after.status()) {
            WebhookOutbox.enqueue(c, org, WebhookOutbox.FLAKY_STATUS_CHANGED, statusChanged(test, named, before, after, upload, now), now);
        }
    }

    /** The {@code data} of a {@value WebhookOutbox#FLAKY_STATUS_CHANGED} event, as docs/flaky.md shows it. */
    private static ObjectNode statusChanged(String test, Named named, Verdict before, Verdict after, UUID upload, Instant now) {
        ObjectNode data = JSON.createObjectNode();
        data.put("repo", named.repo());
        data.put("test_id", test);
        data.put("file", named.file());
        data.put("classname", named.classname());
        data.put("name", named.name());
        data.put("variant", named.variant());
        data.put("from", before.status().key());
        data.put("to", after.status().key());
        ArrayNode monitors = data.putArray("monitors");
        after.orderedMonitors().forEach(m -> monitors.add(m.key()));
        data.put("score", after.score());
        data.put("confidence", after.confidence());
        data.put("at", now.toString());
        ArrayNode evidence = data.putArray("evidence");
        after.evidence().forEach(evidence::add);
        data.put("upload_id", upload.toString());
        return data;
    }

    private static Array monitors(Connection c, Verdict v) throws SQLException {
        return c.createArrayOf("text", v.orderedMonitors().stream().map(Monitor::key).toArray());
    }
}
