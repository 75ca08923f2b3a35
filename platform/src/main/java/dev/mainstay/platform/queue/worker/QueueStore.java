package dev.mainstay.platform.queue.worker;

import dev.mainstay.platform.crypto.FieldCipher;
import dev.mainstay.platform.crypto.FieldContext;
import dev.mainstay.platform.queue.inbound.GitHubInbox;
import dev.mainstay.queue.engine.Decision;
import dev.mainstay.queue.engine.MergeQueue;
import dev.mainstay.queue.engine.QueueEvent;
import dev.mainstay.queue.engine.QueueSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The merge queues' tables: a queue's encrypted state, the events it is fed and the decisions it
 * made. Producers of events (the webhook translator, the executor, the API) call {@link #submit} in
 * their own transaction; {@link QueueWorker} applies them. Every payload is encrypted under the
 * appliance's {@value GitHubInbox#PURPOSE} data key, bound to its table, column and row.
 */
@ApplicationScoped
public class QueueStore {

    /** A repository as {@code owner/name}, GitHub's rules. */
    private static final Pattern REPO = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}");
    private static final int MAX_BRANCH = 255;
    private static final int MAX_SOURCE = 300;

    private final FieldCipher cipher;

    @Inject
    public QueueStore(FieldCipher cipher) {
        this.cipher = cipher;
    }

    /** One merge queue: a repository's target branch. */
    public record QueueKey(String repo, String branch) {

        /** @throws IllegalArgumentException naming what is wrong with the repository or the branch */
        public QueueKey {
            Objects.requireNonNull(repo, "repo");
            Objects.requireNonNull(branch, "branch");
            if (!REPO.matcher(repo).matches()) {
                throw new IllegalArgumentException("a repository is owner/name: '" + repo + "'");
            }
            if (branch.isBlank() || branch.length() > MAX_BRANCH || branch.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
                throw new IllegalArgumentException("a branch is 1 to " + MAX_BRANCH + " printable characters: '" + branch + "'");
            }
        }
    }

    /** A decision as the outbox holds it: {@code id} is the executor's idempotency key. */
    public record Outgoing(UUID id, long seq, Long eventSeq, int position, Decision decision, Optional<Instant> doneAt) {
    }

    /**
     * Adds {@code event} to the queue of {@code key}, creating that queue at {@code target} (the branch's
     * commit as the producer knows it, asked for only then) when it has none, in the caller's transaction.
     *
     * @param source what produced the event, once: a second event of the same source stores nothing
     * @return false when an event of {@code source} was stored already
     */
    public boolean submit(Connection c, QueueKey key, Supplier<String> target, QueueEvent event, String source, Instant now)
        throws SQLException {
        return insert(c, queueOf(c, key, target, now), event, source, now);
    }

    /**
     * Adds {@code event} to the queue of {@code key} if the branch has a queue, in the caller's
     * transaction: for what matters only to a queue that exists (a push, a pull request closed).
     *
     * @return false when the branch has no queue or an event of {@code source} was stored already
     */
    public boolean submitIfQueued(Connection c, QueueKey key, QueueEvent event, String source, Instant now) throws SQLException {
        Optional<UUID> queue = find(c, key);
        return queue.isPresent() && insert(c, queue.get(), event, source, now);
    }

    /**
     * Adds {@code event} to queue {@code queue}, in the caller's transaction: for the executor, which
     * reports what carrying out the queue's own decisions gave.
     *
     * @return false when an event of {@code source} was stored already
     */
    public boolean submitTo(Connection c, UUID queue, QueueEvent event, String source, Instant now) throws SQLException {
        return insert(c, queue, event, source, now);
    }

    private boolean insert(Connection c, UUID queue, QueueEvent event, String source, Instant now) throws SQLException {
        Objects.requireNonNull(event, "event");
        if (source.isBlank() || source.length() > MAX_SOURCE) {
            throw new IllegalArgumentException("an event's source is 1 to " + MAX_SOURCE + " characters");
        }
        UUID id = UUID.randomUUID();
        try (PreparedStatement s = c.prepareStatement("INSERT INTO merge_queue_event (id, queue_id, source, event, at)"
            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (source) DO NOTHING")) {
            s.setObject(1, id);
            s.setObject(2, queue);
            s.setString(3, source);
            s.setBytes(4, seal("merge_queue_event", "event", id, QueueJson.write(event)));
            s.setTimestamp(5, Timestamp.from(now));
            return s.executeUpdate() == 1;
        }
    }

    /** The id of {@code key}'s queue, created at {@code target} with the default settings when there is none. */
    private UUID queueOf(Connection c, QueueKey key, Supplier<String> target, Instant now) throws SQLException {
        Optional<UUID> found = find(c, key);
        if (found.isPresent()) {
            return found.get();
        }
        UUID id = UUID.randomUUID();
        MergeQueue.State initial = new MergeQueue(QueueSettings.DEFAULTS, target.get()).state();
        try (PreparedStatement s = c.prepareStatement("INSERT INTO merge_queue (id, repo, branch, state, created_at, updated_at)"
            + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (repo, branch) DO NOTHING")) {
            s.setObject(1, id);
            s.setString(2, key.repo());
            s.setString(3, key.branch());
            s.setBytes(4, sealState(id, initial));
            s.setTimestamp(5, Timestamp.from(now));
            s.setTimestamp(6, Timestamp.from(now));
            s.executeUpdate();
        }
        // Another transaction may have created it meanwhile: whichever row is there is the queue.
        return find(c, key).orElseThrow(() -> new SQLException("the queue of " + key + " was neither found nor created"));
    }

    /** The id of {@code key}'s queue, if it has one. */
    public Optional<UUID> find(Connection c, QueueKey key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM merge_queue WHERE repo = ? AND branch = ?")) {
            s.setString(1, key.repo());
            s.setString(2, key.branch());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.empty();
            }
        }
    }

    /** A queue as the list of queues shows it. */
    public record Summary(UUID id, String repo, String branch, int depth, int testing, Instant updatedAt) {

        /** The target branch as a query parameter's value. */
        public String branchQuery() {
            return java.net.URLEncoder.encode(branch, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** The queues of the repositories of GitHub owners {@code owners} (lower case), by repository and branch. */
    public List<Summary> list(Connection c, Set<String> owners) throws SQLException {
        List<Summary> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT id, repo, branch, depth, testing, updated_at FROM merge_queue"
            + " WHERE lower(split_part(repo, '/', 1)) = ANY (?) ORDER BY repo, branch")) {
            s.setArray(1, c.createArrayOf("text", owners.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new Summary(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getInt(5),
                        rs.getTimestamp(6).toInstant()));
                }
            }
        }
        return out;
    }

    /** The state of queue {@code id} as last stored. */
    public MergeQueue.State state(Connection c, UUID id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT state FROM merge_queue WHERE id = ?")) {
            s.setObject(1, id);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("no merge queue " + id);
                }
                return openState(id, rs.getBytes(1));
            }
        }
    }

    /** Queue {@code id}'s decisions, in the order they were made. */
    public List<Outgoing> outbox(Connection c, UUID id) throws SQLException {
        List<Outgoing> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT id, seq, event_seq, position, decision, done_at FROM merge_queue_outbox"
            + " WHERE queue_id = ? ORDER BY seq")) {
            s.setObject(1, id);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    UUID row = rs.getObject(1, UUID.class);
                    long eventSeq = rs.getLong(3);
                    Long event = rs.wasNull() ? null : eventSeq;
                    Timestamp done = rs.getTimestamp(6);
                    out.add(new Outgoing(row, rs.getLong(2), event, rs.getInt(4),
                        openDecision(row, rs.getBytes(5)),
                        Optional.ofNullable(done).map(Timestamp::toInstant)));
                }
            }
        }
        return out;
    }

    /** A queue whose decisions are to be carried out. */
    public record Due(UUID queue, QueueKey key) {
    }

    /** A decision not yet carried out, with the tries it has had. */
    public record Pending(UUID id, Decision decision, int attempts) {
    }

    /**
     * The queues with a decision due at {@code now}, every queue when {@code all}; the least
     * recently changed first.
     */
    public List<Due> withDecisionsDue(Connection c, Instant now, boolean all) throws SQLException {
        List<Due> out = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT q.id, q.repo, q.branch FROM merge_queue q WHERE ? OR EXISTS"
            + " (SELECT 1 FROM merge_queue_outbox o WHERE o.queue_id = q.id AND o.done_at IS NULL AND o.failed_at IS NULL"
            + " AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= ?)) ORDER BY q.updated_at")) {
            s.setBoolean(1, all);
            s.setTimestamp(2, Timestamp.from(now));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new Due(rs.getObject(1, UUID.class), new QueueKey(rs.getString(2), rs.getString(3))));
                }
            }
        }
        return out;
    }

    /** Queue {@code queue}'s oldest decision not carried out nor set aside, if it is due at {@code now}. */
    public Optional<Pending> nextDecision(Connection c, UUID queue, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT id, decision, attempts, next_attempt_at FROM merge_queue_outbox"
            + " WHERE queue_id = ? AND done_at IS NULL AND failed_at IS NULL ORDER BY seq LIMIT 1")) {
            s.setObject(1, queue);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Timestamp due = rs.getTimestamp(4);
                if (due != null && due.toInstant().isAfter(now)) {
                    return Optional.empty();
                }
                UUID id = rs.getObject(1, UUID.class);
                return Optional.of(new Pending(id, openDecision(id, rs.getBytes(2)), rs.getInt(3)));
            }
        }
    }

    /** Counts a failed try at decision {@code row}: {@code attempts} so far, tried again from {@code next}. */
    public void retryDecision(Connection c, UUID row, int attempts, String error, Instant next) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE merge_queue_outbox SET attempts = ?, last_error = ?, next_attempt_at = ?"
            + " WHERE id = ?")) {
            s.setInt(1, attempts);
            s.setString(2, error);
            s.setTimestamp(3, Timestamp.from(next));
            s.setObject(4, row);
            s.executeUpdate();
        }
    }

    /** Marks decision {@code row} carried out at {@code now}; with an {@code error} (not null), set aside instead. */
    public void settleDecision(Connection c, UUID row, Instant now, String error) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(error == null
            ? "UPDATE merge_queue_outbox SET done_at = ?, attempts = attempts + 1 WHERE id = ?"
            : "UPDATE merge_queue_outbox SET failed_at = ?, attempts = attempts + 1, last_error = ? WHERE id = ?")) {
            s.setTimestamp(1, Timestamp.from(now));
            if (error == null) {
                s.setObject(2, row);
            } else {
                s.setString(2, error);
                s.setObject(3, row);
            }
            s.executeUpdate();
        }
    }

    byte[] sealState(UUID queue, MergeQueue.State state) {
        return seal("merge_queue", "state", queue, QueueJson.write(state));
    }

    MergeQueue.State openState(UUID queue, byte[] sealed) {
        return QueueJson.state(open("merge_queue", "state", queue, sealed));
    }

    QueueEvent openEvent(UUID event, byte[] sealed) {
        return QueueJson.event(open("merge_queue_event", "event", event, sealed));
    }

    Decision openDecision(UUID row, byte[] sealed) {
        return QueueJson.decision(open("merge_queue_outbox", "decision", row, sealed));
    }

    byte[] sealDecision(UUID row, Decision decision) {
        return seal("merge_queue_outbox", "decision", row, QueueJson.write(decision));
    }

    private byte[] seal(String table, String column, UUID row, String json) {
        return cipher.encryptString(context(table, column, row), json);
    }

    private String open(String table, String column, UUID row, byte[] sealed) {
        return cipher.decryptString(context(table, column, row), sealed);
    }

    private static FieldContext context(String table, String column, UUID row) {
        return new FieldContext(FieldContext.APPLIANCE, GitHubInbox.PURPOSE, table, column, row.toString());
    }
}
