package dev.mainstay.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Writes a labelled history for {@code mainstay flaky backtest}: {@code history.jsonl} (one
 * execution per line, the documented format) and {@code labels.jsonl} (the truth per test).
 *
 * <p>The model, per repository: CI runs alternate between {@code main} (a new commit each time)
 * and pull-request branches; each run is one upload holding every test. Tests are
 * <ul>
 * <li>healthy: pass, except when a pull request really breaks them (that PR run fails every
 *     attempt, and the PR's next commit fixes it);</li>
 * <li>flaky: every attempt fails on its own with the test's flake rate, log-uniform in 1–30 %;</li>
 * <li>broken from the start, or newly broken: pass until a random run, then fail every attempt;</li>
 * <li>renamed: a healthy or flaky test whose key changes at a random run (both keys are labelled);</li>
 * </ul>
 * Half the jobs retry a failed test up to twice (as Surefire's {@code rerunFailingTestsCount}
 * does); an infrastructure outage fails every test of a run. Deterministic for a seed.
 */
public final class FlakyHistoryGenerator {

    /** How big a history to write. */
    public record Shape(long seed, int repos, int testsPerRepo, int days, int runsPerDay, double outageRate, double prBreakRate) {
        public static final Shape DEFAULT = new Shape(1, 2, 1000, 45, 6, 0.01, 0.15);
    }

    /** What was written. */
    public record Written(Path history, Path labels, long executions, int tests, int runs, int outages) {
    }

    private enum Kind { HEALTHY, FLAKY, BROKEN, NEWLY_BROKEN }

    private record TestCase(String key, String renamedKey, int renameAt, Kind kind, double flakeRate, int breaksAt) {
        String keyAt(int run) {
            return renamedKey != null && run >= renameAt ? renamedKey : key;
        }
    }

    private FlakyHistoryGenerator() {
    }

    public static Written write(Path dir, Shape shape) {
        SplittableRandom random = new SplittableRandom(shape.seed());
        int runs = shape.days() * shape.runsPerDay();
        Path history = dir.resolve("history.jsonl");
        Path labels = dir.resolve("labels.jsonl");
        long executions = 0;
        int outages = 0;
        int tests = 0;
        try {
            Files.createDirectories(dir);
            try (BufferedWriter h = Files.newBufferedWriter(history, StandardCharsets.UTF_8);
                 BufferedWriter l = Files.newBufferedWriter(labels, StandardCharsets.UTF_8)) {
                for (int r = 0; r < shape.repos(); r++) {
                    String repo = "acme/service-" + r;
                    List<TestCase> cases = cases(random, shape.testsPerRepo(), runs, r);
                    tests += cases.size();
                    for (TestCase c : cases) {
                        label(l, repo, c.key(), c);
                        if (c.renamedKey() != null) {
                            label(l, repo, c.renamedKey(), c);
                            tests++;
                        }
                    }
                    Instant start = Instant.parse("2026-09-01T00:00:00Z");
                    Duration gap = Duration.ofMinutes(24 * 60 / shape.runsPerDay());
                    int prNumber = 0;
                    List<String> brokenByPr = List.of();
                    for (int run = 0; run < runs; run++) {
                        boolean main = run % 2 == 0;
                        if (!main && (brokenByPr.isEmpty() || random.nextDouble() < 0.5)) {
                            prNumber++;
                        }
                        String branch = main ? "main" : "feature/pr-" + prNumber;
                        String commit = String.format(Locale.ROOT, "%s%06d", main ? "m" : "p", run);
                        boolean outage = random.nextDouble() < shape.outageRate();
                        outages += outage ? 1 : 0;
                        boolean retries = random.nextBoolean();
                        brokenByPr = !main && random.nextDouble() < shape.prBreakRate()
                            ? List.of(cases.get(random.nextInt(cases.size())).key()) : List.of();
                        Instant at = start.plus(gap.multipliedBy(run));
                        String upload = repo + "#" + run;
                        for (TestCase c : cases) {
                            for (int attempt = 1; attempt <= (retries ? 3 : 1); attempt++) {
                                boolean fails = outage || fails(c, run, random) || brokenByPr.contains(c.key());
                                line(h, repo, c.keyAt(run), commit, branch, run, attempt, fails ? "failed" : "passed",
                                    at.plusSeconds(attempt * 30L), upload);
                                executions++;
                                if (!fails || outage) {
                                    break;
                                }
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Written(history, labels, executions, tests, runs * shape.repos(), outages);
    }

    private static List<TestCase> cases(SplittableRandom random, int count, int runs, int repo) {
        List<TestCase> cases = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            double p = random.nextDouble();
            Kind kind = p < 0.70 ? Kind.HEALTHY : p < 0.88 ? Kind.FLAKY : p < 0.93 ? Kind.BROKEN : Kind.NEWLY_BROKEN;
            double flakeRate = kind == Kind.FLAKY ? Math.exp(Math.log(0.01) + random.nextDouble() * Math.log(30)) : 0;
            int breaksAt = switch (kind) {
                case BROKEN -> 0;
                case NEWLY_BROKEN -> runs / 4 + random.nextInt(runs / 2);
                case HEALTHY, FLAKY -> Integer.MAX_VALUE;
            };
            String key = "com.acme.s" + repo + ".Module" + (i % 40) + "Test#case" + i;
            boolean renamed = (kind == Kind.HEALTHY || kind == Kind.FLAKY) && random.nextDouble() < 0.03;
            cases.add(new TestCase(key, renamed ? key + "_renamed" : null, runs / 3 + random.nextInt(runs / 3), kind, flakeRate,
                breaksAt));
        }
        return cases;
    }

    private static boolean fails(TestCase c, int run, SplittableRandom random) {
        return switch (c.kind()) {
            case HEALTHY -> false;
            case FLAKY -> random.nextDouble() < c.flakeRate();
            case BROKEN, NEWLY_BROKEN -> run >= c.breaksAt() || false;
        };
    }

    private static void label(BufferedWriter out, String repo, String test, TestCase c) throws IOException {
        String truth = switch (c.kind()) {
            case HEALTHY -> "healthy";
            case FLAKY -> "flaky";
            case BROKEN, NEWLY_BROKEN -> "broken";
        };
        out.write("{\"repo\":\"" + repo + "\",\"test\":\"" + test + "\",\"truth\":\"" + truth + "\""
            + (c.kind() == Kind.FLAKY ? String.format(Locale.ROOT, ",\"flake_rate\":%.4f", c.flakeRate()) : "")
            + ",\"kind\":\"" + c.kind().name().toLowerCase(Locale.ROOT) + "\"}\n");
    }

    private static void line(BufferedWriter out, String repo, String test, String commit, String branch, int run, int attempt,
                             String status, Instant at, String upload) throws IOException {
        out.write("{\"repo\":\"" + repo + "\",\"test\":\"" + test + "\",\"commit\":\"" + commit + "\",\"branch\":\"" + branch
            + "\",\"job\":\"unit\",\"run\":\"" + run + "\",\"attempt\":" + attempt + ",\"status\":\"" + status + "\",\"at\":\"" + at
            + "\",\"duration_ms\":" + (40 + (run * 7 + attempt) % 200) + ",\"upload\":\"" + upload + "\"}\n");
    }
}
