package dev.mainstay.platform.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mainstay.audit.AuditEvent;
import dev.mainstay.flaky.InfrastructureFailure;
import dev.mainstay.platform.auditing.AuditTrail;
import dev.mainstay.platform.crypto.FieldCipher;
import dev.mainstay.platform.identity.Caller;
import dev.mainstay.reports.LimitedInputStream;
import dev.mainstay.reports.ReportException;
import dev.mainstay.reports.ReportFormat;
import dev.mainstay.reports.ReportSummary;
import dev.mainstay.reports.Reports;
import dev.mainstay.reports.bundle.BundleException;
import dev.mainstay.reports.bundle.BundleReader;
import dev.mainstay.reports.bundle.UploadMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Instance;
import jakarta.transaction.Transactional;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.hibernate.Session;

/**
 * Receives uploads: one transaction per upload claims the idempotency key, reads the bundle in
 * one pass, writes every execution with binary COPY (message, stack trace and output sealed by
 * FieldCipher under the org's {@value ExecutionWriter#PURPOSE} key), records the counts and the audit event.
 * Other features add their rows on the same connection ({@link UploadObserver}), and the audit event
 * is written there too: one connection, one transaction, whatever the class path or container.
 * Anything wrong rolls all of it back; the refusal is then recorded on its own.
 */
@ApplicationScoped
public class Uploads {

    private static final TypeReference<List<UploadReceipt.FileCounts>> FILES = new TypeReference<>() { };

    @PersistenceContext(unitName = "mainstay")
    EntityManager em;

    private final FieldCipher cipher;
    private final AuditTrail audit;
    private final UploadSettings settings;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * A stored upload's receipt.
     *
     * @param receipt  what was stored
     * @param replayed whether it was stored by an earlier request with the same idempotency key
     */
    public record Stored(UploadReceipt receipt, boolean replayed) {
    }

    private final Event<UploadStored> stored;
    private final Instance<UploadObserver> observers;

    @Inject
    Uploads(FieldCipher cipher, AuditTrail audit, UploadSettings settings, Event<UploadStored> stored, Instance<UploadObserver> observers) {
        this.stored = stored;
        this.observers = observers;
        this.cipher = cipher;
        this.audit = audit;
        this.settings = settings;
    }

    /** The UTC day whose partition holds the executions of an upload received at {@code at}. */
    static LocalDate day(Instant at) {
        return LocalDate.ofInstant(at, ZoneOffset.UTC);
    }

    /**
     * Stores the upload in {@code body}, or answers the earlier one with the same key.
     *
     * @param token the token that sent it; the upload belongs to its org
     * @param key   the idempotency key
     * @param now   when it arrived; the partition of its day must exist
     * @throws UploadRefused        when the upload is refused, for what it is
     * @throws UncheckedIOException when the body could not be read to its end (the client went away)
     */
    @Transactional(rollbackOn = Exception.class)
    public Stored receive(Caller.Machine token, String key, Instant now, InputStream body) {
        AtomicReference<UploadMetadata> described = new AtomicReference<>();
        try {
            return em.unwrap(Session.class).doReturningWork(c -> {
                try {
                    return receive(c, token, key, now, body, described);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UploadRefused | UncheckedIOException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StoreFailed(Optional.ofNullable(described.get()), e);
        }
    }

    /**
     * Mainstay failed to store an upload (the database, a bug): nothing of it was kept.
     *
     * @param metadata what the upload said of itself, when it got that far
     */
    public static final class StoreFailed extends RuntimeException {
        private final transient Optional<UploadMetadata> metadata;

        StoreFailed(Optional<UploadMetadata> metadata, RuntimeException cause) {
            super("the upload could not be stored: " + cause.getMessage(), cause);
            this.metadata = metadata;
        }

        /** What the upload said of itself, when it got that far. */
        public Optional<UploadMetadata> metadata() {
            return metadata;
        }
    }

    private Stored receive(Connection c, Caller.Machine token, String key, Instant now, InputStream body,
                           AtomicReference<UploadMetadata> described) throws SQLException, IOException {
        Optional<Stored> earlier = replay(c, token.org(), key, body);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        UUID id = UUID.randomUUID();
        try (PreparedStatement claim = c.prepareStatement("INSERT INTO ingest_upload (id, org, state, received_at, token_id,"
            + " idempotency_key) VALUES (?, ?, 'stored', ?, ?, ?) ON CONFLICT (org, idempotency_key)"
            + " WHERE idempotency_key IS NOT NULL DO NOTHING")) {
            claim.setObject(1, id);
            claim.setString(2, token.org());
            claim.setTimestamp(3, Timestamp.from(now));
            claim.setObject(4, token.tokenId());
            claim.setString(5, key);
            if (claim.executeUpdate() == 0) {
                // A request with the same key committed while this one waited for it.
                return replay(c, token.org(), key, body).orElseThrow(() -> new IllegalStateException("idempotency key vanished"));
            }
        }

        MessageDigest sha = sha256();
        LimitedInputStream counted = new LimitedInputStream(body, settings.maxBodyBytes());
        DigestInputStream digested = new DigestInputStream(counted, sha);
        UploadMetadata metadata = null;
        Map<String, String> signatures = Map.of();
        Map<String, UploadStored.Failures> failures = Map.of();
        List<UploadReceipt.FileCounts> files = new ArrayList<>();
        try (BundleReader reader = new BundleReader(digested, settings.bundleLimits())) {
            try {
                metadata = reader.metadata();
                described.set(metadata);
                ExecutionWriter writer = new ExecutionWriter(c, cipher, token.org(), id, day(now), metadata);
                try {
                    for (Optional<BundleReader.Entry> e = reader.nextReport(); e.isPresent(); e = reader.nextReport()) {
                        files.add(parse(reader, e.get(), writer));
                    }
                    if (files.isEmpty()) {
                        throw new UploadRefused(422, "No reports", "the bundle holds " + UploadMetadata.ENTRY
                            + " but no report files; add JUnit XML, Bazel BEP, RSpec or xcresult JSON files after it");
                    }
                    writer.finish();
                    signatures = writer.failureSignatures();
                    failures = writer.failuresByTest();
                } finally {
                    writer.cancel();
                }
                digested.transferTo(OutputStream.nullOutputStream());
            } catch (BundleException e) {
                throw refusal(e);
            } catch (ReportException e) {
                // A parser may report the archive's own failure (damaged, cut short, too large) as the report's.
                throw streamFailure(counted, reader).orElseGet(() -> new UploadRefused(422,
                    e.report().equals(UploadMetadata.ENTRY) ? "Invalid " + UploadMetadata.ENTRY : "Unreadable report",
                    e.getMessage(), Optional.of(e.report()), e.line()));
            } catch (IOException e) {
                throw streamFailure(counted, reader).orElseThrow(() -> e);
            }
        } catch (BundleException e) {
            throw refusal(e);
        } catch (UploadRefused e) {
            throw metadata == null ? e : e.about(metadata);
        } catch (IOException e) {
            throw bodyTooLarge(counted).orElseThrow(() -> e);
        }

        long cases = files.stream().mapToLong(UploadReceipt.FileCounts::cases).sum();
        long passed = files.stream().mapToLong(UploadReceipt.FileCounts::passed).sum();
        long failed = files.stream().mapToLong(UploadReceipt.FileCounts::failed).sum();
        long errors = files.stream().mapToLong(UploadReceipt.FileCounts::errors).sum();
        long skipped = files.stream().mapToLong(UploadReceipt.FileCounts::skipped).sum();
        long attempts = files.stream().mapToLong(UploadReceipt.FileCounts::attempts).sum();
        long ran = cases - skipped;
        boolean infrastructure = InfrastructureFailure.probable(failed + errors, ran, settings.infrastructureFailureRatio());
        UploadReceipt receipt = new UploadReceipt(id, metadata.repo(), metadata.commit(), now, List.copyOf(files), cases, passed, failed,
            errors, skipped, attempts, infrastructure);
        try (PreparedStatement s = c.prepareStatement("UPDATE ingest_upload SET body_sha256 = ?, body_bytes = ?, files = ?::jsonb,"
            + " cases = ?, passed = ?, failed = ?, errors = ?, skipped = ?, attempts = ?, infrastructure_failure = ? WHERE id = ?")) {
            s.setBytes(1, sha.digest());
            s.setLong(2, counted.bytesRead());
            s.setString(3, json.writeValueAsString(files));
            s.setLong(4, cases);
            s.setLong(5, passed);
            s.setLong(6, failed);
            s.setLong(7, errors);
            s.setLong(8, skipped);
            s.setLong(9, attempts);
            s.setBoolean(10, infrastructure);
            s.setObject(11, id);
            s.executeUpdate();
        }
        describe(c, id, metadata);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("repo", metadata.repo());
        details.put("commit", metadata.commit());
        details.put("files", Integer.toString(files.size()));
        details.put("cases", Long.toString(cases));
        details.put("attempts", Long.toString(attempts));
        details.put("infrastructureFailure", Boolean.toString(infrastructure));
        audit.record(c, token.actor(), token.org(), "upload.create", new AuditEvent.Target("upload", id.toString()),
            AuditEvent.Outcome.SUCCESS, details);
        UploadStored upload = new UploadStored(id, token.org(), metadata.repo(), now, infrastructure, signatures, failures);
        for (UploadObserver observer : observers) {
            observer.stored(c, upload);
        }
        // For observers of the commit (AFTER_SUCCESS): what is written in the transaction was written above, on c.
        stored.fire(upload);
        return new Stored(receipt, false);
    }

    /**
     * Records a refused upload, after its transaction was rolled back, so the Uploads page can say
     * why; it claims no idempotency key, so the same upload can be sent again.
     */
    @Transactional
    public UUID refused(Caller.Machine token, Instant now, UploadRefused refusal) {
        UUID id = UUID.randomUUID();
        em.unwrap(Session.class).doWork(c -> {
            try (PreparedStatement s = c.prepareStatement("INSERT INTO ingest_upload (id, org, state, received_at, token_id,"
                + " problem_status, problem) VALUES (?, ?, 'refused', ?, ?, ?, ?)")) {
                s.setObject(1, id);
                s.setString(2, token.org());
                s.setTimestamp(3, Timestamp.from(now));
                s.setObject(4, token.tokenId());
                s.setInt(5, refusal.status());
                s.setString(6, refusal.detail());
                s.executeUpdate();
            }
            if (refusal.metadata().isPresent()) {
                describe(c, id, refusal.metadata().get());
            }
        });
        Map<String, String> details = new LinkedHashMap<>();
        refusal.metadata().ifPresent(m -> details.put("repo", m.repo()));
        details.put("status", Integer.toString(refusal.status()));
        details.put("problem", refusal.detail());
        audit.record(token.actor(), token.org(), "upload.create", new AuditEvent.Target("upload", id.toString()), AuditEvent.Outcome.FAILURE,
            details);
        return id;
    }

    /** The org's latest uploads, newest first, of one repository or all. */
    @Transactional
    public List<UploadView> recent(String org, Optional<String> repo, int limit) {
        return em.unwrap(Session.class).doReturningWork(c -> {
            List<UploadView> views = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT id, received_at, state, repo, commit_sha, branch, pull_request, job_name,"
                + " job_url, jsonb_array_length(files), cases, passed, failed, errors, skipped, attempts, infrastructure_failure, problem,"
                + " coalesce(problem_status, 0)"
                + " FROM ingest_upload WHERE org = ? AND (CAST(? AS text) IS NULL OR repo = ?) ORDER BY received_at DESC LIMIT ?")) {
                s.setString(1, org);
                s.setString(2, repo.orElse(null));
                s.setString(3, repo.orElse(null));
                s.setInt(4, limit);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        views.add(new UploadView(rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getInt(7), rs.getString(8), rs.getString(9), rs.getInt(10), rs.getLong(11),
                            rs.getLong(12), rs.getLong(13), rs.getLong(14), rs.getLong(15), rs.getLong(16), rs.getBoolean(17),
                            rs.getString(18), rs.getInt(19)));
                    }
                }
            }
            return views;
        });
    }

    /** Each repository's uploads since {@code since}, most recent first; refusals that named no repository count under "". */
    @Transactional
    public List<UploadView.RepoActivity> activity(String org, Instant since) {
        return em.unwrap(Session.class).doReturningWork(c -> {
            List<UploadView.RepoActivity> repos = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT repo, count(*) FILTER (WHERE state = 'stored'),"
                + " count(*) FILTER (WHERE state = 'refused'), max(received_at) FROM ingest_upload WHERE org = ? AND received_at >= ?"
                + " GROUP BY repo ORDER BY max(received_at) DESC")) {
                s.setString(1, org);
                s.setTimestamp(2, Timestamp.from(since));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        repos.add(new UploadView.RepoActivity(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getTimestamp(4).toInstant()));
                    }
                }
            }
            return repos;
        });
    }

    private UploadReceipt.FileCounts parse(BundleReader reader, BundleReader.Entry entry, ExecutionWriter writer)
        throws ReportException, IOException, SQLException {
        ReportSummary.Counter counter = new ReportSummary.Counter();
        ReportFormat format;
        try {
            format = Reports.parse(entry.name(), entry.content(), settings.parseLimits(), reader.referencedFiles(), execution -> {
                counter.accept(execution);
                writer.accept(execution);
            });
        } catch (ExecutionWriter.UncheckedSql e) {
            throw e.getCause();
        }
        ReportSummary s = counter.summary();
        return new UploadReceipt.FileCounts(entry.name(), format.text(), s.cases(), s.passed(), s.failed(), s.errors(), s.skipped(),
            s.attempts());
    }

    private Optional<Stored> replay(Connection c, String org, String key, InputStream body) throws SQLException, IOException {
        try (PreparedStatement s = c.prepareStatement("SELECT id, body_sha256, received_at, repo, commit_sha, files, cases, passed, failed,"
            + " errors, skipped, attempts, infrastructure_failure FROM ingest_upload WHERE org = ? AND idempotency_key = ?")) {
            s.setString(1, org);
            s.setString(2, key);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                MessageDigest sha = sha256();
                LimitedInputStream counted = new LimitedInputStream(body, settings.maxBodyBytes());
                try (DigestInputStream in = new DigestInputStream(counted, sha)) {
                    in.transferTo(OutputStream.nullOutputStream());
                } catch (LimitedInputStream.TooLarge e) {
                    throw bodyTooLarge(counted).orElseThrow();
                }
                UUID id = rs.getObject(1, UUID.class);
                if (!MessageDigest.isEqual(sha.digest(), rs.getBytes(2))) {
                    throw new UploadRefused(422, "Idempotency key reused", "the Idempotency-Key '" + key + "' was used for another bundle"
                        + " (upload " + id + " of " + rs.getTimestamp(3).toInstant() + "); use a new key for new results");
                }
                List<UploadReceipt.FileCounts> files;
                try {
                    files = json.readValue(rs.getString(6), FILES);
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("upload " + id + " has unreadable file counts", e);
                }
                return Optional.of(new Stored(new UploadReceipt(id, rs.getString(4), rs.getString(5), rs.getTimestamp(3).toInstant(), files,
                    rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), rs.getLong(11), rs.getLong(12), rs.getBoolean(13)), true));
            }
        }
    }

    private static void describe(Connection c, UUID id, UploadMetadata m) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE ingest_upload SET repo = ?, commit_sha = ?, branch = ?, pull_request = ?,"
            + " ci_provider = ?, job_name = ?, job_id = ?, job_url = ?, run_id = ?, run_attempt = ?, variant = ?, started_at = ?,"
            + " finished_at = ? WHERE id = ?")) {
            s.setString(1, m.repo());
            s.setString(2, m.commit());
            s.setString(3, m.branch());
            setInt(s, 4, m.pullRequest().isPresent() ? m.pullRequest().getAsInt() : null);
            s.setString(5, m.ciProvider());
            s.setString(6, m.jobName());
            s.setString(7, m.jobId());
            s.setString(8, m.jobUrl());
            s.setString(9, m.runId());
            setInt(s, 10, m.runAttempt().isPresent() ? m.runAttempt().getAsInt() : null);
            s.setString(11, m.variant());
            s.setTimestamp(12, m.startedAt().map(Timestamp::from).orElse(null));
            s.setTimestamp(13, m.finishedAt().map(Timestamp::from).orElse(null));
            s.setObject(14, id);
            s.executeUpdate();
        }
    }

    private static void setInt(PreparedStatement s, int index, Integer value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.INTEGER);
        } else {
            s.setInt(index, value);
        }
    }

    /** Why reading the body failed, when it was the body: too large, or not a readable bundle. */
    private Optional<UploadRefused> streamFailure(LimitedInputStream counted, BundleReader reader) {
        return bodyTooLarge(counted).or(() -> reader.failure().map(Uploads::refusal));
    }

    private Optional<UploadRefused> bodyTooLarge(LimitedInputStream counted) {
        if (counted.bytesRead() <= settings.maxBodyBytes()) {
            return Optional.empty();
        }
        return Optional.of(new UploadRefused(413, "Too large", "the body is larger than the limit of " + settings.maxBodyBytes()
            + " bytes (" + UploadSettings.MAX_BODY_BYTES + ")"));
    }

    private static UploadRefused refusal(BundleException e) {
        return switch (e.kind()) {
            case MALFORMED -> new UploadRefused(400, "Malformed bundle", e.getMessage());
            case TOO_LARGE -> new UploadRefused(413, "Too large", e.getMessage());
            case INVALID -> new UploadRefused(422, "Invalid bundle", e.getMessage());
        };
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
