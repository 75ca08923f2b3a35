package dev.mainstay.audit;

import java.security.PublicKey;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Checks an audit trail, fed in order: sequence without gaps, every row's hash, the chain of
 * checkpoints (numbered without gaps, each naming its predecessor's digest), each checkpoint's
 * signature against a trusted public key, and each checkpoint's head against the chain. It stops
 * at the first problem and names the sequence number where it is.
 *
 * <p>A trail need not start at row 1: one that starts at row {@code a} is accepted only with a
 * signed checkpoint at {@code a - 1} before it (retention cut there, or an export segment).
 */
public final class Verifier {

    /**
     * What verification found.
     *
     * @param intact      no problem found
     * @param badSeq      where the first problem is (a row's seq, or the seq a checkpoint covers)
     * @param problem     what is wrong, empty when intact
     * @param events      rows checked
     * @param checkpoints checkpoints checked
     * @param firstSeq    first row checked (0 if none)
     * @param lastSeq     last row checked (0 if none)
     * @param notes       things worth knowing that are not problems
     */
    public record Result(boolean intact, OptionalLong badSeq, String problem, long events, long checkpoints, long firstSeq,
                         long lastSeq, List<String> notes) {

        /** A report for people: one line, then the notes. */
        public String report() {
            StringBuilder out = new StringBuilder();
            if (intact) {
                out.append("intact: ").append(events).append(" event(s)")
                    .append(events > 0 ? " (seq " + firstSeq + ".." + lastSeq + ")" : "")
                    .append(", ").append(checkpoints).append(" signed checkpoint(s) verified\n");
            } else {
                out.append("NOT intact")
                    .append(badSeq.isPresent() ? " at seq " + badSeq.getAsLong() : "")
                    .append(": ").append(problem).append('\n');
            }
            notes.forEach(n -> out.append("note: ").append(n).append('\n'));
            return out.toString();
        }
    }

    /** The first problem; verification stops there. */
    static final class Broken extends Exception {
        private static final long serialVersionUID = 1L;
        private final long seq;

        Broken(long seq, String message) {
            super(message, null, false, false);
            this.seq = seq;
        }
    }

    private final AuditCrypto crypto = AuditCrypto.standard();
    private final Optional<PublicKey> trusted;
    private final Map<String, PublicKey> recorded;
    private final List<String> notes = new ArrayList<>();

    private Checkpoint lastCheckpoint;
    private Checkpoint anchor;
    private long firstSeq;
    private long lastSeq;
    private byte[] chainHash;
    private long events;
    private long checkpoints;

    /**
     * @param trusted  the public key checkpoints must verify with; when empty, each checkpoint is
     *                 checked against the key {@code recorded} for its key id (weaker: whoever can
     *                 write the database can write that too, and a note says so)
     * @param recorded public keys by key id, as stored beside the checkpoints
     */
    Verifier(Optional<PublicKey> trusted, Map<String, PublicKey> recorded) {
        this.trusted = trusted;
        this.recorded = recorded;
        if (trusted.isEmpty()) {
            notes.add("signatures were checked against the public keys stored in the database; pass --public-key to check "
                + "them against a key you hold");
        }
    }

    /** Verifies the trail in a database, rows and checkpoints alike. */
    public static Result database(Connection c, Optional<PublicKey> trusted) throws SQLException {
        // Keys, head, checkpoints and rows from one snapshot: read one after the other, an event appended in between
        // would make a sound trail look broken (a head behind its last row). Set before any read on c.
        boolean autoCommit = c.getAutoCommit();
        int isolation = c.getTransactionIsolation();
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        Verifier v;
        try {
            Map<String, PublicKey> recorded = new HashMap<>();
            for (Map.Entry<String, byte[]> e : AuditLog.recordedPublicKeys(c).entrySet()) {
                SigningKey.publicKeyOf(e.getValue()).ifPresent(k -> recorded.put(e.getKey(), k));
            }
            v = new Verifier(trusted, recorded);
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            c.setTransactionIsolation(isolation);
            c.setAutoCommit(autoCommit);
            throw e;
        }
        try {
            List<Checkpoint> all = AuditLog.checkpoints(c);
            AuditLog.Head head = AuditLog.head(c);
            OptionalLong first = AuditLog.firstSeq(c);
            int[] next = {0};
            long start = first.orElse(Long.MAX_VALUE);
            while (next[0] < all.size() && all.get(next[0]).seq() < start) {
                v.checkpoint(all.get(next[0]++));
            }
            if (first.isPresent()) {
                AuditLog.read(c, start, Long.MAX_VALUE, r -> {
                    try {
                        v.event(r);
                        while (next[0] < all.size() && all.get(next[0]).seq() <= r.seq()) {
                            v.checkpoint(all.get(next[0]++));
                        }
                    } catch (Broken b) {
                        throw new StopReading(b);
                    }
                });
            }
            while (next[0] < all.size()) {
                v.checkpoint(all.get(next[0]++));
            }
            v.finishAgainstHead(head);
            return v.result();
        } catch (StopReading s) {
            return v.broken(s.broken);
        } catch (AuditLog.UnreadableRowException e) {
            return v.broken(new Broken(e.seq(), e.why()));
        } catch (Broken b) {
            return v.broken(b);
        } finally {
            c.rollback();
            c.setTransactionIsolation(isolation);
            c.setAutoCommit(autoCommit);
        }
    }

    /** Carries a problem out of the row callback. */
    private static final class StopReading extends SQLException {
        private static final long serialVersionUID = 1L;
        private final transient Broken broken;

        StopReading(Broken broken) {
            this.broken = broken;
        }
    }

    void checkpoint(Checkpoint cp) throws Broken {
        checkpoints++;
        if (lastCheckpoint != null) {
            if (cp.number() != lastCheckpoint.number() + 1) {
                throw new Broken(cp.seq(), "checkpoint " + cp.number() + " follows checkpoint " + lastCheckpoint.number()
                    + (cp.number() <= lastCheckpoint.number() ? " (a replayed or reordered checkpoint)" : " (checkpoints are missing)"));
            }
            if (!Arrays.equals(cp.prev(), lastCheckpoint.digest(crypto))) {
                throw new Broken(cp.seq(), "checkpoint " + cp.number() + " does not name checkpoint " + lastCheckpoint.number()
                    + " as its predecessor (a replayed or substituted checkpoint)");
            }
            if (cp.seq() < lastCheckpoint.seq()) {
                throw new Broken(cp.seq(), "checkpoint " + cp.number() + " covers seq " + cp.seq() + ", before checkpoint "
                    + lastCheckpoint.number() + "'s seq " + lastCheckpoint.seq());
            }
        } else if (cp.number() == 1 && !Arrays.equals(cp.prev(), Hashes.GENESIS)) {
            throw new Broken(cp.seq(), "checkpoint 1 names a predecessor; the first checkpoint has none");
        }
        checkSignature(cp);
        lastCheckpoint = cp;
        if (events == 0) {
            anchor = cp;
            return;
        }
        if (cp.seq() > lastSeq) {
            throw new Broken(lastSeq + 1, "checkpoint " + cp.number() + " covers seq " + cp.seq() + ", but the trail ends at seq "
                + lastSeq + ": rows " + (lastSeq + 1) + ".." + cp.seq() + " are missing (tail truncated)");
        }
        if (cp.seq() != lastSeq) {
            throw new Broken(cp.seq(), "checkpoint " + cp.number() + " covers seq " + cp.seq() + " but comes after seq " + lastSeq);
        }
        if (!Arrays.equals(cp.head(), chainHash)) {
            throw new Broken(cp.seq(), "checkpoint " + cp.number() + " signs a different hash for seq " + cp.seq()
                + " than the chain has: rows up to it were changed");
        }
    }

    void event(AuditRecord r) throws Broken {
        if (events == 0) {
            byte[] expectedPrev;
            if (anchor != null && anchor.seq() == r.seq() - 1) {
                expectedPrev = anchor.head();
            } else if (r.seq() == 1) {
                expectedPrev = Hashes.GENESIS;
            } else {
                throw new Broken(r.seq(), "the trail starts at seq " + r.seq() + " without a signed checkpoint at seq " + (r.seq() - 1)
                    + " to anchor it: rows before it were removed");
            }
            firstSeq = r.seq();
            chainHash = expectedPrev;
        } else if (r.seq() != lastSeq + 1) {
            throw new Broken(r.seq() > lastSeq ? lastSeq + 1 : r.seq(), r.seq() > lastSeq
                ? "seq " + (lastSeq + 1) + (r.seq() - lastSeq > 2 ? ".." + (r.seq() - 1) : "") + " missing: the row after seq "
                    + lastSeq + " is seq " + r.seq() + " (rows deleted)"
                : "seq " + r.seq() + " comes after seq " + lastSeq + " (rows reordered or duplicated)");
        }
        if (!Arrays.equals(r.prevHash(), chainHash)) {
            throw new Broken(r.seq(), "its previous-hash does not match the hash of the row before it (rows swapped, replaced or "
                + "inserted)");
        }
        byte[] computed = Hashes.chain(crypto, chainHash, Canonical.event(r.seq(), r.event()));
        if (!Arrays.equals(computed, r.hash())) {
            throw new Broken(r.seq(), "its contents do not match its hash (the row was edited after it was written)");
        }
        chainHash = computed;
        lastSeq = r.seq();
        events++;
    }

    /** Ends a database check: the head row must name the last row. */
    void finishAgainstHead(AuditLog.Head head) throws Broken {
        if (head.seq() != lastSeq || (events > 0 && !Arrays.equals(head.hash(), chainHash))) {
            throw new Broken(Math.min(head.seq(), lastSeq) + 1, head.seq() > lastSeq
                ? "the head says the trail ends at seq " + head.seq() + " but the last row is seq " + lastSeq + " (tail truncated)"
                : "the head (seq " + head.seq() + ") does not match the last row (seq " + lastSeq + ")");
        }
        if (events > 0 && (lastCheckpoint == null || lastCheckpoint.seq() < lastSeq)) {
            long signedUpTo = lastCheckpoint == null ? 0 : lastCheckpoint.seq();
            notes.add("seq " + (signedUpTo + 1) + ".." + lastSeq + " are not yet covered by a signed checkpoint");
        }
    }

    /** Ends an export check: the segment must end on a signed checkpoint. */
    void finishSigned() throws Broken {
        if (events > 0 && (lastCheckpoint == null || lastCheckpoint.seq() != lastSeq)) {
            throw new Broken(lastSeq, "the segment ends at seq " + lastSeq + " without a signed checkpoint covering it (tail truncated)");
        }
    }

    Result result() {
        return new Result(true, OptionalLong.empty(), "", events, checkpoints, firstSeq, lastSeq, List.copyOf(notes));
    }

    Result broken(Broken b) {
        return new Result(false, b.seq < 0 ? OptionalLong.empty() : OptionalLong.of(b.seq), b.getMessage(), events, checkpoints,
            firstSeq, lastSeq, List.copyOf(notes));
    }

    private void checkSignature(Checkpoint cp) throws Broken {
        PublicKey key;
        if (trusted.isPresent()) {
            key = trusted.get();
            String trustedId = SigningKey.keyId(key);
            if (!trustedId.equals(cp.keyId())) {
                throw new Broken(cp.seq(), "checkpoint " + cp.number() + " says it was signed by key " + cp.keyId()
                    + ", not by the given public key " + trustedId);
            }
        } else {
            key = recorded.get(cp.keyId());
            if (key == null) {
                throw new Broken(cp.seq(), "checkpoint " + cp.number() + " names key " + cp.keyId() + ", which the database does not hold");
            }
        }
        if (!CheckpointSigner.verifies(cp, key)) {
            throw new Broken(cp.seq(), "checkpoint " + cp.number() + "'s signature does not verify with key " + cp.keyId()
                + " (forged or altered)");
        }
    }
}
