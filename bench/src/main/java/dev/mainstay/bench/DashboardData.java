package dev.mainstay.bench;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * A generated flaky-test history for one org, written with text COPY: {@value #TESTS} tests in
 * {@value #REPOS} repositories, {@value #DAYS} days of about {@value #PER_DAY} executions a day in
 * uploads of 500–2,000 executions (half of them for pull requests), and every test's verdict,
 * some transitions and some quarantines.
 *
 * <p>Failures, about 2% of executions: {@value #BROKEN} broken tests always fail; {@value #FLAKY}
 * flaky tests fail 1–30% of their runs and are retried once; one pull-request upload in ten
 * carries a bad change that fails a fifth of its tests. Failed and errored executions carry random
 * bytes standing for sealed message and stack trace, and one of 500 failure signatures; passes
 * have none. Each failing test's {@code flaky_failure_total} is added up at the end. Each day is generated from its own seed, so the data do not depend on which of the
 * two loading threads took the day.
 */
final class DashboardData {

    static final String ORG = "acme";
    static final int REPOS = 20;
    static final int TESTS = 100_000;
    static final int DAYS = 45;
    static final int PER_DAY = 220_000;
    static final int FLAKY = 3_000;
    static final int BROKEN = 400;
    static final LocalDate LAST_DAY = LocalDate.of(2026, 11, 23);
    /** The instant the dashboard is looked at: the evening of the last day. */
    static final Instant NOW = LAST_DAY.atTime(18, 0).toInstant(ZoneOffset.UTC);

    private static final String[] MODULES = {"billing", "checkout", "catalog", "search", "auth", "inventory", "shipping", "payments",
        "accounts", "notifications", "pricing", "orders", "reviews", "media", "gateway", "ledger", "reports", "tax", "fraud", "loyalty"};
    private static final String[] NOUNS = {"Order", "Cart", "Invoice", "Refund", "Customer", "Session", "Token", "Price", "Coupon",
        "Shipment", "Warehouse", "Ledger", "Account", "Payment", "Review", "Image", "Query", "Index", "Rate", "Report"};
    private static final String[] ROLES = {"Service", "Repository", "Controller", "Mapper", "Validator", "Client", "Handler", "Cache"};
    private static final String[] VERBS = {"returns", "rejects", "creates", "updates", "deletes", "retries", "caches", "sorts",
        "validates", "publishes"};
    private static final String[] WHEN = {"whenEmpty", "whenExpired", "whenMissing", "onTimeout", "withDiscount", "forGuest",
        "afterRestart", "underLoad", "withUnicode", "inParallel"};
    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_INSTANT;

    final String[] repo = new String[REPOS];
    final int[] repoStart = new int[REPOS + 1];
    final String[] testId = new String[TESTS];
    final int[] repoOf = new int[TESTS];
    final String[] file = new String[TESTS];
    final String[] classname = new String[TESTS];
    final String[] name = new String[TESTS];
    /** 0 healthy, 1 flaky, 2 broken. */
    final byte[] kind = new byte[TESTS];
    final double[] failRate = new double[TESTS];
    private final byte[][] signatures = new byte[500][];
    /** Per test, written by both loading threads. */
    private final AtomicIntegerArray runs = new AtomicIntegerArray(TESTS);
    private final AtomicIntegerArray failures = new AtomicIntegerArray(TESTS);
    private final AtomicLongArray lastSeen = new AtomicLongArray(TESTS);

    DashboardData(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        // Repositories of unequal size (the largest about ten times the smallest), tests of one repository contiguous.
        double[] weights = new double[REPOS];
        double sum = 0;
        for (int r = 0; r < REPOS; r++) {
            weights[r] = 1.0 / Math.sqrt(r + 1) + 0.1;
            sum += weights[r];
            repo[r] = ORG + "/" + MODULES[r] + "-service";
        }
        for (int r = 0; r < REPOS; r++) {
            repoStart[r + 1] = r == REPOS - 1 ? TESTS : repoStart[r] + (int) (TESTS * weights[r] / sum);
        }
        for (int r = 0; r < REPOS; r++) {
            int i = repoStart[r];
            while (i < repoStart[r + 1]) {
                String noun = NOUNS[random.nextInt(NOUNS.length)];
                String cls = "com.acme." + MODULES[r] + "." + NOUNS[random.nextInt(NOUNS.length)].toLowerCase() + "." + noun
                    + ROLES[random.nextInt(ROLES.length)] + "Test";
                String path = "src/test/java/" + cls.replace('.', '/') + ".java";
                int methods = Math.min(5 + random.nextInt(36), repoStart[r + 1] - i);
                for (int m = 0; m < methods; m++, i++) {
                    repoOf[i] = r;
                    testId[i] = HexFormat.of().formatHex(bytes(random, 16));
                    classname[i] = cls;
                    file[i] = path;
                    name[i] = VERBS[random.nextInt(VERBS.length)] + noun + "_" + WHEN[random.nextInt(WHEN.length)] + "_" + m;
                }
            }
        }
        for (int n = 0; n < FLAKY + BROKEN; ) {
            int t = random.nextInt(TESTS);
            if (kind[t] == 0) {
                kind[t] = (byte) (n < FLAKY ? 1 : 2);
                failRate[t] = n < FLAKY ? 0.01 + random.nextDouble() * 0.29 : 1.0;
                n++;
            }
        }
        for (int s = 0; s < signatures.length; s++) {
            signatures[s] = bytes(random, 16);
        }
    }

    /** Writes everything, two days at a time on two connections, printing each day as it is done; returns the executions. */
    long write(Database db, long seed) throws Exception {
        AtomicLong executions = new AtomicLong();
        AtomicInteger done = new AtomicInteger();
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int worker = w;
                work.add(pool.submit(() -> {
                    try (Connection c = db.connect()) {
                        for (int d = worker; d < DAYS; d += 2) {
                            LocalDate day = LAST_DAY.minusDays(DAYS - 1 - d);
                            long[] counts = day(c, day, new SplittableRandom(seed * 1_000 + d));
                            executions.addAndGet(counts[0]);
                            System.out.printf("  day %s: %,d executions in %,d uploads (%d/%d days, %.0f s)%n", day, counts[0], counts[1],
                                done.incrementAndGet(), DAYS, (System.nanoTime() - started) / 1e9);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        try (Connection c = db.connect()) {
            verdicts(c, new SplittableRandom(seed + 7));
            // What the flaky feature's FailureTotals adds upload by upload, added up at once (as migration 14 does for existing rows).
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO flaky_failure_total (org, test_id, repo, failures, micros) SELECT org, test_id, min(repo), count(*),"
                    + " sum(duration_us) FROM test_execution WHERE status IN ('failed', 'error') GROUP BY org, test_id");
            }
        }
        return executions.get();
    }

    /** A connection source. */
    interface Database {
        Connection connect() throws SQLException;
    }

    /** One day's partition, uploads and executions, in one transaction; returns {executions, uploads}. */
    private long[] day(Connection c, LocalDate day, SplittableRandom random) throws SQLException {
        String partition = "test_execution_p" + DateTimeFormatter.BASIC_ISO_DATE.format(day);
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS " + partition + " PARTITION OF test_execution FOR VALUES FROM ('" + day + "') TO ('"
                + day.plusDays(1) + "')");
        }
        c.setAutoCommit(false);
        int target = PER_DAY - PER_DAY / 20 + random.nextInt(PER_DAY / 10);
        long dayStart = day.atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
        StringBuilder uploads = new StringBuilder();
        CopyIn rows = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY test_execution (day, upload_id, seq, org, repo, test_id,"
            + " commit_sha, branch, report, file, classname, name, variant, status, attempt, duration_us, started_at, message, stack_trace,"
            + " stdout, stderr, failure_signature) FROM STDIN");
        StringBuilder out = new StringBuilder(1 << 20);
        long executions = 0;
        long count = 0;
        while (executions < target) {
            int r = pickRepo(random);
            int size = repoStart[r + 1] - repoStart[r];
            int shard = Math.min(size, 500 + random.nextInt(1_501));
            int from = repoStart[r] + random.nextInt(size - shard + 1);
            UUID id = new UUID(random.nextLong(), random.nextLong());
            long received = dayStart + random.nextLong(86_400_000L);
            String commit = HexFormat.of().formatHex(bytes(random, 20));
            boolean pr = random.nextInt(2) == 0;
            int pullRequest = 1_000 + random.nextInt(4_000);
            boolean badChange = pr && random.nextInt(10) == 0;
            String branch = pr ? "feature/pr-" + pullRequest : "main";
            String started = ISO.format(Instant.ofEpochMilli(received - 600_000));
            int seq = 0;
            int failed = 0;
            int errors = 0;
            int skipped = 0;
            for (int t = from; t < from + shard; t++) {
                int attempts = 1;
                for (int attempt = 1; attempt <= attempts; attempt++) {
                    String status;
                    if (t % 53 == 0) {
                        status = "skipped";
                    } else if (random.nextDouble() < failRate[t] || badChange && random.nextInt(5) == 0 && attempt == 1) {
                        status = random.nextInt(5) == 0 ? "error" : "failed";
                        if (kind[t] == 1 && attempt == 1) {
                            attempts = 2;
                        }
                    } else {
                        status = "passed";
                    }
                    seq++;
                    boolean fails = !status.equals("passed") && !status.equals("skipped");
                    failed += status.equals("failed") ? 1 : 0;
                    errors += status.equals("error") ? 1 : 0;
                    skipped += status.equals("skipped") ? 1 : 0;
                    out.append(day).append('\t').append(id).append('\t').append(seq).append('\t').append(ORG).append('\t').append(repo[r])
                        .append('\t').append(testId[t]).append('\t').append(commit).append('\t').append(branch).append("\tTEST-")
                        .append(classname[t]).append(".xml\t").append(file[t]).append('\t').append(classname[t]).append('\t')
                        .append(name[t]).append("\t\t").append(status).append('\t').append(attempt).append('\t')
                        .append(fails ? 50_000 + random.nextInt(5_000_000) : 1_000 + random.nextInt(400_000)).append('\t').append(started)
                        .append('\t');
                    if (fails) {
                        hex(out, bytes(random, 80 + random.nextInt(120))).append('\t');
                        hex(out, bytes(random, 400 + random.nextInt(1_200))).append("\t\\N\t\\N\t");
                        hex(out, signatures[random.nextInt(signatures.length)]).append('\n');
                        failures.incrementAndGet(t);
                    } else {
                        out.append("\\N\t\\N\t\\N\t\\N\t\\N\n");
                    }
                    runs.incrementAndGet(t);
                    lastSeen.accumulateAndGet(t, received, Math::max);
                    if (out.length() >= 1 << 20) {
                        flush(rows, out);
                    }
                }
            }
            executions += seq;
            count++;
            boolean infrastructure = random.nextInt(100) == 0;
            uploads.append(id).append('\t').append(ORG).append("\tstored\t").append(ISO.format(Instant.ofEpochMilli(received))).append('\t')
                .append(id).append('\t').append(seq * 180L).append('\t').append(repo[r]).append('\t').append(commit).append('\t')
                .append(branch).append('\t').append(pr ? Integer.toString(pullRequest) : "\\N").append("\tgithub-actions\tunit-tests (")
                .append(from - repoStart[r]).append(")\t").append(received).append("\thttps://github.example.com/").append(repo[r])
                .append("/actions/runs/").append(received).append('\t').append(received).append("\t1\t\t").append(started).append('\t')
                .append(ISO.format(Instant.ofEpochMilli(received))).append('\t').append(seq).append('\t')
                .append(seq - failed - errors - skipped).append('\t').append(failed).append('\t').append(errors).append('\t')
                .append(skipped).append('\t').append(seq).append('\t').append(infrastructure).append('\n');
        }
        flush(rows, out);
        rows.endCopy();
        copy(c, "COPY ingest_upload (id, org, state, received_at, idempotency_key, body_bytes, repo, commit_sha, branch, pull_request,"
            + " ci_provider, job_name, job_id, job_url, run_id, run_attempt, variant, started_at, finished_at, cases, passed, failed,"
            + " errors, skipped, attempts, infrastructure_failure) FROM STDIN", uploads);
        c.commit();
        c.setAutoCommit(true);
        return new long[] {executions, count};
    }

    private int pickRepo(SplittableRandom random) {
        int t = random.nextInt(TESTS);
        return repoOf[t];
    }

    /** Every test's verdict, transitions for the flaky and broken ones and some that recovered, and quarantines of flaky tests. */
    private void verdicts(Connection c, SplittableRandom random) throws SQLException {
        long first = LAST_DAY.minusDays(DAYS - 1).atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
        StringBuilder tests = new StringBuilder();
        StringBuilder transitions = new StringBuilder();
        StringBuilder quarantines = new StringBuilder();
        int quarantined = 0;
        for (int t = 0; t < TESTS; t++) {
            String status = switch (kind[t]) {
                case 1 -> "flaky";
                case 2 -> "broken";
                default -> "healthy";
            };
            int ran = runs.get(t);
            int failed = failures.get(t);
            long seenAt = Math.max(lastSeen.get(t), first);
            double observed = ran == 0 ? 0 : (double) failed / ran;
            String monitors = kind[t] == 1 ? (random.nextBoolean() ? "{pass_on_retry,failure_rate}" : "{pass_on_retry}") : "{}";
            long since = first + random.nextLong(Math.max(1, seenAt - first));
            String seen = ISO.format(Instant.ofEpochMilli(seenAt));
            tests.append(ORG).append('\t').append(testId[t]).append('\t').append(repo[repoOf[t]]).append('\t').append(file[t]).append('\t')
                .append(classname[t]).append('\t').append(name[t]).append("\t\t").append(status).append('\t')
                .append(ISO.format(Instant.ofEpochMilli(since))).append('\t').append(kind[t] == 0 ? observed / 4 : observed).append('\t')
                .append(Math.min(1.0, ran / 50.0)).append('\t').append(monitors).append('\t').append(ran).append('\t')
                .append(kind[t] == 1 ? failed / 2 : 0).append('\t').append(kind[t] == 1 ? failed / 3 : 0).append('\t')
                .append(kind[t] == 2 ? failed : 0).append('\t').append(ISO.format(Instant.ofEpochMilli(first))).append('\t')
                .append(seen).append('\t').append(seen).append('\n');
            if (kind[t] != 0 || random.nextInt(200) == 0) {
                // The states it went through, oldest first, ending in its status; a healthy test had recovered from flaky.
                String[] states = new String[2 + random.nextInt(3)];
                states[states.length - 1] = status;
                for (int n = states.length - 2; n >= 0; n--) {
                    states[n] = !states[n + 1].equals("healthy") ? "healthy" : kind[t] == 2 ? "broken" : "flaky";
                }
                for (int n = 1; n < states.length; n++) {
                    transitions.append(ORG).append('\t').append(testId[t]).append('\t')
                        .append(ISO.format(Instant.ofEpochMilli(since - (states.length - 1 - n) * 86_400_000L))).append('\t')
                        .append(states[n - 1]).append('\t').append(states[n]).append('\t')
                        .append(states[n].equals("flaky") ? monitors.equals("{}") ? "{failure_rate}" : monitors : "{}").append("\t{")
                        .append(new UUID(random.nextLong(), random.nextLong())).append("/1,")
                        .append(new UUID(random.nextLong(), random.nextLong())).append("/2}\n");
                }
            }
            if (kind[t] == 1 && random.nextInt(2) == 0) {
                quarantined++;
                int expiry = random.nextInt(3);
                quarantines.append(ORG).append('\t').append(testId[t]).append('\t').append(repo[repoOf[t]]).append('\t')
                    .append(expiry == 0 ? "manual\tflaky on main\tteam-" + repoOf[t] : "auto\tdetected flaky\t").append('\t')
                    .append(expiry == 0 ? "\\N" : ISO.format(NOW.plusSeconds((expiry == 1 ? 1 : -1) * (3_600L + random.nextInt(864_000)))))
                    .append('\t').append(expiry == 0 ? "dev@acme.example" : "flaky-quarantine").append('\t')
                    .append(ISO.format(Instant.ofEpochMilli(since))).append('\n');
            }
        }
        c.setAutoCommit(false);
        copy(c, "COPY flaky_test (org, test_id, repo, file, classname, name, variant, status, status_since, score, confidence, monitors,"
            + " samples, contradicted, retry_commits, failing_streak, first_seen, last_seen, scored_at) FROM STDIN", tests);
        copy(c, "COPY flaky_transition (org, test_id, at, from_status, to_status, monitors, evidence) FROM STDIN", transitions);
        copy(c, "COPY flaky_quarantine (org, test_id, repo, source, reason, owner, expires_at, quarantined_by, quarantined_at) FROM STDIN",
            quarantines);
        c.commit();
        c.setAutoCommit(true);
        System.out.printf("  %,d tests (%,d flaky, %,d broken), %,d quarantined (a third of them expired)%n", TESTS, FLAKY, BROKEN,
            quarantined);
    }

    private static void copy(Connection c, String sql, StringBuilder text) throws SQLException {
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        flush(in, text);
        in.endCopy();
    }

    private static void flush(CopyIn in, StringBuilder text) throws SQLException {
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        in.writeToCopy(bytes, 0, bytes.length);
        text.setLength(0);
    }

    /** {@code bytes} as a bytea in COPY's text format. */
    private static StringBuilder hex(StringBuilder out, byte[] bytes) {
        return HexFormat.of().formatHex(out.append("\\\\x"), bytes);
    }

    private static byte[] bytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i += 8) {
            long v = random.nextLong();
            for (int j = 0; j < 8 && i + j < n; j++) {
                b[i + j] = (byte) (v >>> (j * 8));
            }
        }
        return b;
    }
}
