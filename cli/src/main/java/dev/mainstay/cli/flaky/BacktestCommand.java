package dev.mainstay.cli.flaky;

import dev.mainstay.cli.command.Arguments;
import dev.mainstay.cli.command.Command;
import dev.mainstay.cli.command.Context;
import dev.mainstay.cli.command.ExitCode;
import dev.mainstay.cli.command.Option;
import dev.mainstay.cli.command.UsageException;
import dev.mainstay.flaky.history.Backtest;
import dev.mainstay.flaky.history.BacktestReport;
import dev.mainstay.flaky.history.HistoryException;
import dev.mainstay.flaky.history.Label;
import dev.mainstay.flaky.history.Replay;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code mainstay flaky backtest --history FILE --labels FILE [--config FILE] [--json]}:
 * precision, recall and detection latency, per monitor and overall, of the verdicts
 * {@code classify} gives, against labels that say what each test truly is.
 */
public final class BacktestCommand implements Command {


    @Override
    public String name() {
        return "flaky backtest";
    }

    @Override
    public String usage() {
        return "--history FILE --labels FILE [--config FILE] [--json]";
    }

    @Override
    public String summary() {
        return "precision, recall and detection latency of the verdicts against labelled tests";
    }

    @Override
    public List<Option> options() {
        return List.of(HistoryInput.HISTORY, Option.one("labels", "FILE", "{\"test\":…,\"truth\":\"healthy|flaky|broken\"} per line"),
            HistoryInput.CONFIG, HistoryInput.INFRASTRUCTURE, HistoryInput.JSON);
    }

    @Override
    public boolean takesFiles() {
        return false;
    }

    @Override
    public int run(Context context, Arguments arguments) throws UsageException {
        Path labelsFile = context.resolve(arguments.value("labels").orElseThrow(() -> new UsageException("--labels FILE is required")));
        List<Label> labels;
        Replay.Result replay;
        try (Reader in = Files.newBufferedReader(labelsFile, StandardCharsets.UTF_8)) {
            labels = Label.read(in);
            replay = HistoryInput.replay(context, arguments);
        } catch (NoSuchFileException e) {
            throw new UsageException("--labels " + labelsFile + ": no such file");
        } catch (IOException e) {
            throw new UsageException("--labels " + labelsFile + ": cannot be read: " + e.getMessage());
        } catch (HistoryException e) {
            context.err().println("mainstay flaky backtest: " + labelsFile + ": " + e.getMessage());
            return ExitCode.INVALID_REPORT.code();
        } catch (HistoryInput.BadInput e) {
            context.err().println("mainstay flaky backtest: " + e.getMessage());
            return ExitCode.INVALID_REPORT.code();
        }
        Backtest.Report report = Backtest.score(replay, labels);
        context.out().println(arguments.has("json") ? BacktestReport.json(report) : BacktestReport.text(report));
        return ExitCode.OK.code();
    }
}
