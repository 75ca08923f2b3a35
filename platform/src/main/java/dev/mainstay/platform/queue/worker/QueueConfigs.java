package dev.mainstay.platform.queue.worker;

import dev.mainstay.audit.AuditEvent;
import dev.mainstay.platform.auditing.AuditTrail;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Each repository branch's queue settings, as people set them ({@code merge_queue_settings}), over
 * the appliance's defaults. The worker reads a queue's settings on every turn, so a change applies
 * from the queue's next event; the executor reads the required checks, and an enqueue the merge
 * method, the same way.
 */
@ApplicationScoped
public class QueueConfigs {

    private static final Logger LOG = Logger.getLogger(QueueConfigs.class.getName());

    private final QueueConfig defaults;
    private final Set<String> unreadable = ConcurrentHashMap.newKeySet();

    @Inject
    public QueueConfigs(QueueConfig defaults) {
        this.defaults = defaults;
    }

    /** The settings every queue has until someone changes its own. */
    public QueueConfig defaults() {
        return defaults;
    }

    /** The settings of queue {@code queue}. */
    public QueueConfig forQueue(Connection c, UUID queue) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT q.repo, q.branch, s.settings FROM merge_queue q"
            + " JOIN merge_queue_settings s ON s.repo = q.repo AND s.branch = q.branch WHERE q.id = ?")) {
            s.setObject(1, queue);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? effective(rs.getString(1), rs.getString(2), rs.getString(3)) : defaults;
            }
        }
    }

    /** The settings of the queue of {@code repo}'s {@code branch}, whether or not it has started. */
    public QueueConfig forBranch(Connection c, String repo, String branch) throws SQLException {
        return overrides(c, repo, branch).map(json -> effective(repo, branch, json)).orElse(defaults);
    }

    /** The settings people wrote for {@code repo}'s {@code branch}, as they wrote them. */
    public Optional<String> overrides(Connection c, String repo, String branch) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT settings FROM merge_queue_settings WHERE repo = ? AND branch = ?")) {
            s.setString(1, repo);
            s.setString(2, branch);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /**
     * Replaces the settings of {@code repo}'s {@code branch} with {@code json} (checked by the caller
     * with {@link QueueConfig#read}), and audits it to {@code audit}, in the caller's transaction.
     */
    public void save(Connection c, AuditTrail audit, AuditEvent.Actor actor, String org, String repo, String branch, String json, Instant now)
        throws SQLException {
        Optional<String> before = overrides(c, repo, branch);
        try (PreparedStatement s = c.prepareStatement("INSERT INTO merge_queue_settings (repo, branch, settings, updated_at, updated_by)"
            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (repo, branch) DO UPDATE SET settings = EXCLUDED.settings,"
            + " updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by")) {
            s.setString(1, repo);
            s.setString(2, branch);
            s.setString(3, json);
            s.setTimestamp(4, Timestamp.from(now));
            s.setString(5, actor.name());
            s.executeUpdate();
        }
        Map<String, String> details = new LinkedHashMap<>();
        details.put("repository", repo);
        details.put("branch", branch);
        details.put("before", before.orElse("{}"));
        details.put("after", json);
        audit.record(c, actor, org, "queue.settings.update", new AuditEvent.Target("merge-queue", repo + " " + branch),
            AuditEvent.Outcome.SUCCESS, details);
    }

    /** Stored settings that no longer read (written by a newer appliance) give way to the defaults; said once per text. */
    private QueueConfig effective(String repo, String branch, String json) {
        try {
            return QueueConfig.read(json, defaults);
        } catch (IllegalArgumentException e) {
            if (!unreadable.add(repo + " " + branch + " " + json)) {
                return defaults;
            }
            LOG.log(Level.WARNING, "the queue settings of " + repo + " " + branch + " do not read (" + e.getMessage()
                + "); the defaults apply until they are saved again");
            return defaults;
        }
    }
}
