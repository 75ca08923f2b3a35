package dev.mainstay.platform.ingest;

import dev.mainstay.flaky.FailureSignature;
import dev.mainstay.platform.crypto.FieldCipher;
import dev.mainstay.platform.crypto.FieldContext;
import dev.mainstay.reports.ExecutionSink;
import dev.mainstay.reports.TestExecution;
import dev.mainstay.reports.TestIdentity;
import dev.mainstay.reports.TestStatus;
import dev.mainstay.reports.bundle.UploadMetadata;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.postgresql.PGConnection;

/**
 * Writes one upload's executions into {@code test_execution} with binary COPY, on the upload's
 * connection and in its transaction: each execution's test identity, and its message, stack trace
 * and output sealed by FieldCipher under the org's {@value #PURPOSE} key, bound to the row
 * {@code <upload id>/<seq>}. A failed or errored execution also gets its failure signature (the
 * flaky module's {@link FailureSignature}, computed here because the text is sealed next), stored
 * as a blind index under {@value #SIGNATURE_COLUMN}; the upload's distinct signatures and their
 * texts are kept for the failure clusters ({@link #failureSignatures()}), and each failing test's
 * failures and their time are added up ({@link #failuresByTest()}). Public for the benchmark
 * that measures it against a bare COPY.
 */
public final class ExecutionWriter implements ExecutionSink {

    /** The data-key purpose of test results. */
    public static final String PURPOSE = "ingest";
    /** The table. */
    public static final String TABLE = "test_execution";
    /** The COPY statement, every column in order. */
    public static final String COPY = "COPY test_execution (day, upload_id, seq, org, repo, test_id, commit_sha, branch, report, file,"
        + " classname, name, variant, status, attempt, duration_us, started_at, message, stack_trace, stdout, stderr, failure_signature)"
        + " FROM STDIN (FORMAT binary)";
    /** The column of the failure signature's blind index. */
    public static final String SIGNATURE_COLUMN = "failure_signature";
    private static final int COLUMNS = 22;

    private final FieldCipher cipher;
    private final String org;
    private final UUID upload;
    private final LocalDate day;
    private final TestIdentity.Upload identities;
    private final BinaryCopy rows;
    /** The texts every row of the upload has, encoded once; and each status's. */
    private final byte[] orgText;
    private final byte[] repoText;
    private final byte[] commitText;
    private final byte[] branchText;
    private final byte[][] statusTexts = new byte[TestStatus.values().length][];
    /** Per test id, the failed and errored executions written and their time, in the order met. */
    private final Map<String, UploadStored.Failures> failures = new LinkedHashMap<>();
    private String report = "";
    private byte[] reportText = BinaryCopy.utf8("");
    private int seq;
    /** The current row's id, {@code <upload id>/<seq>}; null until a value of the row is sealed (most rows have none). */
    private String row;
    /** Blind index of each signature text met in this upload, so each distinct one costs one HMAC. */
    private final Map<String, byte[]> indexes = new HashMap<>();
    /** The distinct signatures of the upload, blind index in hex to normalised text, in the order met. */
    private final Map<String, String> signatures = new LinkedHashMap<>();

    /** Starts the COPY on {@code connection}; the partition of {@code day} must exist. */
    public ExecutionWriter(Connection connection, FieldCipher cipher, String org, UUID upload, LocalDate day, UploadMetadata metadata)
        throws SQLException {
        this.cipher = cipher;
        this.org = org;
        this.upload = upload;
        this.day = day;
        this.identities = new TestIdentity.Upload(org, metadata.repo(), metadata.variant());
        this.orgText = BinaryCopy.utf8(org);
        this.repoText = BinaryCopy.utf8(metadata.repo());
        this.commitText = BinaryCopy.utf8(metadata.commit());
        this.branchText = BinaryCopy.utf8(metadata.branch());
        for (TestStatus status : TestStatus.values()) {
            statusTexts[status.ordinal()] = BinaryCopy.utf8(status.text());
        }
        this.rows = new BinaryCopy(connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY));
    }

    /**
     * Writes one execution.
     *
     * @throws UncheckedSql when the database refuses it
     */
    @Override
    public void accept(TestExecution e) {
        TestIdentity identity = identities.of(e);
        seq++;
        if (e.status() == TestStatus.FAILED || e.status() == TestStatus.ERROR) {
            failures.merge(identity.id(), new UploadStored.Failures(1, e.duration().toNanos() / 1000), UploadStored.Failures::plus);
        }
        row = null;
        if (!report.equals(e.report())) {
            report = e.report();
            reportText = BinaryCopy.utf8(report);
        }
        try {
            rows.row(COLUMNS).date(day).uuid(upload).int4(seq).bytes(orgText).bytes(repoText).text(identity.id())
                .bytes(commitText).bytes(branchText).bytes(reportText).text(identity.file()).text(identity.classname())
                .text(identity.name()).text(identity.variant()).bytes(statusTexts[e.status().ordinal()]).int4(e.attempt())
                .int8(e.duration().toNanos() / 1000).timestamp(e.startedAt().orElse(null))
                .bytes(seal("message", e.message())).bytes(seal("stack_trace", e.stackTrace()))
                .bytes(seal("stdout", e.stdout())).bytes(seal("stderr", e.stderr())).bytes(signature(e));
        } catch (SQLException failed) {
            throw new UncheckedSql(failed);
        }
    }

    /** The failed and errored executions written so far, per test id: how many and their time in microseconds. */
    public Map<String, UploadStored.Failures> failuresByTest() {
        return Collections.unmodifiableMap(failures);
    }

    /** The distinct failure signatures written so far: blind index in lower-case hex to the signature's normalised text. */
    public Map<String, String> failureSignatures() {
        return Collections.unmodifiableMap(signatures);
    }

    /** The blind index of a failed or errored execution's signature; null for other executions and failures without text. */
    private byte[] signature(TestExecution e) {
        if (e.status() != TestStatus.FAILED && e.status() != TestStatus.ERROR) {
            return null;
        }
        Optional<FailureSignature> signature = FailureSignature.of(e.message(), e.stackTrace());
        if (signature.isEmpty()) {
            return null;
        }
        String text = signature.get().text();
        byte[] index = indexes.get(text);
        if (index == null) {
            index = cipher.blindIndex(org, TABLE, SIGNATURE_COLUMN, text);
            indexes.put(text, index);
            signatures.put(HexFormat.of().formatHex(index), text);
        }
        return index;
    }

    /** Ends the COPY; returns the rows written. */
    public long finish() throws SQLException {
        return rows.finish();
    }

    /** Abandons the COPY if it is still open; the transaction is rolled back after. */
    public void cancel() {
        rows.cancel();
    }

    /** {@code text} sealed for its column of the current row; the row id is made for the first value sealed in it. */
    private byte[] seal(String column, String text) {
        if (text.isEmpty()) {
            return null;
        }
        if (row == null) {
            row = upload + "/" + seq;
        }
        return cipher.encryptString(new FieldContext(org, PURPOSE, TABLE, column, row), text);
    }

    /** A database failure, carried out of the parser that called {@link #accept}. */
    public static final class UncheckedSql extends RuntimeException {
        UncheckedSql(SQLException cause) {
            super(cause);
        }

        @Override
        public synchronized SQLException getCause() {
            return (SQLException) super.getCause();
        }
    }
}
