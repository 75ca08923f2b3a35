package dev.mainstay.platform.ingest;

import dev.mainstay.platform.crypto.FieldCipher;
import dev.mainstay.platform.crypto.FieldContext;
import dev.mainstay.reports.ExecutionSink;
import dev.mainstay.reports.TestExecution;
import dev.mainstay.reports.TestIdentity;
import dev.mainstay.reports.bundle.UploadMetadata;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.UUID;
import org.postgresql.PGConnection;

/**
 * Writes one upload's executions into {@code test_execution} with binary COPY, on the upload's
 * connection and in its transaction: each execution's test identity, and its message, stack trace
 * and output sealed by FieldCipher under the org's {@value #PURPOSE} key, bound to the row
 * {@code <upload id>/<seq>}. Public for the benchmark that measures it against a bare COPY.
 */
public final class ExecutionWriter implements ExecutionSink {

    /** The data-key purpose of test results. */
    public static final String PURPOSE = "ingest";
    /** The table. */
    public static final String TABLE = "test_execution";
    /** The COPY statement, every column in order. */
    public static final String COPY = "COPY test_execution (day, upload_id, seq, org, repo, test_id, commit_sha, branch, report, file,"
        + " classname, name, variant, status, attempt, duration_us, started_at, message, stack_trace, stdout, stderr)"
        + " FROM STDIN (FORMAT binary)";
    private static final int COLUMNS = 21;

    private final FieldCipher cipher;
    private final String org;
    private final UUID upload;
    private final LocalDate day;
    private final UploadMetadata metadata;
    private final BinaryCopy rows;
    private int seq;

    /** Starts the COPY on {@code connection}; the partition of {@code day} must exist. */
    public ExecutionWriter(Connection connection, FieldCipher cipher, String org, UUID upload, LocalDate day, UploadMetadata metadata)
        throws SQLException {
        this.cipher = cipher;
        this.org = org;
        this.upload = upload;
        this.day = day;
        this.metadata = metadata;
        this.rows = new BinaryCopy(connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY));
    }

    /**
     * Writes one execution.
     *
     * @throws UncheckedSql when the database refuses it
     */
    @Override
    public void accept(TestExecution e) {
        TestIdentity identity = TestIdentity.of(org, metadata.repo(), e, metadata.variant());
        seq++;
        String row = upload + "/" + seq;
        try {
            rows.row(COLUMNS).date(day).uuid(upload).int4(seq).text(org).text(metadata.repo()).text(identity.id())
                .text(metadata.commit()).text(metadata.branch()).text(e.report()).text(identity.file()).text(identity.classname())
                .text(identity.name()).text(identity.variant()).text(e.status().text()).int4(e.attempt())
                .int8(e.duration().toNanos() / 1000).timestamp(e.startedAt().orElse(null))
                .bytes(seal(row, "message", e.message())).bytes(seal(row, "stack_trace", e.stackTrace()))
                .bytes(seal(row, "stdout", e.stdout())).bytes(seal(row, "stderr", e.stderr()));
        } catch (SQLException failed) {
            throw new UncheckedSql(failed);
        }
    }

    /** Ends the COPY; returns the rows written. */
    public long finish() throws SQLException {
        return rows.finish();
    }

    /** Abandons the COPY if it is still open; the transaction is rolled back after. */
    public void cancel() {
        rows.cancel();
    }

    private byte[] seal(String row, String column, String text) {
        return text.isEmpty() ? null : cipher.encryptString(new FieldContext(org, PURPOSE, TABLE, column, row), text);
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
