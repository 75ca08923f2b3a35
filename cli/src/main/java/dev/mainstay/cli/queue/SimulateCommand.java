package dev.mainstay.cli.queue;

import dev.mainstay.cli.command.Arguments;
import dev.mainstay.cli.command.Command;
import dev.mainstay.cli.command.Context;
import dev.mainstay.cli.command.ExitCode;
import dev.mainstay.cli.command.Option;
import dev.mainstay.cli.command.UsageException;
import dev.mainstay.queue.sim.Result;
import dev.mainstay.queue.sim.Scenario;
import dev.mainstay.queue.sim.ScenarioJson;
import dev.mainstay.queue.sim.Simulator;
import dev.mainstay.queue.sim.Strategy;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code mainstay queue simulate --scenario FILE [--strategies mainstay,serial,github,oracle] [--seed N] [--json]}: each
 * strategy run on the scenario in virtual time with the real engine. With {@code --json}, a JSON array, one object per
 * strategy; otherwise a table. The same scenario and seed print the same figures.
 */
public final class SimulateCommand implements Command {

    static final Option SCENARIO = Option.one("scenario", "FILE", "the scenario, a JSON object (see the README's merge-queue section)");
    static final Option STRATEGIES = Option.one("strategies", "LIST",
        "comma-separated, in the order to print: mainstay, serial, github, oracle (default: all four)");
    static final Option SEED = Option.one("seed", "N", "overrides the scenario's seed");
    static final Option JSON = Option.toggle("json", "a JSON array, one object per strategy, for scripts");

    @Override
    public String name() {
        return "queue simulate";
    }

    @Override
    public String usage() {
        return "--scenario FILE [--strategies mainstay,serial,github,oracle] [--seed N] [--json]";
    }

    @Override
    public String summary() {
        return "the merge queue and its baselines in virtual time on a model of your CI: tune settings before rollout";
    }

    @Override
    public List<Option> options() {
        return List.of(SCENARIO, STRATEGIES, SEED, JSON);
    }

    @Override
    public boolean takesFiles() {
        return false;
    }

    @Override
    public int run(Context context, Arguments arguments) throws UsageException {
        List<Strategy> strategies = strategies(arguments);
        Path file = context.resolve(arguments.value("scenario").orElseThrow(() -> new UsageException("--scenario FILE is required")));
        Scenario scenario;
        try {
            scenario = ScenarioJson.read(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new UsageException("--scenario " + file + ": no such file");
        } catch (MalformedInputException e) {
            context.err().println("mainstay queue simulate: " + file + ": not UTF-8 text");
            return ExitCode.INVALID_REPORT.code();
        } catch (IOException e) {
            throw new UsageException("--scenario " + file + ": cannot be read: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            context.err().println("mainstay queue simulate: " + file + ": " + e.getMessage());
            return ExitCode.INVALID_REPORT.code();
        }
        if (arguments.value("seed").isPresent()) {
            scenario = scenario.withSeed(seed(arguments.value("seed").get()));
        }
        List<Result> results = Simulator.run(scenario, strategies);
        context.out().print(arguments.has("json") ? Simulator.json(results) + "\n" : table(results));
        for (Result r : results) {
            if (r.stoppedAtCap()) {
                context.err().println("mainstay queue simulate: " + r.strategy().key() + ": the queue had not emptied 90 days after the "
                    + "last arrival; the run was stopped there and its figures count what merged until then");
            }
        }
        return ExitCode.OK.code();
    }

    private static List<Strategy> strategies(Arguments arguments) throws UsageException {
        if (arguments.value("strategies").isEmpty()) {
            return List.of(Strategy.values());
        }
        List<Strategy> out = new ArrayList<>();
        for (String key : arguments.value("strategies").get().split(",", -1)) {
            try {
                out.add(Strategy.of(key.trim()));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--strategies: " + e.getMessage());
            }
        }
        return out;
    }

    private static long seed(String text) throws UsageException {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new UsageException("--seed must be a whole number, not '" + text + "'");
        }
    }

    static String table(List<Result> results) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-9s %7s %11s %9s %9s %10s %9s %10s %8s%n", "strategy", "merged",
            "merged/h*", "p50 min", "p95 min", "runs/merge", "false ej", "violations", "drained"));
        for (Result r : results) {
            out.append(String.format(Locale.ROOT, "%-9s %7d %11.2f %9s %9s %10s %9d %10d %7.1fh%n", r.strategy().key(), r.merged(),
                r.throughputPerHour(), figure(r.ttmP50Minutes()), figure(r.ttmP95Minutes()), figure(r.ciRunsPerMerge()), r.falseEjections(),
                r.invariantViolations(), r.drainedAfterHours()));
        }
        out.append("* merged within the arrival window, per hour; p50/p95: time from enqueue to merge; drained: when the queue emptied\n");
        return out.toString();
    }

    private static String figure(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.2f", value);
    }
}
