package dev.mainstay.cli.check;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.mainstay.cli.command.Arguments;
import dev.mainstay.cli.command.Command;
import dev.mainstay.cli.command.Context;
import dev.mainstay.cli.command.ExitCode;
import dev.mainstay.cli.command.Option;
import dev.mainstay.cli.command.UsageException;
import dev.mainstay.reports.ReportSummary;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * {@code mainstay reports summarize [--json] FILES...}: the counts of each report, for scripts.
 * With {@code --json}, one JSON object per file per line (JSON Lines), in the order given:
 * {@code {"file":…,"format":…,"cases":N,"passed":N,"failed":N,"errors":N,"skipped":N,"attempts":N}}
 * or {@code {"file":…,"error":"…"}}.
 */
public final class SummarizeCommand implements Command {

    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public String name() {
        return "reports summarize";
    }

    @Override
    public String usage() {
        return "[--json] FILES...";
    }

    @Override
    public String summary() {
        return "count each report's cases by outcome, one line (or JSON object) per file";
    }

    @Override
    public List<Option> options() {
        return List.of(Option.toggle("json", "one JSON object per file per line, for scripts"));
    }

    @Override
    public boolean takesFiles() {
        return true;
    }

    @Override
    public int run(Context context, Arguments arguments) throws UsageException {
        List<LocalReport> reports = ValidateCommand.readAll(context, arguments);
        boolean json = arguments.has("json");
        reports.forEach(r -> context.out().println(json ? json(r) : LocalReport.line(r)));
        return ValidateCommand.exitCode(reports).code();
    }

    /** One line of JSON for {@code report}. */
    static String json(LocalReport report) {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            json.writeStringField("file", report.name());
            switch (report) {
                case LocalReport.Parsed p -> {
                    ReportSummary s = p.summary();
                    json.writeStringField("format", p.format().text());
                    json.writeNumberField("cases", s.cases());
                    json.writeNumberField("passed", s.passed());
                    json.writeNumberField("failed", s.failed());
                    json.writeNumberField("errors", s.errors());
                    json.writeNumberField("skipped", s.skipped());
                    json.writeNumberField("attempts", s.attempts());
                }
                case LocalReport.Invalid i -> json.writeStringField("error", i.problem());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e);
        }
        return text.toString();
    }
}
