package dev.mainstay.bench;

import dev.mainstay.platform.flaky.DashboardQueries;
import dev.mainstay.platform.flaky.FlakyDashboard;
import dev.mainstay.platform.flaky.FlakyDashboard.Filter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The flaky-test dashboard's queries ({@link DashboardQueries}, as the pages run them) against 45
 * days of about 220,000 executions a day in one org ({@link DashboardData}); the goal is every
 * query under 200 ms at the 95th percentile.
 *
 * <p>Starts embedded PostgreSQL, applies the migrations, generates the data with COPY (printing
 * each day), vacuums and analyzes, then times each query: {@value #WARM_UP} unmeasured runs, then
 * the given number of measured runs with parameters varied from run to run (repository, page,
 * search term, status, test), and prints p50, p95 and max in milliseconds.
 *
 * <p>With {@code -Ddashboard.data=<directory>} the database is kept there: a later run on the
 * same directory skips the generation and migrates the data to the current schema first, so the
 * queries can be timed before and after a migration on the same rows.
 *
 * <p>Run: {@code ./mvnw -o -pl bench -am process-classes -Pdashboard-benchmark [-Ddashboard.runs=50] [-Ddashboard.data=/var/tmp/dashbench]}
 */
public final class DashboardBenchmark {

    private static final long SEED = 20261123;
    private static final int WARM_UP = 5;
    private static final String[] TERMS = {"refund", "checkout", "whenexpired", "cachetest", "validates", "ledger/", "unicode_3",
        "couponmapper", "xyz-not-there", "session"};

    private final Connection c;
    private final DashboardData data;
    private final int runs;

    private DashboardBenchmark(Connection c, DashboardData data, int runs) {
        this.c = c;
        this.data = data;
        this.runs = runs;
    }

    /** Generates (unless the kept data directory has the data already), then prints each query's figures. */
    public static void main(String[] args) throws Exception {
        String kept = System.getProperty("dashboard.data", "");
        int runs = Integer.parseInt(System.getProperty("dashboard.runs", "50"));
        DashboardData data = new DashboardData(SEED);
        try (BenchDatabase db = kept.isBlank() ? new BenchDatabase() : new BenchDatabase(Files.createDirectories(Path.of(kept)));
             Connection c = db.connect()) {
            System.out.println("server: " + one(c, "SELECT 'PostgreSQL ' || current_setting('server_version') || ', shared_buffers '"
                + " || current_setting('shared_buffers') || ', work_mem ' || current_setting('work_mem') || ', synchronous_commit '"
                + " || current_setting('synchronous_commit') || ', schema version ' || (SELECT version FROM flyway_schema_history ORDER BY installed_rank DESC LIMIT 1)"));
            if (one(c, "SELECT EXISTS (SELECT 1 FROM flaky_test)").equals("t")) {
                System.out.println("data: kept from an earlier run in " + kept);
            } else {
                generate(db, data, c);
            }
            System.out.println("data: " + one(c, "SELECT (SELECT count(*) FROM test_execution) || ' executions ('"
                + " || (SELECT count(*) FROM test_execution WHERE status IN ('failed', 'error')) || ' failed or errored) in '"
                + " || (SELECT count(*) FROM ingest_upload) || ' uploads, ' || (SELECT count(*) FROM flaky_test) || ' tests, '"
                + " || (SELECT count(*) FROM flaky_transition) || ' transitions, ' || (SELECT count(*) FROM flaky_quarantine)"
                + " || ' quarantines; database ' || pg_size_pretty(pg_database_size(current_database()))"));
            new DashboardBenchmark(c, data, runs).measure();
        }
    }

    private static void generate(BenchDatabase db, DashboardData data, Connection c) throws Exception {
        System.out.printf("generating %d days of about %,d executions a day, %,d tests in %d repositories%n", DashboardData.DAYS,
            DashboardData.PER_DAY, DashboardData.TESTS, DashboardData.REPOS);
        long started = System.nanoTime();
        long executions = data.write(db::connect, SEED);
        long written = System.nanoTime();
        try (Statement s = c.createStatement()) {
            s.execute("VACUUM (ANALYZE)");
        }
        long analyzed = System.nanoTime();
        System.out.printf("generated %,d executions in %.0f s (%,.0f rows/s), VACUUM (ANALYZE) %.0f s%n", executions,
            (written - started) / 1e9, executions / ((written - started) / 1e9), (analyzed - written) / 1e9);
    }

    private void measure() throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("ANALYZE");
        }
        String org = DashboardData.ORG;
        var now = DashboardData.NOW;
        int days = FlakyDashboard.TREND_DAYS;
        int size = FlakyDashboard.PAGE_SIZE;
        System.out.printf("%-44s %9s %9s %9s  (ms over %d runs after %d warm-up)%n", "query", "p50", "p95", "max", runs, WARM_UP);
        time("counts, all repositories", r -> DashboardQueries.counts(c, org, Optional.empty(), now));
        time("counts, one repository", r -> DashboardQueries.counts(c, org, Optional.of(repo(r)), now));
        time("trend, all repositories", r -> DashboardQueries.trend(c, org, Optional.empty(), now, days));
        time("trend, one repository", r -> DashboardQueries.trend(c, org, Optional.of(repo(r)), now, days));
        time("impact top 10, all repositories", r -> DashboardQueries.impact(c, org, Optional.empty(), now, days, 10));
        time("impact top 10, one repository", r -> DashboardQueries.impact(c, org, Optional.of(repo(r)), now, days, 10));
        time("tests, page 1 by score", r -> DashboardQueries.tests(c, org, filter(Optional.empty(), "score"), 1, size, now));
        time("tests, deep page (1000-2000) by score",
            r -> DashboardQueries.tests(c, org, filter(Optional.empty(), "score"), 1_000 + r.nextInt(1_000), size, now));
        time("tests, page 1 by last seen", r -> DashboardQueries.tests(c, org, filter(Optional.empty(), "last_seen"), 1, size, now));
        time("tests, page 1 by name", r -> DashboardQueries.tests(c, org, filter(Optional.empty(), "name"), 1, size, now));
        time("tests, deep page (1000-2000) by name",
            r -> DashboardQueries.tests(c, org, filter(Optional.empty(), "name"), 1_000 + r.nextInt(1_000), size, now));
        time("tests, one repository, page 1 by score",
            r -> DashboardQueries.tests(c, org, filter(Optional.of(repo(r)), "score"), 1, size, now));
        time("tests, search term, page 1",
            r -> DashboardQueries.tests(c, org, new Filter(Optional.empty(), Optional.empty(), Optional.of(TERMS[r.nextInt(TERMS.length)]),
                false, "score"), 1, size, now));
        time("tests, search term in one repository",
            r -> DashboardQueries.tests(c, org, new Filter(Optional.of(repo(r)), Optional.empty(),
                Optional.of(TERMS[r.nextInt(TERMS.length)]), false, "score"), 1, size, now));
        time("tests, status filter, page 1",
            r -> DashboardQueries.tests(c, org, new Filter(Optional.empty(), Optional.of(List.of("flaky", "broken", "healthy").get(r.nextInt(3))),
                Optional.empty(), false, "score"), 1, size, now));
        time("tests, quarantined only, page 1",
            r -> DashboardQueries.tests(c, org, new Filter(Optional.empty(), Optional.empty(), Optional.empty(), true, "score"), 1, size, now));
        time("detail: test row", r -> DashboardQueries.test(c, org, test(r), now));
        time("detail: transitions", r -> DashboardQueries.transitions(c, org, test(r), FlakyDashboard.TRANSITIONS));
        time("detail: newest executions", r -> DashboardQueries.executions(c, org, test(r), FlakyDashboard.EXECUTIONS));
    }

    private String repo(SplittableRandom r) {
        return data.repo[r.nextInt(DashboardData.REPOS)];
    }

    /** A random test, half the time one detection calls flaky or broken (the ones people open). */
    private String test(SplittableRandom r) {
        while (true) {
            int t = r.nextInt(DashboardData.TESTS);
            if (r.nextBoolean() || data.kind[t] != 0) {
                return data.testId[t];
            }
        }
    }

    private static Filter filter(Optional<String> repo, String sort) {
        return new Filter(repo, Optional.empty(), Optional.empty(), false, sort);
    }

    private interface Query {
        Object run(SplittableRandom random) throws SQLException;
    }

    private void time(String name, Query query) throws SQLException {
        SplittableRandom random = new SplittableRandom(name.hashCode());
        for (int i = 0; i < WARM_UP; i++) {
            query.run(random);
        }
        long[] nanos = new long[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            query.run(random);
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        System.out.printf("%-44s %9.1f %9.1f %9.1f%n", name, nanos[(runs - 1) / 2] / 1e6, nanos[(int) Math.ceil(runs * 0.95) - 1] / 1e6,
            nanos[runs - 1] / 1e6);
    }

    private static String one(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out.getFirst();
    }
}
