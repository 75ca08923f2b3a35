package dev.mainstay.platform.flaky;

import dev.mainstay.audit.AuditEvent;
import dev.mainstay.platform.auditing.AuditTrail;
import dev.mainstay.platform.crypto.FieldCipher;
import dev.mainstay.platform.crypto.FieldContext;
import dev.mainstay.platform.identity.AccessPolicy;
import dev.mainstay.platform.identity.Caller;
import dev.mainstay.platform.ingest.StoredExecutions;
import dev.mainstay.platform.ingest.UploadObserver;
import dev.mainstay.platform.ingest.UploadStored;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.hibernate.Session;

/**
 * Failure clusters: failures of any test of an org grouped by their failure signature (the flaky
 * module's {@code FailureSignature}), so one root cause shows once with how many tests it fails.
 *
 * <p>Written in each upload's own transaction ({@link #record}): a row per org and signature in
 * {@code flaky_failure_cluster}, its normalised text sealed under the org's {@value #PURPOSE} key;
 * the executions carry the signature since ingest. Read by {@link #top} and {@link #ofTest}, which
 * count the executions of a window. A cluster's label is decrypted only for a viewer who may read
 * failures ({@value #READ_FAILURES}), and each such read is audited as {@value #VIEW_ACTION} with
 * the clusters shown; anyone else gets the counts with the label masked.
 */
@ApplicationScoped
public class FailureClusters implements UploadObserver {

    /** The permission that reveals labels. */
    public static final String READ_FAILURES = "failures:read";
    /** The audit action of revealing labels. */
    public static final String VIEW_ACTION = "failure.view";
    /** The data-key purpose labels are sealed under: the one of the failure messages they come from. */
    static final String PURPOSE = "ingest";
    static final String TABLE = "flaky_failure_cluster";
    static final String LABEL = "label";

    @PersistenceContext(unitName = "mainstay")
    EntityManager em;

    private final FieldCipher cipher;
    private final AccessPolicy access;
    private final AuditTrail audit;

    /**
     * A cluster as a viewer sees it.
     *
     * @param id        the signature's blind index in lower-case hex
     * @param label     the normalised failure text; empty when the viewer may not read failures
     * @param tests     distinct tests with a failure of it in the window
     * @param failures  its failed and errored executions in the window
     * @param firstSeen when the org first had it, in any repository
     * @param lastSeen  the arrival of the newest upload in the window with a failure of it
     */
    public record Cluster(String id, Optional<String> label, long tests, long failures, Instant firstSeen, Instant lastSeen) {
    }

    @Inject
    FailureClusters(FieldCipher cipher, AccessPolicy access, AuditTrail audit) {
        this.cipher = cipher;
        this.access = access;
        this.audit = audit;
    }

    /** Adds the upload's signatures to the org's clusters, in the upload's transaction; in signature order, so that concurrent uploads do not deadlock. */
    @Override
    public void stored(Connection c, UploadStored upload) throws SQLException {
        if (upload.failureSignatures().isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("INSERT INTO flaky_failure_cluster (org, signature, label, first_seen, last_seen)"
            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (org, signature) DO UPDATE"
            + " SET last_seen = GREATEST(flaky_failure_cluster.last_seen, EXCLUDED.last_seen)")) {
            for (Map.Entry<String, String> signature : new TreeMap<>(upload.failureSignatures()).entrySet()) {
                s.setString(1, upload.org());
                s.setBytes(2, HexFormat.of().parseHex(signature.getKey()));
                s.setBytes(3, cipher.encryptString(label(upload.org(), signature.getKey()), signature.getValue()));
                s.setTimestamp(4, Timestamp.from(upload.receivedAt()));
                s.setTimestamp(5, Timestamp.from(upload.receivedAt()));
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /**
     * The org's clusters with failures since {@code since}, of one repository or all: most tests first, then most
     * failures, then most recent.
     *
     * @throws IllegalArgumentException when {@code limit} is not within 1 to 500
     */
    @Transactional
    public List<Cluster> top(Caller viewer, String org, Optional<String> repo, Instant since, int limit) {
        if (limit < 1 || limit > 500) {
            throw new IllegalArgumentException("limit must be within 1 and 500: " + limit);
        }
        List<Sealed> clusters = query(org, repo, Optional.empty(), since, limit);
        return reveal(viewer, org, clusters, repo.map(r -> Map.of("repo", r)).orElse(Map.of()));
    }

    /** The clusters the failures of test {@code testId} since {@code since} belong to, in {@link #top}'s order. */
    @Transactional
    public List<Cluster> ofTest(Caller viewer, String org, String testId, Instant since) {
        List<Sealed> clusters = query(org, Optional.empty(), Optional.of(testId), since, 500);
        return reveal(viewer, org, clusters, Map.of("test", testId));
    }

    /** Whether {@code viewer} may read failure text in {@code org}: a member of it whose roles grant {@value #READ_FAILURES}. */
    public boolean mayReadFailures(Caller viewer, String org) {
        return viewer.belongsTo(org) && switch (viewer) {
            case Caller.Person person -> access.grants(person.roles(), READ_FAILURES);
            case Caller.Machine machine -> machine.scopes().contains(READ_FAILURES) && access.tokenScopes().contains(READ_FAILURES);
        };
    }

    /** A cluster as read, its label still sealed. */
    private record Sealed(String id, byte[] label, long tests, long failures, Instant firstSeen, Instant lastSeen) {
        Cluster with(Optional<String> text) {
            return new Cluster(id, text, tests, failures, firstSeen, lastSeen);
        }
    }

    private List<Sealed> query(String org, Optional<String> repo, Optional<String> test, Instant since, int limit) {
        return em.unwrap(Session.class).doReturningWork(c -> {
            List<StoredExecutions.SignatureFailures> failures = StoredExecutions.failureSignatures(c, org, repo, test, since, limit);
            Map<String, Sealed> labels = new HashMap<>();
            byte[][] signatures = failures.stream().map(StoredExecutions.SignatureFailures::signature).toArray(byte[][]::new);
            try (PreparedStatement s = c.prepareStatement("SELECT signature, label, first_seen FROM flaky_failure_cluster"
                + " WHERE org = ? AND signature = ANY (?)")) {
                s.setString(1, org);
                s.setArray(2, c.createArrayOf("bytea", signatures));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        String id = HexFormat.of().formatHex(rs.getBytes(1));
                        labels.put(id, new Sealed(id, rs.getBytes(2), 0, 0, rs.getTimestamp(3).toInstant(), Instant.EPOCH));
                    }
                }
            }
            // In the order of the failures; a signature is always stored with its cluster, in the upload's transaction.
            List<Sealed> clusters = new ArrayList<>();
            for (StoredExecutions.SignatureFailures f : failures) {
                Sealed cluster = labels.get(HexFormat.of().formatHex(f.signature()));
                if (cluster != null) {
                    clusters.add(new Sealed(cluster.id(), cluster.label(), f.tests(), f.failures(), cluster.firstSeen(), f.lastSeen()));
                }
            }
            return clusters;
        });
    }

    /** The clusters with their labels if {@code viewer} may read failures, which is then audited; else masked. */
    private List<Cluster> reveal(Caller viewer, String org, List<Sealed> clusters, Map<String, String> about) {
        if (clusters.isEmpty() || !mayReadFailures(viewer, org)) {
            return clusters.stream().map(c -> c.with(Optional.empty())).toList();
        }
        List<Cluster> revealed = new ArrayList<>(clusters.size());
        for (Sealed c : clusters) {
            revealed.add(c.with(Optional.of(cipher.decryptString(label(org, c.id()), c.label()))));
        }
        Map<String, String> details = new LinkedHashMap<>(about);
        details.put("clusters", String.join(",", clusters.stream().map(Sealed::id).toList()));
        audit.record(viewer.actor(), org, VIEW_ACTION, new AuditEvent.Target("failure-clusters", org), AuditEvent.Outcome.SUCCESS, details);
        return revealed;
    }

    private static FieldContext label(String org, String id) {
        return new FieldContext(org, PURPOSE, TABLE, LABEL, id);
    }
}
