package dev.mainstay.bench;

import dev.mainstay.flaky.DetectionSettings;
import dev.mainstay.flaky.InfrastructureFailure;
import dev.mainstay.flaky.history.Backtest;
import dev.mainstay.flaky.history.BacktestReport;
import dev.mainstay.flaky.history.HistoryLine;
import dev.mainstay.flaky.history.HistoryReader;
import dev.mainstay.flaky.history.Label;
import dev.mainstay.flaky.history.Replay;
import dev.mainstay.testkit.TempDirs;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Detection accuracy on a generated, labelled history ({@link FlakyHistoryGenerator}), measured
 * the way {@code mainstay flaky backtest} measures it, with its default settings, and printed as
 * it prints it. Goals: precision >= 0.95 and recall >= 0.9 for tests flaking at least 5 % of the
 * time after 50 runs; broken tests never called flaky. The files are kept, so the CLI can be run
 * on them too.
 *
 * <p>Run: {@code ./mvnw -o -pl bench -am process-classes -Pflaky-accuracy} (arguments: seed, tests per repository).
 */
public final class FlakyAccuracyBenchmark {

    private FlakyAccuracyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        FlakyHistoryGenerator.Shape d = FlakyHistoryGenerator.Shape.DEFAULT;
        long seed = args.length > 0 ? Long.parseLong(args[0]) : d.seed();
        int tests = args.length > 1 ? Integer.parseInt(args[1]) : d.testsPerRepo();
        FlakyHistoryGenerator.Shape shape = new FlakyHistoryGenerator.Shape(seed, d.repos(), tests, d.days(), d.runsPerDay(),
            d.outageRate(), d.prBreakRate());
        Path dir = TempDirs.create("mainstay-flaky-history-");
        long started = System.nanoTime();
        FlakyHistoryGenerator.Written w = FlakyHistoryGenerator.write(dir, shape);
        System.out.printf("generated %s: %d executions, %d test keys, %d CI runs (%d outages) in %d ms%n", shape, w.executions(),
            w.tests(), w.runs(), w.outages(), (System.nanoTime() - started) / 1_000_000);

        started = System.nanoTime();
        List<HistoryLine> lines = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(w.history(), StandardCharsets.UTF_8)) {
            new HistoryReader().read(in, lines::add);
        }
        List<Label> labels;
        try (Reader in = Files.newBufferedReader(w.labels(), StandardCharsets.UTF_8)) {
            labels = Label.read(in);
        }
        Replay.Result replay = Replay.run(lines, DetectionSettings.DEFAULTS, InfrastructureFailure.DEFAULT_RATIO);
        Backtest.Report report = Backtest.score(replay, labels);
        System.out.printf("read and replayed %d executions of %d tests in %d ms; %d uploads left out as infrastructure failures%n",
            lines.size(), replay.tests().size(), (System.nanoTime() - started) / 1_000_000, replay.infrastructureUploads());
        System.out.println(BacktestReport.text(report));
        System.out.println(BacktestReport.json(report));
        System.out.println("history and labels kept in " + dir + " (mainstay flaky backtest --history " + w.history() + " --labels "
            + w.labels() + ")");
    }
}
