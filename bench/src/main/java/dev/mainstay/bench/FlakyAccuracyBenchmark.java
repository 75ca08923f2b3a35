package dev.mainstay.bench;

import dev.mainstay.cli.Main;
import dev.mainstay.testkit.TempDirs;
import java.nio.file.Path;
import java.util.Map;

/**
 * Detection accuracy on a generated, labelled history ({@link FlakyHistoryGenerator}), measured
 * by the CLI's own {@code mainstay flaky backtest}, exactly as a user would run it. Goals:
 * precision >= 0.95 and recall >= 0.9 for tests flaking at least 5 % of the time after 50 runs;
 * broken tests never called flaky.
 *
 * <p>Run: {@code ./mvnw -o -pl bench -am package -DskipTests -Pflaky-accuracy} (arguments: seed, tests per repository).
 */
public final class FlakyAccuracyBenchmark {

    private FlakyAccuracyBenchmark() {
    }

    public static void main(String[] args) {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : FlakyHistoryGenerator.Shape.DEFAULT.seed();
        int tests = args.length > 1 ? Integer.parseInt(args[1]) : FlakyHistoryGenerator.Shape.DEFAULT.testsPerRepo();
        FlakyHistoryGenerator.Shape d = FlakyHistoryGenerator.Shape.DEFAULT;
        FlakyHistoryGenerator.Shape shape = new FlakyHistoryGenerator.Shape(seed, d.repos(), tests, d.days(), d.runsPerDay(),
            d.outageRate(), d.prBreakRate());
        Path dir = TempDirs.create("mainstay-flaky-history-");
        long started = System.nanoTime();
        FlakyHistoryGenerator.Written w = FlakyHistoryGenerator.write(dir, shape);
        System.out.printf("generated %s: %d executions, %d test keys, %d CI runs (%d outages) in %d ms%n", shape, w.executions(),
            w.tests(), w.runs(), w.outages(), (System.nanoTime() - started) / 1_000_000);
        String[] common = {"--history", w.history().toString(), "--labels", w.labels().toString()};
        started = System.nanoTime();
        int code = Main.run(concat(new String[] {"flaky", "backtest"}, common), Map.of(), dir, System.out, System.err);
        System.out.printf("backtest (replay + scoring) took %d ms, exit %d%n", (System.nanoTime() - started) / 1_000_000, code);
        code = Main.run(concat(new String[] {"flaky", "backtest", "--json"}, common), Map.of(), dir, System.out, System.err);
        System.out.println("history and labels kept in " + dir);
        if (code != 0) {
            System.exit(code);
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
