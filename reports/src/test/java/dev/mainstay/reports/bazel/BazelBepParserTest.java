package dev.mainstay.reports.bazel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import dev.mainstay.reports.Corpus;
import dev.mainstay.reports.ParseLimits;
import dev.mainstay.reports.ReferencedFiles;
import dev.mainstay.reports.ReportException;
import dev.mainstay.reports.TestExecution;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the BEP parser makes of Bazel's statuses, runs, shards and test.xml files, and how it meets hostile input. */
class BazelBepParserTest {

    private static final ParseLimits SMALL = new ParseLimits(1 << 20, 16, 1024, 1024);

    private static final String STARTED = "{\"id\":{\"started\":{}},\"children\":[{\"progress\":{}}],"
        + "\"started\":{\"uuid\":\"7c1d1c52-5b1a-4a4b-9c3e-1f1e0e6a9d10\",\"startTimeMillis\":\"1733811440000\",\"command\":\"test\"}}\n";

    /** One testResult event, compact as Bazel writes it, with {@code payload} as the fields of its payload. */
    private static String event(String label, int run, int shard, int attempt, String payload) {
        return "{\"id\":{\"testResult\":{\"label\":\"" + label + "\",\"run\":" + run + ",\"shard\":" + shard + ",\"attempt\":" + attempt
            + ",\"configuration\":{\"id\":\"505b27c8ff9839fd\"}}},\"testResult\":{" + payload + "}}\n";
    }

    private static String status(String status) {
        return "\"status\":\"" + status + "\",\"testAttemptDurationMillis\":\"12\",\"testAttemptStartMillisEpoch\":\"1733811443963\"";
    }

    private static List<TestExecution> parse(String json) throws IOException, ReportException {
        return parse(json.getBytes(StandardCharsets.UTF_8), ParseLimits.DEFAULT, ReferencedFiles.NONE);
    }

    private static List<TestExecution> parse(byte[] json, ParseLimits limits, ReferencedFiles files) throws IOException, ReportException {
        List<TestExecution> all = new ArrayList<>();
        new BazelBepParser(files).parse("report.json", new ByteArrayInputStream(json), limits, all::add);
        return all;
    }

    private static String rejected(String json) {
        return rejected(json.getBytes(StandardCharsets.UTF_8), SMALL);
    }

    private static String rejected(byte[] json, ParseLimits limits) {
        return assertThrows(ReportException.class, () -> parse(json, limits, ReferencedFiles.NONE)).getMessage();
    }

    private static String line(TestExecution e) {
        return e.attempt() + " " + e.status() + " " + e.name() + (e.message().isEmpty() ? "" : " (" + e.message() + ")");
    }

    /** {@code json}'s events, one compact object a line, as {@code --build_event_json_file} writes them. */
    private static String newlineDelimited(String json) throws IOException {
        JsonFactory factory = new JsonFactory();
        StringWriter out = new StringWriter();
        try (JsonParser in = factory.createParser(json)) {
            while (in.nextToken() != null) {
                try (JsonGenerator g = factory.createGenerator(out)) {
                    g.copyCurrentStructure(in);
                }
                out.write('\n');
            }
        }
        return out.toString();
    }

    @Test
    void newline_delimited_and_pretty_printed_events_parse_to_the_same_executions(@TempDir Path dir) throws Exception {
        String pretty = Files.readString(Corpus.file("bazel-bep/trunk_bep_retries.json"))
            .replace("${URI_FAIL}", DirectoryFiles.copy("hello_test.attempt_1.test.xml", dir))
            .replace("${URI_PASS}", DirectoryFiles.copy("hello_test.attempt_2.test.xml", dir));
        String compact = newlineDelimited(pretty);
        assertEquals(3, compact.lines().count(), "one line per event");

        DirectoryFiles files = new DirectoryFiles(dir);
        List<TestExecution> fromPretty = parse(pretty.getBytes(StandardCharsets.UTF_8), ParseLimits.DEFAULT, files);
        List<TestExecution> fromCompact = parse(compact.getBytes(StandardCharsets.UTF_8), ParseLimits.DEFAULT, files);
        assertEquals(4, fromPretty.size());
        assertEquals(fromPretty, fromCompact);
        assertEquals(parse(pretty), parse(compact), "and the same without the test.xml files");
    }

    @Test
    void each_bazel_status_is_passed_failed_or_an_error_and_no_status_makes_no_execution() throws Exception {
        StringBuilder json = new StringBuilder(STARTED);
        for (String s : List.of("PASSED", "FAILED", "TIMEOUT", "INCOMPLETE", "FLAKY", "REMOTE_FAILURE", "FAILED_TO_BUILD",
            "TOOL_HALTED_BEFORE_TESTING", "NO_STATUS", "BRAND_NEW_STATUS")) {
            json.append(event("//t:" + s.toLowerCase(java.util.Locale.ROOT), 1, 1, 1, status(s)));
        }
        json.append(event("//t:without_status", 1, 1, 1, "\"testAttemptDurationMillis\":\"3\""));
        json.append(event("//t:by_number", 1, 1, 1, "\"status\":3"));
        json.append(event("//t:with_details", 1, 1, 1, "\"status\":\"FAILED\",\"statusDetails\":\"exited with error code 1\""));

        assertEquals(List.of(
                "1 PASSED //t:passed",
                "1 FAILED //t:failed (Bazel reported FAILED)",
                "1 FAILED //t:timeout (Bazel reported TIMEOUT)",
                "1 FAILED //t:incomplete (Bazel reported INCOMPLETE)",
                "1 FAILED //t:flaky (Bazel reported FLAKY)",
                "1 ERROR //t:remote_failure (Bazel reported REMOTE_FAILURE)",
                "1 ERROR //t:failed_to_build (Bazel reported FAILED_TO_BUILD)",
                "1 ERROR //t:tool_halted_before_testing (Bazel reported TOOL_HALTED_BEFORE_TESTING)",
                "1 ERROR //t:brand_new_status (Bazel reported BRAND_NEW_STATUS)",
                "1 FAILED //t:by_number (Bazel reported TIMEOUT)",
                "1 FAILED //t:with_details (Bazel reported FAILED: exited with error code 1)"),
            parse(json.toString()).stream().map(BazelBepParserTest::line).toList());
    }

    @Test
    void runs_and_shards_are_separate_executions_each_numbered_by_its_own_attempts() throws Exception {
        String json = STARTED
            + event("//t:sharded", 1, 1, 1, status("FAILED"))
            + event("//t:sharded", 1, 2, 1, status("PASSED"))
            + event("//t:sharded", 1, 1, 2, status("PASSED"))
            + event("//t:repeated", 1, 1, 1, status("PASSED"))
            + event("//t:repeated", 2, 1, 1, status("FAILED"))
            + event("//t:repeated", 2, 1, 2, status("PASSED"));

        assertEquals(List.of(
                "1 FAILED //t:sharded (Bazel reported FAILED)", "1 PASSED //t:sharded", "2 PASSED //t:sharded",
                "1 PASSED //t:repeated", "1 FAILED //t:repeated (Bazel reported FAILED)", "2 PASSED //t:repeated"),
            parse(json).stream().map(BazelBepParserTest::line).toList());
    }

    @Test
    void int64_values_are_read_as_strings_or_numbers_and_older_duration_fields_are_a_fallback() throws Exception {
        String json = "{\"id\":{\"testResult\":{\"label\":\"//t:a\",\"run\":\"1\",\"shard\":\"1\",\"attempt\":\"3\"}},"
            + "\"testResult\":{\"status\":\"PASSED\",\"testAttemptDurationMillis\":1500,\"testAttemptStartMillisEpoch\":1733811443963}}\n"
            + "{\"id\":{\"testResult\":{\"label\":\"//t:b\",\"attempt\":2}},"
            + "\"testResult\":{\"status\":\"PASSED\",\"testAttemptDuration\":\"0.043s\",\"testAttemptStart\":\"2024-12-10T06:17:23.963Z\"}}\n"
            + "{\"id\":{\"testResult\":{\"label\":\"//t:c\"}},\"testResult\":{\"status\":\"PASSED\",\"testAttemptDurationMillis\":\"soon\"}}\n";

        List<TestExecution> runs = parse(json);
        assertEquals(List.of("3 PASSED //t:a", "2 PASSED //t:b", "1 PASSED //t:c"), runs.stream().map(BazelBepParserTest::line).toList());
        assertEquals(Duration.ofMillis(1500), runs.get(0).duration());
        assertEquals(Optional.of(Instant.ofEpochMilli(1733811443963L)), runs.get(0).startedAt());
        assertEquals(Duration.ofMillis(43), runs.get(1).duration());
        assertEquals(Optional.of(Instant.parse("2024-12-10T06:17:23.963Z")), runs.get(1).startedAt());
        assertEquals(Duration.ZERO, runs.get(2).duration(), "what cannot be read is unknown");
        assertEquals(Optional.empty(), runs.get(2).startedAt());
    }

    @Test
    void unknown_events_and_fields_are_skipped_and_a_long_string_the_parser_skips_is_not_kept() throws Exception {
        String json = STARTED
            + "{\"id\":{\"progress\":{\"opaqueCount\":1}},\"progress\":{\"stderr\":\"" + "x".repeat(100_000) + "\"}}\n"
            + "{\"id\":{\"testSummary\":{\"label\":\"//t:a\"}},\"testSummary\":{\"overallStatus\":\"FLAKY\",\"totalRunCount\":2}}\n"
            + "{\"id\":{\"testResult\":{\"label\":\"//t:a\",\"run\":1,\"shard\":1,\"attempt\":1,\"future\":[1,{\"x\":2}]}},"
            + "\"futurePayload\":{},\"testResult\":{\"status\":\"PASSED\",\"somethingNew\":{\"a\":[true,null]}}}\n";

        assertEquals(List.of("1 PASSED //t:a"),
            parse(json.getBytes(StandardCharsets.UTF_8), SMALL, ReferencedFiles.NONE).stream().map(BazelBepParserTest::line).toList());
    }

    @Test
    void the_parser_opens_nothing_itself_and_a_placeholder_or_relative_uri_is_unavailable(@TempDir Path dir) throws Exception {
        String real = DirectoryFiles.copy("hello_test.attempt_1.test.xml", dir);
        String json = event("//t:a", 1, 1, 1, status("FAILED") + ",\"testActionOutput\":[{\"name\":\"test.xml\",\"uri\":\"" + real + "\"}]")
            + event("//t:b", 1, 1, 1, status("PASSED") + ",\"testActionOutput\":[{\"name\":\"test.xml\",\"uri\":\"${URI_PASS}\"}]")
            + event("//t:c", 1, 1, 1, status("PASSED") + ",\"testActionOutput\":[{\"uri\":\"hello_test/test.xml\",\"name\":\"test.xml\"}]");

        assertEquals(List.of("1 FAILED //t:a (Bazel reported FAILED)", "1 PASSED //t:b", "1 PASSED //t:c"),
            parse(json).stream().map(BazelBepParserTest::line).toList(), "with NONE, a file on this disk is not read");
        DirectoryFiles files = new DirectoryFiles(dir);
        assertEquals(4, parse(json.getBytes(StandardCharsets.UTF_8), ParseLimits.DEFAULT, files).size(), "2 test cases of //t:a, and //t:b, //t:c");
        assertEquals(List.of(URI.create(real)), files.asked(), "only a valid absolute URI is asked for");
    }

    @Test
    void a_test_xml_that_cannot_be_read_or_holds_no_test_case_leaves_one_execution_for_the_target(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("broken.xml"), "<testsuites><testsuite name=\"s\"><testcase name=\"first\"/>\n<testcase name=\"cut");
        Files.writeString(dir.resolve("empty.xml"), "<testsuites><testsuite name=\"s\" tests=\"0\"/></testsuites>");
        String json = event("//t:broken", 1, 1, 1, status("FAILED") + ",\"testActionOutput\":[{\"name\":\"test.log\",\"uri\":\"file:///nowhere/test.log\"},"
                + "{\"name\":\"test.xml\",\"uri\":\"" + dir.resolve("broken.xml").toUri() + "\"}]")
            + event("//t:empty", 1, 1, 1, status("PASSED") + ",\"testActionOutput\":[{\"name\":\"test.xml\",\"uri\":\"" + dir.resolve("empty.xml").toUri() + "\"}]");

        List<TestExecution> runs = parse(json.getBytes(StandardCharsets.UTF_8), ParseLimits.DEFAULT, new DirectoryFiles(dir));
        assertEquals(List.of(
                "1 PASSED first",
                "1 FAILED //t:broken (Bazel reported FAILED; could not read its test.xml (line 2: not well-formed XML: "
                    + "Unexpected EOF in attribute value))",
                "1 PASSED //t:empty"),
            runs.stream().map(r -> line(r).replaceAll("\\s+at \\[.*?\\]", "")).toList());
        assertEquals(List.of("//t:broken", "s"), runs.getFirst().suites(), "what the test.xml gave before the fault is kept");
    }

    @Test
    void limits_on_depth_strings_and_bytes_reject_naming_the_limit() {
        assertEquals("report.json:1: beyond a limit: nested deeper than 16 levels",
            rejected("{\"id\":{\"started\":{}},\"x\":" + "[".repeat(20) + "]".repeat(20) + "}"));
        assertEquals("report.json:1: beyond a limit: a string longer than 1024 characters",
            rejected(event("//t:" + "a".repeat(2000), 1, 1, 1, status("PASSED"))));
        assertEquals("report.json:1: beyond a limit: a key longer than 1024 characters",
            rejected("{\"id\":{\"started\":{}},\"" + "k".repeat(2000) + "\":1}"));
        assertEquals("report.json:1: beyond a limit: a number longer than 64 characters",
            rejected(event("//t:a", 1, 1, 1, "\"status\":\"PASSED\",\"testAttemptDurationMillis\":" + "9".repeat(65))));
        byte[] big = (STARTED + event("//t:a", 1, 1, 1, status("PASSED")).repeat(20_000)).getBytes(StandardCharsets.UTF_8);
        assertEquals("report.json: larger than the limit of 1048576 bytes", rejected(big, SMALL));
    }

    @Test
    void a_truncated_event_is_rejected_with_its_line() throws Exception {
        List<String> lines = Files.readAllLines(Corpus.file("bazel-bep/trunk_bep_retries.json"));
        String cut = String.join("\n", lines.subList(0, 60));

        assertEquals("report.json:60: not valid JSON: Unexpected end-of-input: expected close marker for Object "
            + "(start marker at line 60, column 17)", rejected(cut));
        assertEquals("report.json:1: not valid JSON: Unexpected end-of-input in field name",
            rejected(event("//t:a", 1, 1, 1, status("PASSED")).substring(0, 40)));
    }

    @Test
    void what_is_not_a_bep_file_is_named_as_such() {
        String notBep = "not a Bazel Build Event Protocol JSON file";
        assertEquals("report.json:1: the first event has no \"id\" object: " + notBep,
            rejected("{\"testPlanConfigurations\":[],\"devices\":[],\"testNodes\":[]}"));
        assertEquals("report.json:1: the first event has no \"id\" object: " + notBep, rejected("{\"id\":\"started\"}"));
        assertEquals("report.json:1: the first value is an array, not a build event: " + notBep, rejected("[{\"id\":{}}]"));
        assertEquals("report.json: empty: no build events", rejected(" \n"));
        assertEquals("report.json:2: a build event is a string, not an object", rejected(STARTED + "\"id\""));
        assertEquals("report.json:1: not valid JSON: Unexpected character ('<' (code 60)): expected a valid value "
            + "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')", rejected("<testsuites/>"));
        assertEquals("report.json:1: not valid JSON: Unexpected character ('}' (code 125)): was expecting double-quote to start field name",
            rejected("{\"id\":{},}"));
    }

    @Test
    void bytes_that_are_not_text_in_any_unicode_encoding_are_rejected_as_such() {
        byte[] utf32 = {0, 0, 0, '{', 0, 0, 0};
        assertEquals("report.json:1: not text in a JSON encoding (UTF-8, UTF-16 or UTF-32): "
            + "Unexpected EOF in the middle of a 4-byte UTF-32 char: got 3, needed 4, at char #1, byte #7)", rejected(utf32, SMALL));
    }
}
