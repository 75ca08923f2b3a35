package dev.mainstay.platform.flaky;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mainstay.audit.AuditEvent;
import dev.mainstay.platform.auditing.AuditTrail;
import dev.mainstay.platform.flaky.webhooks.WebhookOutbox;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SQL of quarantine, on a connection whose transaction the caller owns: the page and API run
 * it in a container transaction, re-scoring and the expiry sweep on their own connection. Every
 * change is recorded in the audit trail in that same transaction.
 */
final class QuarantineStore {

    /** The actor of changes the policy and the expiry sweep make. */
    static final AuditEvent.Actor POLICY = AuditEvent.Actor.system("flaky-quarantine");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SELECT = "SELECT q.test_id, q.repo, COALESCE(t.file, ''), COALESCE(t.classname, ''), COALESCE(t.name, ''),"
        + " COALESCE(t.variant, ''), COALESCE(t.status, 'healthy'), q.source, q.reason, q.owner, q.expires_at, q.quarantined_by,"
        + " q.quarantined_at FROM flaky_quarantine q LEFT JOIN flaky_test t ON t.org = q.org AND t.test_id = q.test_id";

    private QuarantineStore() {
    }

    /** A test that may be quarantined: its repository and current status. */
    record Test(String testId, String repo, String status) {
    }

    /** The quarantines in force in {@code org} (in {@code repo} only, when given), ordered by repository and test name. */
    static List<Quarantine> active(Connection c, String org, Optional<String> repo, Instant now) throws SQLException {
        String sql = SELECT + " WHERE q.org = ? AND (q.expires_at IS NULL OR q.expires_at > ?)"
            + (repo.isPresent() ? " AND q.repo = ?" : "") + " ORDER BY q.repo, t.classname, t.name, q.test_id";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, org);
            s.setTimestamp(2, Timestamp.from(now));
            if (repo.isPresent()) {
                s.setString(3, repo.get());
            }
            return read(s);
        }
    }

    /** The quarantine of {@code testId} in force, if any. */
    static Optional<Quarantine> find(Connection c, String org, String testId, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(SELECT + " WHERE q.org = ? AND q.test_id = ? AND (q.expires_at IS NULL OR q.expires_at > ?)")) {
            s.setString(1, org);
            s.setString(2, testId);
            s.setTimestamp(3, Timestamp.from(now));
            return read(s).stream().findFirst();
        }
    }

    /** The test {@code testId} as detection knows it, if any upload has named it. */
    static Optional<Test> test(Connection c, String org, String testId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT repo, status FROM flaky_test WHERE org = ? AND test_id = ?")) {
            s.setString(1, org);
            s.setString(2, testId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(new Test(testId, rs.getString(1), rs.getString(2))) : Optional.empty();
            }
        }
    }

    /**
     * Quarantines {@code test} (replacing a quarantine it had) and records it as {@code by} did it.
     *
     * @return the quarantine now in force
     */
    static Quarantine put(Connection c, AuditTrail audit, AuditEvent.Actor by, String org, Test test, String source, String reason,
                          String owner, Optional<Instant> expires, Instant now) throws SQLException {
        Optional<Quarantine> before = find(c, org, test.testId(), now);
        try (PreparedStatement s = c.prepareStatement("INSERT INTO flaky_quarantine (org, test_id, repo, source, reason, owner, expires_at,"
            + " quarantined_by, quarantined_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (org, test_id) DO UPDATE SET"
            + " repo = EXCLUDED.repo, source = EXCLUDED.source, reason = EXCLUDED.reason, owner = EXCLUDED.owner,"
            + " expires_at = EXCLUDED.expires_at, quarantined_by = EXCLUDED.quarantined_by, quarantined_at = EXCLUDED.quarantined_at")) {
            s.setString(1, org);
            s.setString(2, test.testId());
            s.setString(3, test.repo());
            s.setString(4, source);
            s.setString(5, reason);
            s.setString(6, owner);
            s.setTimestamp(7, expires.map(Timestamp::from).orElse(null));
            s.setString(8, by.name());
            s.setTimestamp(9, Timestamp.from(now));
            s.executeUpdate();
        }
        Quarantine after = find(c, org, test.testId(), now).orElseThrow();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("repo", test.repo());
        details.put("source", source);
        details.put("reason", reason);
        details.put("owner", owner);
        details.put("expires_at", expires.map(Instant::toString).orElse(""));
        before.ifPresent(b -> details.put("before", b.describe()));
        audit.record(c, by, org, "quarantine.add", new AuditEvent.Target("test", test.testId()), AuditEvent.Outcome.SUCCESS, details);
        announce(c, org, before.isPresent() ? "update" : "add", after, by, now);
        return after;
    }

    /**
     * Lifts {@code testId}'s quarantine, if one is in force, and records why.
     *
     * @return the quarantine that was lifted
     */
    static Optional<Quarantine> lift(Connection c, AuditTrail audit, AuditEvent.Actor by, String org, String testId, String why, Instant now)
        throws SQLException {
        Optional<Quarantine> before = find(c, org, testId, now);
        if (before.isEmpty()) {
            return before;
        }
        delete(c, org, testId);
        audit.record(c, by, org, "quarantine.lift", new AuditEvent.Target("test", testId), AuditEvent.Outcome.SUCCESS,
            Map.of("repo", before.get().repo(), "before", before.get().describe(), "why", why));
        announce(c, org, "lift", before.get(), by, now);
        return before;
    }

    private static void delete(Connection c, String org, String testId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("DELETE FROM flaky_quarantine WHERE org = ? AND test_id = ?")) {
            s.setString(1, org);
            s.setString(2, testId);
            s.executeUpdate();
        }
    }

    /** {@code repo}'s auto-quarantine policy; off for a repository that never set one. */
    static QuarantinePolicy policy(Connection c, String org, String repo) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT auto, expiry_days FROM flaky_quarantine_policy WHERE org = ? AND repo = ?")) {
            s.setString(1, org);
            s.setString(2, repo);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? new QuarantinePolicy(rs.getBoolean(1), rs.getInt(2)) : QuarantinePolicy.DEFAULT;
            }
        }
    }

    /**
     * Stores {@code repo}'s policy and records the change; when it turns auto-quarantine on, the
     * repository's tests already flaky are quarantined at once.
     *
     * @return how many tests it quarantined
     */
    static int savePolicy(Connection c, AuditTrail audit, AuditEvent.Actor by, String org, String repo, QuarantinePolicy policy, Instant now)
        throws SQLException {
        QuarantinePolicy before = policy(c, org, repo);
        try (PreparedStatement s = c.prepareStatement("INSERT INTO flaky_quarantine_policy (org, repo, auto, expiry_days, updated_at)"
            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (org, repo) DO UPDATE SET auto = EXCLUDED.auto, expiry_days = EXCLUDED.expiry_days,"
            + " updated_at = EXCLUDED.updated_at")) {
            s.setString(1, org);
            s.setString(2, repo);
            s.setBoolean(3, policy.auto());
            s.setInt(4, policy.expiryDays());
            s.setTimestamp(5, Timestamp.from(now));
            s.executeUpdate();
        }
        audit.record(c, by, org, "quarantine.policy.update", new AuditEvent.Target("repository", repo), AuditEvent.Outcome.SUCCESS,
            Map.of("before", before.json(), "after", policy.json()));
        if (!policy.auto()) {
            return 0;
        }
        record Flaky(String testId, String monitors) {
        }
        List<Flaky> flaky = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT t.test_id, t.monitors FROM flaky_test t WHERE t.org = ? AND t.repo = ?"
            + " AND t.status = 'flaky' AND NOT EXISTS (SELECT 1 FROM flaky_quarantine q WHERE q.org = t.org AND q.test_id = t.test_id"
            + " AND (q.expires_at IS NULL OR q.expires_at > ?)) ORDER BY t.test_id")) {
            s.setString(1, org);
            s.setString(2, repo);
            s.setTimestamp(3, Timestamp.from(now));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    flaky.add(new Flaky(rs.getString(1), String.join(", ", (String[]) rs.getArray(2).getArray())));
                }
            }
        }
        for (Flaky t : flaky) {
            put(c, audit, POLICY, org, new Test(t.testId(), repo, "flaky"), "auto", autoReason(t.monitors()), "",
                Optional.of(now.plus(Duration.ofDays(policy.expiryDays()))), now);
        }
        return flaky.size();
    }

    /**
     * What the policy does when detection changes a test's status: a test that became flaky is
     * quarantined when its repository's policy says so (unless it already is); a test that became
     * broken or healthy loses a quarantine the policy gave it (a person's quarantine stays: a person
     * decided it). A broken test is never quarantined automatically: its failures are real.
     */
    static void statusChanged(Connection c, AuditTrail audit, String org, String testId, String repo, String from, String to,
                              List<String> monitors, Instant now) throws SQLException {
        if (to.equals("flaky")) {
            QuarantinePolicy policy = policy(c, org, repo);
            if (policy.auto() && find(c, org, testId, now).isEmpty()) {
                put(c, audit, POLICY, org, new Test(testId, repo, to), "auto", autoReason(String.join(", ", monitors)), "",
                    Optional.of(now.plus(Duration.ofDays(policy.expiryDays()))), now);
            }
            return;
        }
        Optional<Quarantine> current = find(c, org, testId, now);
        if (current.isPresent() && current.get().source().equals("auto")) {
            lift(c, audit, POLICY, org, testId, "detection now calls the test " + to + " (was " + from + ")", now);
        }
    }

    private static String autoReason(String monitors) {
        return "auto-quarantined: detection calls it flaky" + (monitors.isEmpty() ? "" : " (" + monitors + ")");
    }

    /**
     * Deletes the quarantines whose expiry has passed, recording each.
     *
     * @return how many
     */
    static int expire(Connection c, AuditTrail audit, Instant now) throws SQLException {
        List<String[]> due = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT org, test_id FROM flaky_quarantine WHERE expires_at <= ?"
            + " ORDER BY org, test_id FOR UPDATE SKIP LOCKED")) {
            s.setTimestamp(1, Timestamp.from(now));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    due.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
        }
        for (String[] d : due) {
            List<Quarantine> rows;
            try (PreparedStatement s = c.prepareStatement(SELECT + " WHERE q.org = ? AND q.test_id = ?")) {
                s.setString(1, d[0]);
                s.setString(2, d[1]);
                rows = read(s);
            }
            Quarantine q = rows.getFirst();
            delete(c, d[0], d[1]);
            audit.record(c, POLICY, d[0], "quarantine.expire", new AuditEvent.Target("test", d[1]), AuditEvent.Outcome.SUCCESS,
                Map.of("repo", q.repo(), "before", q.describe()));
            announce(c, d[0], "expire", q, POLICY, now);
        }
        return due.size();
    }

    /** Queues a {@code quarantine.changed} event for the org's webhooks, in the change's transaction. */
    private static void announce(Connection c, String org, String action, Quarantine q, AuditEvent.Actor by, Instant now)
        throws SQLException {
        ObjectNode data = JSON.createObjectNode();
        data.put("action", action);
        q.write(data);
        data.put("by", by.name());
        data.put("at", now.toString());
        WebhookOutbox.enqueue(c, org, "quarantine.changed", data, now);
    }

    private static List<Quarantine> read(PreparedStatement s) throws SQLException {
        List<Quarantine> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                Timestamp expires = rs.getTimestamp(11);
                out.add(new Quarantine(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                    rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), Optional.ofNullable(expires).map(Timestamp::toInstant),
                    rs.getString(12), rs.getTimestamp(13).toInstant()));
            }
        }
        return out;
    }
}
