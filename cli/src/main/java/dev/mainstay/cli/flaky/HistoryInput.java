package dev.mainstay.cli.flaky;

import dev.mainstay.cli.command.Arguments;
import dev.mainstay.cli.command.Context;
import dev.mainstay.cli.command.Option;
import dev.mainstay.cli.command.UsageException;
import dev.mainstay.flaky.DetectionSettings;
import dev.mainstay.flaky.InfrastructureFailure;
import dev.mainstay.flaky.SettingsJson;
import dev.mainstay.flaky.history.HistoryException;
import dev.mainstay.flaky.history.HistoryLine;
import dev.mainstay.flaky.history.HistoryReader;
import dev.mainstay.flaky.history.Replay;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The options both flaky commands share, and reading and replaying the history they name. */
final class HistoryInput {

    static final Option HISTORY = Option.one("history", "FILE", "executions, one JSON object per line (see docs/flaky.md)");
    static final Option CONFIG = Option.one("config", "FILE", "detection settings as a JSON object; keys left out keep their defaults");
    static final Option INFRASTRUCTURE = Option.one("infrastructure-ratio", "R",
        "an upload with at least this share of failing executions is left out (default 0.8)");
    static final Option JSON = Option.toggle("json", "JSON for scripts");

    /** Why a history could not be used: a usage problem (exit 2) or a bad file (exit 1). */
    static final class BadInput extends Exception {
        BadInput(String message) {
            super(message);
        }
    }

    private HistoryInput() {
    }

    static DetectionSettings settings(Context context, Arguments arguments) throws UsageException, BadInput {
        if (arguments.value("config").isEmpty()) {
            return DetectionSettings.DEFAULTS;
        }
        Path file = context.resolve(arguments.value("config").get());
        try {
            return SettingsJson.read(Files.readString(file, StandardCharsets.UTF_8), DetectionSettings.DEFAULTS);
        } catch (NoSuchFileException e) {
            throw new UsageException("--config " + file + ": no such file");
        } catch (IOException e) {
            throw new UsageException("--config " + file + ": cannot be read: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new BadInput(file + ": " + e.getMessage());
        }
    }

    static double ratio(Arguments arguments) throws UsageException {
        String text = arguments.value("infrastructure-ratio").orElse(Double.toString(InfrastructureFailure.DEFAULT_RATIO));
        try {
            double ratio = Double.parseDouble(text);
            if (ratio > 0 && ratio <= 1) {
                return ratio;
            }
        } catch (NumberFormatException ignored) {
            // Reported below, with the accepted range.
        }
        throw new UsageException("--infrastructure-ratio must be a number above 0 and at most 1, not '" + text + "'");
    }

    /** Reads the {@code --history} file and replays it, telling on stderr what it read. */
    static Replay.Result replay(Context context, Arguments arguments) throws UsageException, BadInput {
        DetectionSettings settings = settings(context, arguments);
        double ratio = ratio(arguments);
        Path file = context.resolve(arguments.value("history").orElseThrow(() -> new UsageException("--history FILE is required")));
        List<HistoryLine> lines = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            new HistoryReader().read(in, lines::add);
        } catch (NoSuchFileException e) {
            throw new UsageException("--history " + file + ": no such file");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new BadInput(file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new UsageException("--history " + file + ": cannot be read: " + e.getMessage());
        } catch (HistoryException e) {
            throw new BadInput(file + ": " + e.getMessage());
        }
        Replay.Result result = Replay.run(lines, settings, ratio);
        context.err().println("read " + lines.size() + " executions of " + result.tests().size() + " tests from " + file + "; left out "
            + result.infrastructureUploads() + " uploads as infrastructure failures; verdicts as of " + result.asOf());
        return result;
    }
}
