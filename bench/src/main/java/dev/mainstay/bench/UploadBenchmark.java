package dev.mainstay.bench;

import dev.mainstay.platform.crypto.FieldCipher;
import dev.mainstay.platform.crypto.FieldContext;
import dev.mainstay.platform.ingest.ExecutionWriter;
import dev.mainstay.reports.ExecutionSink;
import dev.mainstay.reports.LimitedInputStream;
import dev.mainstay.reports.ParseLimits;
import dev.mainstay.reports.ReportSummary;
import dev.mainstay.reports.Reports;
import dev.mainstay.reports.TestIdentity;
import dev.mainstay.reports.bundle.BundleLimits;
import dev.mainstay.reports.bundle.BundleReader;
import dev.mainstay.reports.bundle.BundleWriter;
import dev.mainstay.reports.bundle.UploadMetadata;
import dev.mainstay.testkit.SurefireReports;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * One upload of Surefire reports holding 100,000 executions, end to end, against a bare binary
 * COPY of the very same rows into the same table; the goal is end to end at >= 0.6 of the bare
 * COPY's rows per second.
 *
 * <p>End to end is what {@code Uploads} does for each execution, on the same classes: the gzipped
 * bundle read with {@link BundleReader} through a size limit and a SHA-256 digest, each report
 * parsed by {@link Reports} into a per-file {@link ReportSummary.Counter} and an
 * {@link ExecutionWriter} (test identity, message, stack trace and output sealed by
 * {@link FieldCipher}, binary COPY into {@code test_execution}), committed in one transaction. The
 * upload's own row and its audit event are left out: they cost the same for 10 executions or
 * 100,000. The bare COPY sends the bytes the first end-to-end run stored, read back from the table
 * (same upload id, test ids and ciphertexts), in the same 1 MiB writes, in one transaction.
 *
 * <p>Each run starts on an emptied partition after a checkpoint. Two client-only phases (read and
 * parse; read, parse and test identity) tell where the client's time goes. CPU is the JVM's
 * process CPU (the client, its GC and JIT included) and the CPU of the PostgreSQL backend serving
 * the connection ({@code /proc/<pid>/schedstat}, readable when the benchmark runs as root or as
 * PostgreSQL's user).
 *
 * <p>Run: {@code ./mvnw -o -pl bench -am process-classes -Pupload-benchmark [-Dbench.runs=5] [-Dupload.executions=100000]}
 */
public final class UploadBenchmark {

    private static final String ORG = "acme";
    private static final LocalDate DAY = LocalDate.of(2026, 11, 23);
    private static final String PARTITION = "test_execution_p20261123";
    private static final int WARM_UP_RUNS = 2;
    private static final int COPY_CHUNK = 1 << 20;

    private final FieldCipher cipher;
    private final Connection connection;
    private final UploadMetadata metadata;
    private final byte[] bundle;
    private final long serverPid;

    private UploadBenchmark(FieldCipher cipher, Connection connection, UploadMetadata metadata, byte[] bundle) throws SQLException {
        this.cipher = cipher;
        this.connection = connection;
        this.metadata = metadata;
        this.bundle = bundle;
        this.serverPid = Long.parseLong(query(connection, "SELECT pg_backend_pid()").getFirst());
    }

    /** Prints the bundle, the server's durability settings, each measured run and the medians. */
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int executions = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        Map<String, byte[]> files = SurefireReports.withExecutions(executions, 1);
        UploadMetadata metadata = new UploadMetadata("acme/shop", "4f1c2d0e9b8a7f6e5d4c3b2a1908f7e6d5c4b3a2", "main", OptionalInt.empty(),
            "github-actions", "unit-tests", "3141592653", "https://github.example.com/acme/shop/actions/runs/27182818", "27182818",
            OptionalInt.of(1), "linux-jdk21", Optional.of(Instant.parse("2026-11-23T10:00:00Z")),
            Optional.of(Instant.parse("2026-11-23T10:14:00Z")));
        byte[] bundle = bundle(metadata, files);
        System.out.printf("bundle: %d Surefire reports, %d executions, %.1f MB of XML, %.1f MB gzipped%n", files.size(), executions,
            files.values().stream().mapToLong(f -> f.length).sum() / 1e6, bundle.length / 1e6);
        try (BenchDatabase db = new BenchDatabase(); Connection c = db.connect()) {
            System.out.println("server: " + String.join(", ", query(c, "SELECT 'PostgreSQL ' || current_setting('server_version')"
                + " || ', fsync ' || current_setting('fsync') || ', synchronous_commit ' || current_setting('synchronous_commit')"
                + " || ', full_page_writes ' || current_setting('full_page_writes') || ', wal_level ' || current_setting('wal_level')"
                + " || ', shared_buffers ' || current_setting('shared_buffers')")));
            c.setAutoCommit(false);
            new UploadBenchmark(db.fieldCipher(), c, metadata, bundle).run(runs, executions);
        }
    }

    private void run(int runs, int executions) throws Exception {
        execute("CREATE TABLE " + PARTITION + " PARTITION OF test_execution FOR VALUES FROM ('" + DAY + "') TO ('" + DAY.plusDays(1) + "')");
        for (int i = 0; i < WARM_UP_RUNS; i++) {
            measure(this::upload);
        }
        check(executions);
        byte[] rows = storedRows();
        measure(() -> copy(rows));
        System.out.printf("bare COPY input: %.1f MB in PostgreSQL's binary format%n", rows.length / 1e6);

        TestIdentity.Upload identities = new TestIdentity.Upload(ORG, metadata.repo(), metadata.variant());
        List<Run> parse = new ArrayList<>();
        List<Run> identity = new ArrayList<>();
        List<Run> upload = new ArrayList<>();
        List<Run> copy = new ArrayList<>();
        for (int i = 1; i <= runs; i++) {
            parse.add(measure(() -> read(execution -> { })));
            identity.add(measure(() -> read(execution -> identities.of(execution).id())));
            upload.add(measure(this::upload));
            copy.add(measure(() -> copy(rows)));
            System.out.printf("run %d/%d: end to end %s | bare COPY %s | client only: read+parse %s, +identity %s%n", i, runs,
                upload.getLast().shown(executions), copy.getLast().shown(executions), parse.getLast().cpu(), identity.getLast().cpu());
        }
        Run e2e = Run.median(upload);
        Run bare = Run.median(copy);
        System.out.printf("median of %d runs, %d executions:%n", runs, executions);
        System.out.printf("  read + parse (client only)             %s%n", Run.median(parse).shown(executions));
        System.out.printf("  read + parse + identity (client only)  %s%n", Run.median(identity).shown(executions));
        System.out.printf("  end to end                             %s%n", e2e.shown(executions));
        System.out.printf("  bare COPY of the same rows             %s%n", bare.shown(executions));
        System.out.printf("ratio end to end / bare COPY: wall %.2f (goal >= 0.6), cpu %s (bare COPY's client+server cpu / end to end's)%n",
            (double) bare.wallNanos() / e2e.wallNanos(), bare.serverCpuNanos() < 0 || e2e.serverCpuNanos() < 0 ? "n/a"
                : String.format("%.2f", (double) (bare.clientCpuNanos() + bare.serverCpuNanos()) / (e2e.clientCpuNanos() + e2e.serverCpuNanos())));
    }

    /** What Uploads does with a body, bar the upload's own row: read, parse, identify, seal and COPY, in one transaction. */
    private void upload() throws Exception {
        ExecutionWriter writer = new ExecutionWriter(connection, cipher, ORG, UUID.randomUUID(), DAY, metadata);
        try {
            read(writer);
            writer.finish();
        } finally {
            writer.cancel();
        }
        connection.commit();
    }

    /** Reads the bundle as Uploads does (size limit, digest, a counter per report) and hands each execution to {@code sink}. */
    private void read(ExecutionSink sink) throws Exception {
        LimitedInputStream counted = new LimitedInputStream(new ByteArrayInputStream(bundle), 256L << 20);
        DigestInputStream digested = new DigestInputStream(counted, MessageDigest.getInstance("SHA-256"));
        try (BundleReader reader = new BundleReader(digested, BundleLimits.DEFAULT)) {
            reader.metadata();
            for (Optional<BundleReader.Entry> e = reader.nextReport(); e.isPresent(); e = reader.nextReport()) {
                ReportSummary.Counter counter = new ReportSummary.Counter();
                Reports.parse(e.get().name(), e.get().content(), ParseLimits.DEFAULT, reader.referencedFiles(), execution -> {
                    counter.accept(execution);
                    sink.accept(execution);
                });
                counter.summary();
            }
            digested.transferTo(OutputStream.nullOutputStream());
        }
        digested.getMessageDigest().digest();
    }

    /**
     * Checks that the last upload stored every execution and that a sealed value opens, and prints
     * a digest of the rows bar the upload id and the ciphertexts (their nonces are new each time):
     * the same bundle gives the same digest, whatever was made faster.
     */
    private void check(int executions) throws SQLException {
        List<String> stored = query(connection, "SELECT count(*) || ' ' || md5(string_agg(concat_ws('|', seq, org, repo, test_id,"
            + " commit_sha, branch, report, file, classname, name, variant, status, attempt, duration_us, started_at, message IS NULL,"
            + " stack_trace IS NULL, stdout IS NULL, stderr IS NULL), E'\\n' ORDER BY seq)) FROM " + PARTITION);
        String[] countAndDigest = stored.getFirst().split(" ");
        if (Long.parseLong(countAndDigest[0]) != executions) {
            throw new IllegalStateException("the upload stored " + countAndDigest[0] + " rows, not " + executions);
        }
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("SELECT upload_id, seq, stack_trace FROM "
            + PARTITION + " WHERE stack_trace IS NOT NULL ORDER BY seq LIMIT 1")) {
            rs.next();
            String trace = cipher.decryptString(new FieldContext(ORG, ExecutionWriter.PURPOSE, ExecutionWriter.TABLE, "stack_trace",
                rs.getString(1) + "/" + rs.getInt(2)), rs.getBytes(3));
            System.out.printf("stored: %s rows, md5 of their plain columns %s; row %d's stack trace opens: %s%n", countAndDigest[0],
                countAndDigest[1], rs.getInt(2), trace.lines().findFirst().orElse(""));
        }
        connection.commit();
    }

    /** The bytes the last upload stored, as a binary COPY of the writer's columns. */
    private byte[] storedRows() throws SQLException, IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        connection.unwrap(PGConnection.class).getCopyAPI()
            .copyOut(ExecutionWriter.COPY.replace("COPY test_execution ", "COPY " + PARTITION + " ").replace("FROM STDIN", "TO STDOUT"), out);
        connection.commit();
        return out.toByteArray();
    }

    /** The bare COPY: {@code rows} sent as they are, in the writer's chunk size, in one transaction. */
    private void copy(byte[] rows) throws SQLException {
        CopyIn in = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(ExecutionWriter.COPY);
        for (int at = 0; at < rows.length; at += COPY_CHUNK) {
            in.writeToCopy(rows, at, Math.min(COPY_CHUNK, rows.length - at));
        }
        in.endCopy();
        connection.commit();
    }

    /** Runs {@code work} on an emptied partition after a checkpoint, and times it. */
    private Run measure(Work work) throws Exception {
        execute("TRUNCATE " + PARTITION);
        execute("CHECKPOINT");
        long serverCpu = serverCpuNanos();
        long clientCpu = clientCpuNanos();
        long start = System.nanoTime();
        work.run();
        long wall = System.nanoTime() - start;
        return new Run(wall, clientCpuNanos() - clientCpu, serverCpuNanos() - serverCpu);
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
        connection.commit();
    }

    private static List<String> query(Connection c, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private static byte[] bundle(UploadMetadata metadata, Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (BundleWriter writer = new BundleWriter(out, metadata)) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                writer.add(f.getKey(), f.getValue());
            }
        }
        return out.toByteArray();
    }

    private static long clientCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** The backend's CPU time so far, from the first field of its schedstat; -1 when it cannot be read. */
    private long serverCpuNanos() {
        try {
            return Long.parseLong(Files.readString(Path.of("/proc", Long.toString(serverPid), "schedstat")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    @FunctionalInterface
    private interface Work {
        void run() throws Exception;
    }

    /** One measured run: wall time, and the CPU time of the client and of the server's backend (-1: unknown). */
    private record Run(long wallNanos, long clientCpuNanos, long serverCpuNanos) {

        static Run median(List<Run> runs) {
            return new Run(median(runs, Run::wallNanos), median(runs, Run::clientCpuNanos), median(runs, Run::serverCpuNanos));
        }

        private static long median(List<Run> runs, java.util.function.ToLongFunction<Run> of) {
            return runs.stream().mapToLong(of).sorted().skip(runs.size() / 2).findFirst().orElseThrow();
        }

        String shown(int rows) {
            return String.format("%5d ms, %7.0f rows/s, %s", wallNanos / 1_000_000, rows / (wallNanos / 1e9), cpu());
        }

        String cpu() {
            return String.format("cpu client %.2f s, server %s", clientCpuNanos / 1e9,
                serverCpuNanos < 0 ? "n/a" : String.format("%.2f s", serverCpuNanos / 1e9));
        }
    }
}
