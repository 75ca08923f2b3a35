package dev.mainstay.reports.bazel;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.mainstay.reports.Excerpt;
import dev.mainstay.reports.ExecutionSink;
import dev.mainstay.reports.JsonReports;
import dev.mainstay.reports.LimitedInputStream;
import dev.mainstay.reports.ParseLimits;
import dev.mainstay.reports.ReferencedFiles;
import dev.mainstay.reports.ReportException;
import dev.mainstay.reports.ReportParser;
import dev.mainstay.reports.TestExecution;
import dev.mainstay.reports.TestStatus;
import dev.mainstay.reports.junit.JunitXmlParser;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Bazel's Build Event Protocol as JSON ({@code --build_event_json_file}): one compact event per
 * line, or pretty-printed events one after another. Each event is read on its own with Jackson's
 * streaming parser, in memory bounded by {@link ParseLimits}; unknown fields and event kinds are
 * skipped. Only {@code testResult} events (one attempt of one run of one shard of a test target)
 * make executions; {@code testSummary} repeats what they said and is not read.
 *
 * <p><b>Per test case.</b> When the attempt lists a {@code test.xml} among its
 * {@code testActionOutput} and {@link ReferencedFiles} can open that URI, the file is read with
 * {@link JunitXmlParser} and each of its executions is handed on with: the BEP report's name;
 * the target's label as the file when the test.xml names none; the label as the outermost suite;
 * the attempt {@code BEP attempt + (JUnit attempt − 1)}, so a test.xml of attempt 2 makes attempt
 * 2, and the rare test.xml that itself retries a test keeps its order; its start time, or else
 * the attempt's. The variant stays empty: Bazel's configuration id is a hash that changes with
 * any flag, so it must not be part of a test's identity (the uploader adds a variant).
 *
 * <p><b>Per target.</b> Otherwise one execution stands for the whole attempt: name = the label,
 * no classname, file or suites, the attempt's status, attempt number, duration and start, and for
 * anything but a pass the message {@code Bazel reported TIMEOUT} (with Bazel's status details).
 * This also happens when the test.xml holds no test case, and when it cannot be read; then the
 * message says why, after whatever executions the test.xml gave before the fault. A URI that is
 * not a valid absolute URI (the corpus holds {@code ${URI_FAIL}} placeholders) is unavailable,
 * not an error.
 *
 * <p><b>Statuses.</b> PASSED is passed; FAILED, TIMEOUT and INCOMPLETE (the test ran and did not
 * pass) are failed, and so is FLAKY, which belongs to a summary and is taken as failed should an
 * attempt carry it; REMOTE_FAILURE, FAILED_TO_BUILD and TOOL_HALTED_BEFORE_TESTING (Bazel could
 * not run the test) are errors; NO_STATUS, or none, makes no execution; a status unknown to this
 * parser is an error naming it, never a pass. Names and the proto's numbers are both read.
 *
 * <p>Runs ({@code --runs_per_test}) and shards are separate executions, each numbered by its own
 * attempts, in the order the events come.
 *
 * <p>This parser never opens a file or URL itself; only the given {@link ReferencedFiles} does.
 */
public final class BazelBepParser implements ReportParser {

    private static final String NOT_BEP = "not a Bazel Build Event Protocol JSON file";

    private final ReferencedFiles files;

    /** A parser that opens each attempt's {@code test.xml} through {@code files} ({@link ReferencedFiles#NONE}: never). */
    public BazelBepParser(ReferencedFiles files) {
        this.files = Objects.requireNonNull(files, "files");
    }

    @Override
    public void parse(String report, InputStream in, ParseLimits limits, ExecutionSink sink) throws ReportException, IOException {
        JsonReports.read(report, in, limits, json -> read(report, json, limits, sink));
    }

    private void read(String report, JsonParser json, ParseLimits limits, ExecutionSink sink) throws IOException, ReportException {
        boolean first = true;
        for (JsonToken token = json.nextToken(); token != null; token = json.nextToken()) {
            OptionalLong line = JsonReports.line(json.currentTokenLocation());
            if (token != JsonToken.START_OBJECT) {
                throw new ReportException(report, line, first
                    ? "the first value is " + JsonReports.kind(token) + ", not a build event: " + NOT_BEP
                    : "a build event is " + JsonReports.kind(token) + ", not an object");
            }
            boolean hasId = false;
            TestAttempt.Id id = null;
            TestAttempt.Payload payload = null;
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                boolean object = json.nextToken() == JsonToken.START_OBJECT;
                if (object && field.equals("id")) {
                    hasId = true;
                    id = testResultId(json);
                } else if (object && field.equals("testResult")) {
                    payload = TestAttempt.Payload.read(json);
                } else {
                    json.skipChildren();
                }
            }
            if (first && !hasId) {
                throw new ReportException(report, line, "the first event has no \"id\" object: " + NOT_BEP);
            }
            first = false;
            if (id != null && payload != null) {
                record(report, TestAttempt.of(id, payload), limits, sink);
            }
        }
        if (first) {
            throw new ReportException(report, OptionalLong.empty(), "empty: no build events");
        }
    }

    /** The {@code testResult} id inside the {@code id} object {@code json} is at, or null for another kind of event. */
    private static TestAttempt.Id testResultId(JsonParser json) throws IOException {
        TestAttempt.Id id = null;
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            boolean testResult = json.currentName().equals("testResult");
            if (json.nextToken() == JsonToken.START_OBJECT && testResult) {
                id = TestAttempt.Id.read(json);
            } else {
                json.skipChildren();
            }
        }
        return id;
    }

    /** Hands over the executions of one attempt: those of its test.xml, or one for the target. */
    private void record(String report, TestAttempt attempt, ParseLimits limits, ExecutionSink sink) throws IOException {
        Optional<BazelTestStatus> known = BazelTestStatus.of(attempt.status());
        if (known.isPresent() && known.get().outcome().isEmpty()) {
            return;
        }
        TestStatus status = known.flatMap(BazelTestStatus::outcome).orElse(TestStatus.ERROR);
        String bazelStatus = known.map(Enum::name).orElseGet(() -> attempt.status().strip());
        Optional<URI> uri = attempt.testXml().flatMap(BazelBepParser::uri);
        Optional<InputStream> xml = uri.isPresent() ? files.open(uri.get()) : Optional.empty();
        String problem = "";
        if (xml.isPresent()) {
            TestCases cases = new TestCases(report, attempt, sink);
            try (InputStream in = xml.get()) {
                new JunitXmlParser().parse(uri.get().toString(), in, limits, cases);
            } catch (ReportException e) {
                problem = unreadable(e);
            } catch (LimitedInputStream.TooLarge e) {
                problem = unreadable(e.rejection(uri.get().toString()));
            }
            if (cases.count > 0 && problem.isEmpty()) {
                return;
            }
        }
        List<String> said = new ArrayList<>();
        if (status != TestStatus.PASSED) {
            said.add("Bazel reported " + bazelStatus + (attempt.details().isEmpty() ? "" : ": " + attempt.details()));
        }
        if (!problem.isEmpty()) {
            said.add(problem);
        }
        sink.accept(new TestExecution(report, "", "", List.of(), attempt.label(), "", status, attempt.attempt(), attempt.duration(),
            Excerpt.of(String.join("; ", said), limits.maxTextChars()), "", "", "", attempt.startedAt()));
    }

    /** Why an attempt's test.xml gave no executions, or not all: the rejection's line and problem (the file is the attempt's). */
    private static String unreadable(ReportException e) {
        return "could not read its test.xml (" + e.line().stream().mapToObj(l -> "line " + l + ": ").findFirst().orElse("") + e.problem() + ")";
    }

    /** The URI {@code text} names, when it is a valid absolute URI; anything else is unavailable, not an error. */
    private static Optional<URI> uri(String text) {
        try {
            URI uri = new URI(text.strip());
            return uri.isAbsolute() ? Optional.of(uri) : Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** Hands on the executions of one attempt's test.xml as executions of the BEP report, counting them. */
    private static final class TestCases implements ExecutionSink {
        private final String report;
        private final TestAttempt attempt;
        private final ExecutionSink sink;
        private long count;

        TestCases(String report, TestAttempt attempt, ExecutionSink sink) {
            this.report = report;
            this.attempt = attempt;
            this.sink = sink;
        }

        @Override
        public void accept(TestExecution x) {
            count++;
            List<String> suites = new ArrayList<>(x.suites().size() + 1);
            suites.add(attempt.label());
            suites.addAll(x.suites());
            int number = (int) Math.min(Integer.MAX_VALUE, (long) attempt.attempt() + x.attempt() - 1);
            sink.accept(new TestExecution(report, x.file().isEmpty() ? attempt.label() : x.file(), x.classname(), suites, x.name(), "",
                x.status(), number, x.duration(), x.message(), x.stackTrace(), x.stdout(), x.stderr(),
                x.startedAt().isPresent() ? x.startedAt() : attempt.startedAt()));
        }
    }
}
