package dev.mainstay.reports.rspec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.mainstay.reports.ExecutionSink;
import dev.mainstay.reports.Excerpt;
import dev.mainstay.reports.JsonReports;
import dev.mainstay.reports.ParseLimits;
import dev.mainstay.reports.ReportException;
import dev.mainstay.reports.ReportParser;
import dev.mainstay.reports.ReportTimes;
import dev.mainstay.reports.TestExecution;
import dev.mainstay.reports.TestStatus;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * RSpec's JSON formatter ({@code rspec --format json}): one execution per example, read one
 * example at a time. An example is named by its {@code full_description} (its groups and its own
 * description), in its {@code file_path}; its positional {@code id} ({@code [1:2:3]}) changes
 * whenever examples are added, so it is not used. {@code passed} is passed, {@code failed} is
 * failed, {@code pending} (including {@code xit} and {@code skip}) is skipped. An example that
 * appears again (rspec-retry with JSON per attempt merged) is a further attempt. Errors outside of
 * examples (a spec file that does not load) become one execution in error, named so, carrying
 * RSpec's messages.
 */
public final class RspecJsonParser implements ReportParser {

    static final String OUTSIDE = "(errors outside of examples)";

    @Override
    public void parse(String report, InputStream in, ParseLimits limits, ExecutionSink sink) throws ReportException, IOException {
        JsonReports.read(report, in, limits, json -> read(report, json, limits, sink));
    }

    private static void read(String report, JsonParser json, ParseLimits limits, ExecutionSink sink) throws IOException, ReportException {
        if (json.nextToken() != JsonToken.START_OBJECT) {
            throw new ReportException(report, JsonReports.line(json.currentLocation()),
                "not RSpec JSON: it must be one object with an \"examples\" array");
        }
        boolean examples = false;
        long outside = 0;
        Excerpt messages = new Excerpt(limits.maxTextChars());
        Map<String, Integer> attempts = new HashMap<>();
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            JsonToken value = json.nextToken();
            switch (field) {
                case "examples" -> {
                    expect(report, json, value, JsonToken.START_ARRAY, "\"examples\" must be an array");
                    examples = true;
                    while (json.nextToken() == JsonToken.START_OBJECT) {
                        example(report, json, limits, attempts, sink);
                    }
                }
                case "messages" -> {
                    if (value == JsonToken.START_ARRAY) {
                        while (json.nextToken() == JsonToken.VALUE_STRING) {
                            messages.append(json.getText());
                            messages.append("\n");
                        }
                    } else {
                        json.skipChildren();
                    }
                }
                case "summary" -> {
                    if (value == JsonToken.START_OBJECT) {
                        while (json.nextToken() == JsonToken.FIELD_NAME) {
                            String name = json.currentName();
                            json.nextToken();
                            if (name.equals("errors_outside_of_examples_count") && json.currentToken().isNumeric()) {
                                outside = json.getLongValue();
                            }
                            json.skipChildren();
                        }
                    } else {
                        json.skipChildren();
                    }
                }
                default -> json.skipChildren();
            }
        }
        if (!examples) {
            throw new ReportException(report, JsonReports.line(json.currentLocation()),
                "not RSpec JSON: there is no \"examples\" array");
        }
        if (outside > 0) {
            sink.accept(new TestExecution(report, "", "", List.of(), OUTSIDE, "", TestStatus.ERROR, 1, Duration.ZERO,
                messages.isEmpty() ? outside + " error(s) outside of examples" : messages.text(), messages.text(), "", "",
                Optional.empty()));
        }
    }

    private static void example(String report, JsonParser json, ParseLimits limits, Map<String, Integer> attempts, ExecutionSink sink)
        throws IOException, ReportException {
        long line = json.currentLocation().getLineNr();
        String name = "";
        String file = "";
        String status = "";
        String pending = "";
        Duration took = Duration.ZERO;
        String exceptionClass = "";
        String exceptionMessage = "";
        Excerpt backtrace = new Excerpt(limits.maxTextChars());
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            JsonToken value = json.nextToken();
            switch (field) {
                case "full_description" -> name = text(json, value);
                case "file_path" -> file = text(json, value);
                case "status" -> status = text(json, value);
                case "pending_message" -> pending = text(json, value);
                case "run_time" -> took = value.isNumeric() ? ReportTimes.seconds(json.getText()) : Duration.ZERO;
                case "exception" -> {
                    if (value != JsonToken.START_OBJECT) {
                        json.skipChildren();
                        continue;
                    }
                    while (json.nextToken() == JsonToken.FIELD_NAME) {
                        String part = json.currentName();
                        JsonToken v = json.nextToken();
                        switch (part) {
                            case "class" -> exceptionClass = text(json, v);
                            case "message" -> exceptionMessage = text(json, v);
                            case "backtrace" -> {
                                if (v == JsonToken.START_ARRAY) {
                                    while (json.nextToken() == JsonToken.VALUE_STRING) {
                                        backtrace.append(json.getText());
                                        backtrace.append("\n");
                                    }
                                } else {
                                    json.skipChildren();
                                }
                            }
                            default -> json.skipChildren();
                        }
                    }
                }
                default -> json.skipChildren();
            }
        }
        TestStatus outcome = switch (status) {
            case "passed" -> TestStatus.PASSED;
            case "failed" -> TestStatus.FAILED;
            case "pending" -> TestStatus.SKIPPED;
            default -> throw new ReportException(report, OptionalLong.of(line),
                "an example's \"status\" is '" + status + "', not passed, failed or pending");
        };
        String path = file.startsWith("./") ? file.substring(2) : file;
        String key = path + '\u0000' + name;
        int attempt = attempts.merge(key, 1, Integer::sum);
        String message = outcome == TestStatus.SKIPPED ? pending
            : exceptionMessage.isEmpty() ? exceptionClass : firstLines(exceptionMessage);
        String trace = outcome == TestStatus.FAILED
            ? (exceptionClass.isEmpty() ? "" : exceptionClass + ": ") + exceptionMessage + "\n" + backtrace.text() : "";
        sink.accept(new TestExecution(report, path, "", List.of(), name.isEmpty() ? "(no name)" : name, "", outcome, attempt, took,
            Excerpt.of(message, limits.maxTextChars()), Excerpt.of(trace, limits.maxTextChars()), "", "", Optional.empty()));
    }

    private static String firstLines(String message) {
        String[] lines = message.strip().split("\n", 4);
        return String.join("\n", java.util.Arrays.asList(lines).subList(0, Math.min(3, lines.length))).strip();
    }

    private static String text(JsonParser json, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            return json.getText();
        }
        json.skipChildren();
        return "";
    }

    private static void expect(String report, JsonParser json, JsonToken actual, JsonToken wanted, String problem) throws ReportException {
        if (actual != wanted) {
            throw new ReportException(report, JsonReports.line(json.currentLocation()), problem);
        }
    }
}
