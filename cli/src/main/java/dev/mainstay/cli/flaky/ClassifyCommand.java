package dev.mainstay.cli.flaky;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.mainstay.cli.command.Arguments;
import dev.mainstay.cli.command.Command;
import dev.mainstay.cli.command.Context;
import dev.mainstay.cli.command.ExitCode;
import dev.mainstay.cli.command.Option;
import dev.mainstay.cli.command.UsageException;
import dev.mainstay.flaky.Monitor;
import dev.mainstay.flaky.Verdict;
import dev.mainstay.flaky.history.BacktestReport;
import dev.mainstay.flaky.history.Replay;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * {@code mainstay flaky classify --history FILE [--config FILE] [--json]}: the verdict on every
 * test in a history, as the appliance would give it as of the newest execution in the file. With
 * {@code --json}, one object per test per line:
 * {@code {"repo":…,"test":…,"status":"healthy|flaky|broken","score":0..1,"confidence":0..1,
 * "monitors":[…],"detected_after_runs":N|null,"executions":N}}.
 */
public final class ClassifyCommand implements Command {

    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public String name() {
        return "flaky classify";
    }

    @Override
    public String usage() {
        return "--history FILE [--config FILE] [--json]";
    }

    @Override
    public String summary() {
        return "the appliance's flaky/broken verdict on every test in a history file";
    }

    @Override
    public List<Option> options() {
        return List.of(HistoryInput.HISTORY, HistoryInput.CONFIG, HistoryInput.INFRASTRUCTURE, HistoryInput.JSON);
    }

    @Override
    public boolean takesFiles() {
        return false;
    }

    @Override
    public int run(Context context, Arguments arguments) throws UsageException {
        Replay.Result result;
        try {
            result = HistoryInput.replay(context, arguments);
        } catch (HistoryInput.BadInput e) {
            context.err().println("mainstay flaky classify: " + e.getMessage());
            return ExitCode.INVALID_REPORT.code();
        }
        boolean json = arguments.has("json");
        for (Replay.TestResult t : result.tests()) {
            context.out().println(json ? json(t) : text(t));
        }
        return ExitCode.OK.code();
    }

    static String json(Replay.TestResult t) {
        StringWriter text = new StringWriter();
        Verdict v = t.verdict();
        try (JsonGenerator g = JSON.createGenerator(text)) {
            g.writeStartObject();
            g.writeStringField("repo", t.repo());
            g.writeStringField("test", t.test());
            g.writeStringField("status", v.status().key());
            g.writeNumberField("score", BacktestReport.round(v.score()));
            g.writeNumberField("confidence", BacktestReport.round(v.confidence()));
            g.writeArrayFieldStart("monitors");
            for (Monitor m : v.orderedMonitors()) {
                g.writeString(m.key());
            }
            g.writeEndArray();
            g.writeFieldName("detected_after_runs");
            if (t.detectedAfter().isPresent()) {
                g.writeNumber(t.detectedAfter().getAsInt());
            } else {
                g.writeNull();
            }
            g.writeNumberField("executions", t.executions());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e);
        }
        return text.toString();
    }

    private static String text(Replay.TestResult t) {
        Verdict v = t.verdict();
        String monitors = v.orderedMonitors().stream().map(Monitor::key).collect(Collectors.joining(","));
        return String.format(Locale.ROOT, "%-7s score %.3f confidence %.2f  %s  %s%s%s", v.status().key(), v.score(), v.confidence(),
            t.repo(), t.test(), monitors.isEmpty() ? "" : "  [" + monitors + "]",
            t.detectedAfter().isPresent() ? "  detected after " + t.detectedAfter().getAsInt() + " of " + t.executions() + " runs" : "");
    }

}
