package dev.mainstay.platform.queue.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.mainstay.audit.AuditEvent;
import dev.mainstay.platform.auditing.AuditTrail;
import dev.mainstay.queue.engine.PullRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The build targets a pull request's head affects, as CI posted them: the lane it is queued in.
 * A head without posted targets takes them from the queue's {@link PathLanes}, if it has any, and
 * otherwise affects everything ({@link PullRequest#ALL}), so it shares the one lane of every pull
 * request.
 */
@ApplicationScoped
public class ImpactedTargets {

    /** At most this many targets per head, each at most {@value #MAX_NAME} characters. */
    public static final int MAX_TARGETS = 10_000;
    public static final int MAX_NAME = 300;
    /** Posted targets are deleted this long after. */
    static final Duration KEEP = Duration.ofDays(30);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Whether {@code name} can name a target: 1 to {@value #MAX_NAME} printable characters. */
    public static boolean isName(String name) {
        return !name.isEmpty() && name.length() <= MAX_NAME && name.chars().noneMatch(c -> c < 0x20);
    }

    /** The targets posted for {@code repo}'s pull request {@code pr} at {@code head}; empty when none were. */
    public Optional<Set<String>> posted(Connection c, String repo, int pr, String head) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT targets FROM merge_queue_targets WHERE repo = ? AND pr = ? AND head = ?")) {
            s.setString(1, repo);
            s.setInt(2, pr);
            s.setString(3, head);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Set<String> out = new TreeSet<>();
                JSON.readTree(rs.getString(1)).forEach(t -> out.add(t.asText()));
                return Optional.of(out.isEmpty() ? Set.of(PullRequest.ALL) : out);
            } catch (JsonProcessingException e) {
                throw new SQLException("stored impacted targets of " + repo + "#" + pr + " are not JSON", e);
            }
        }
    }

    /** Stores {@code targets} (checked: at most {@link #MAX_TARGETS}, each named) for the head, replacing earlier ones, and audits it. */
    public void save(Connection c, AuditTrail audit, AuditEvent.Actor actor, String org, String repo, int pr, String head,
                     Set<String> targets, Instant now) throws SQLException {
        ArrayNode array = JSON.createArrayNode();
        new TreeSet<>(targets).forEach(array::add);
        try (PreparedStatement s = c.prepareStatement("INSERT INTO merge_queue_targets (repo, pr, head, targets, posted_at, posted_by)"
            + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (repo, pr, head) DO UPDATE SET targets = EXCLUDED.targets,"
            + " posted_at = EXCLUDED.posted_at, posted_by = EXCLUDED.posted_by")) {
            s.setString(1, repo);
            s.setInt(2, pr);
            s.setString(3, head);
            s.setString(4, array.toString());
            s.setTimestamp(5, Timestamp.from(now));
            s.setString(6, actor.name());
            s.executeUpdate();
        }
        audit.record(c, actor, org, "queue.targets.post", new AuditEvent.Target("pull-request", repo + "#" + pr),
            AuditEvent.Outcome.SUCCESS, Map.of("repository", repo, "head", head, "targets", String.valueOf(targets.size())));
    }
}
