package dev.mainstay.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The audit trail in PostgreSQL ({@code audit_event}, {@code audit_head}, {@code audit_checkpoint}).
 * {@link #append} runs in the caller's transaction, so an event commits or rolls back with the
 * change it describes; appends are serialised by a row lock on the head, which is what keeps the
 * sequence gapless and the chain linear.
 */
public final class AuditLog {

    /** The columns of {@code audit_event} in the order {@link #recordOf} reads them. */
    static final String EVENT_COLUMNS = "seq, time, actor_type, actor_id, actor_name, acr, amr, source_address, user_agent,"
        + " request_id, trace_id, org, action, target_type, target_id, outcome, details, prev_hash, hash";

    /** The chain's head: the last row's seq (0 when empty) and hash. */
    public record Head(long seq, byte[] hash) {
    }

    private final AuditCrypto crypto;

    public AuditLog(AuditCrypto crypto) {
        this.crypto = crypto;
    }

    /**
     * Appends {@code event} on {@code c}, inside the caller's transaction (autocommit off).
     *
     * @return the stored record
     */
    public AuditRecord append(Connection c, AuditEvent event) throws SQLException {
        Head head = lockHead(c);
        long seq = head.seq() + 1;
        byte[] hash = Hashes.chain(crypto, head.hash(), Canonical.event(seq, event));
        try (PreparedStatement s = c.prepareStatement("INSERT INTO audit_event (seq, time, actor_type, actor_id, actor_name, acr, amr,"
            + " source_address, user_agent, request_id, trace_id, org, action, target_type, target_id, outcome, details, prev_hash, hash)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int i = 0;
            s.setLong(++i, seq);
            s.setTimestamp(++i, Timestamp.from(event.time()));
            s.setString(++i, event.actor().type());
            s.setString(++i, event.actor().id());
            s.setString(++i, event.actor().name());
            s.setString(++i, event.actor().acr());
            s.setString(++i, event.actor().amr());
            s.setString(++i, event.request().sourceAddress());
            s.setString(++i, event.request().userAgent());
            s.setString(++i, event.request().requestId());
            s.setString(++i, event.request().traceId());
            s.setString(++i, event.org());
            s.setString(++i, event.action());
            s.setString(++i, event.target().type());
            s.setString(++i, event.target().id());
            s.setString(++i, event.outcome().text());
            s.setString(++i, new String(Canonical.encode(event.details()), java.nio.charset.StandardCharsets.UTF_8));
            s.setBytes(++i, head.hash());
            s.setBytes(++i, hash);
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1")) {
            s.setLong(1, seq);
            s.setBytes(2, hash);
            s.executeUpdate();
        }
        return new AuditRecord(seq, event, head.hash(), hash);
    }

    /**
     * Signs a checkpoint over the current head, inside the caller's transaction; none is written
     * when the latest checkpoint already covers the head, or no event exists yet.
     *
     * @return the checkpoint covering the head (new or latest), or empty when the trail is empty
     */
    public Optional<Checkpoint> checkpoint(Connection c, CheckpointSigner signer, Instant now) throws SQLException {
        Head head = lockHead(c);
        if (head.seq() == 0) {
            return Optional.empty();
        }
        Optional<Checkpoint> latest = latestCheckpoint(c);
        if (latest.isPresent() && latest.get().seq() == head.seq()) {
            return latest;
        }
        long number = latest.map(l -> l.number() + 1).orElse(1L);
        byte[] prev = latest.map(l -> l.digest(crypto)).orElse(Hashes.GENESIS);
        Checkpoint checkpoint = signer.sign(number, head.seq(), head.hash(), now, prev);
        try (PreparedStatement s = c.prepareStatement("INSERT INTO audit_checkpoint (number, seq, head_hash, time, prev, key_id, algorithm,"
            + " public_key, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setLong(1, checkpoint.number());
            s.setLong(2, checkpoint.seq());
            s.setBytes(3, checkpoint.head());
            s.setTimestamp(4, Timestamp.from(checkpoint.time()));
            s.setBytes(5, checkpoint.prev());
            s.setString(6, checkpoint.keyId());
            s.setString(7, checkpoint.algorithm());
            s.setBytes(8, signer.key().publicKey().getEncoded());
            s.setBytes(9, checkpoint.signature());
            s.executeUpdate();
        }
        return Optional.of(checkpoint);
    }

    /** The head, without locking it. */
    public static Head head(Connection c) throws SQLException {
        return readHead(c, "SELECT seq, hash FROM audit_head WHERE id = 1");
    }

    /** The head, locked until the transaction ends: what serialises appends and checkpoints. */
    private static Head lockHead(Connection c) throws SQLException {
        return readHead(c, "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE");
    }

    private static Head readHead(Connection c, String sql) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("audit_head has no row: the audit schema is damaged");
            }
            return new Head(rs.getLong(1), rs.getBytes(2));
        }
    }

    /** Every checkpoint, by number. */
    public static List<Checkpoint> checkpoints(Connection c) throws SQLException {
        return readCheckpoints(c, "SELECT number, seq, head_hash, time, prev, key_id, algorithm, signature FROM audit_checkpoint ORDER BY number");
    }

    /** The public keys recorded with the checkpoints, by key id (what signed them, as the database says). */
    public static Map<String, byte[]> recordedPublicKeys(Connection c) throws SQLException {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT DISTINCT ON (key_id) key_id, public_key FROM audit_checkpoint ORDER BY key_id");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                keys.put(rs.getString(1), rs.getBytes(2));
            }
        }
        return keys;
    }

    static Optional<Checkpoint> latestCheckpoint(Connection c) throws SQLException {
        List<Checkpoint> found = readCheckpoints(c,
            "SELECT number, seq, head_hash, time, prev, key_id, algorithm, signature FROM audit_checkpoint ORDER BY number DESC LIMIT 1");
        return found.stream().findFirst();
    }

    private static List<Checkpoint> readCheckpoints(Connection c, String sql) throws SQLException {
        List<Checkpoint> list = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                list.add(new Checkpoint(rs.getLong(1), rs.getLong(2), rs.getBytes(3), rs.getTimestamp(4).toInstant(), rs.getBytes(5),
                    rs.getString(6), rs.getString(7), rs.getBytes(8)));
            }
        }
        return list;
    }

    /** Receives stored records in seq order. */
    @FunctionalInterface
    public interface RecordSink {
        void accept(AuditRecord record) throws SQLException;
    }

    /**
     * Streams the rows with {@code from <= seq <= to} in seq order (a cursor: constant memory).
     * Needs autocommit off on {@code c} for the cursor.
     *
     * @throws SQLException also when a row cannot be read back as an event (e.g. a {@code details}
     *                      text edited into something that is not a JSON object of strings)
     */
    public static void read(Connection c, long from, long to, RecordSink sink) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + EVENT_COLUMNS + " FROM audit_event WHERE seq BETWEEN ? AND ? ORDER BY seq")) {
            s.setFetchSize(1000);
            s.setLong(1, from);
            s.setLong(2, to);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    sink.accept(recordOf(rs));
                }
            }
        }
    }

    /**
     * The record in the current row of a result with the {@link #EVENT_COLUMNS}.
     *
     * @throws UnreadableRowException when the row cannot be read back as an event
     */
    static AuditRecord recordOf(ResultSet rs) throws SQLException {
        long seq = rs.getLong(1);
        AuditEvent event;
        try {
            event = new AuditEvent(rs.getTimestamp(2).toInstant(),
                new AuditEvent.Actor(rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7)),
                new AuditEvent.Request(rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11)),
                rs.getString(12), rs.getString(13), new AuditEvent.Target(rs.getString(14), rs.getString(15)),
                AuditEvent.Outcome.of(rs.getString(16)), ExportFile.detailsOf(rs.getString(17)));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new UnreadableRowException(seq, e.getMessage());
        }
        return new AuditRecord(seq, event, rs.getBytes(18), rs.getBytes(19));
    }

    /** The lowest seq of an event at or after {@code t}, if any. */
    public static OptionalLong firstSeqFrom(Connection c, Instant t) throws SQLException {
        return seq(c, "SELECT min(seq) FROM audit_event WHERE time >= ?", t);
    }

    /** The highest seq of an event at or before {@code t}, if any. */
    public static OptionalLong lastSeqUntil(Connection c, Instant t) throws SQLException {
        return seq(c, "SELECT max(seq) FROM audit_event WHERE time <= ?", t);
    }

    /** The lowest seq stored (retention may have cut below it), if any. */
    public static OptionalLong firstSeq(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT min(seq) FROM audit_event"); ResultSet rs = s.executeQuery()) {
            rs.next();
            long v = rs.getLong(1);
            return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(v);
        }
    }

    private static OptionalLong seq(Connection c, String sql, Instant t) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setTimestamp(1, Timestamp.from(t));
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                long v = rs.getLong(1);
                return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(v);
            }
        }
    }

    /** A stored row that no longer reads as an event: it was changed outside Mainstay. */
    public static final class UnreadableRowException extends SQLException {
        private static final long serialVersionUID = 1L;
        private final long seq;
        private final String why;

        UnreadableRowException(long seq, String reason) {
            super("seq " + seq + ": the row cannot be read as an audit event (" + reason + ")");
            this.seq = seq;
            this.why = "the row cannot be read as an audit event (" + reason + ")";
        }

        public long seq() {
            return seq;
        }

        /** What is wrong, without the seq. */
        public String why() {
            return why;
        }
    }
}
