package dev.mainstay.reports.xcresult;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mainstay.reports.Corpus;
import dev.mainstay.reports.ParseLimits;
import dev.mainstay.reports.ReportException;
import dev.mainstay.reports.ReportSummary;
import dev.mainstay.reports.TestExecution;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * What the XCResult parser makes of the fixtures written from xcresulttool's schema (devices,
 * skips, expected failures, retries, Swift Testing arguments, configurations, crashes), and how
 * it meets malformed and hostile input.
 */
class XcresultJsonParserTest {

    private static final ParseLimits SMALL = new ParseLimits(1 << 20, 16, 1024, 1024);

    private static final List<String> FIXTURES = List.of("xctest-two-devices.json", "swift-testing.json", "compact-configurations.json");

    private static String fixture(String name) throws IOException {
        try (InputStream in = XcresultJsonParserTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<TestExecution> parse(String json) throws IOException, ReportException {
        return parse(json, ParseLimits.DEFAULT, new ArrayList<>());
    }

    private static List<TestExecution> parse(String json, ParseLimits limits, List<TestExecution> into) throws IOException, ReportException {
        new XcresultJsonParser().parse("report.json", new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), limits, into::add);
        return into;
    }

    private static String rejected(String json) {
        return rejected(json, SMALL);
    }

    private static String rejected(String json, ParseLimits limits) {
        return assertThrows(ReportException.class, () -> parse(json, limits, new ArrayList<>())).getMessage();
    }

    /** An execution in one line: attempt, status, suites, classname.name, and its message when it has one. */
    private static String line(TestExecution e) {
        return e.attempt() + " " + e.status() + " " + e.suites() + " " + e.classname() + "." + e.name()
            + (e.message().isEmpty() ? "" : " | " + e.message());
    }

    @Test
    void every_fixture_validates_against_the_schema_in_the_corpus() throws Exception {
        SchemaCheck schema = new SchemaCheck(Corpus.file("xcresult/xcresulttool-get-test-results-tests.schema.json"));
        for (String name : FIXTURES) {
            assertEquals(List.of(), schema.problems(JsonTree.read(fixture(name)), "Tests"), name);
        }
        Object broken = JsonTree.read("""
            {"testPlanConfigurations": [], "devices": [{"deviceId": "1", "deviceName": "iPhone"}],
             "testNodes": [{"nodeType": "Test Bundle", "name": "A", "durationInSeconds": "1s"}]}""");
        assertEquals(List.of("/devices/0: lacks the required architecture", "/devices/0: lacks the required modelName",
                "/devices/0: lacks the required osVersion", "/testNodes/0/nodeType: Test Bundle is not one of " + List.of("Test Plan",
                    "Unit test bundle", "UI test bundle", "Test Suite", "Test Case", "Device", "Test Plan Configuration", "Arguments",
                    "Repetition", "Test Case Run", "Failure Message", "Source Code Reference", "Attachment", "Expression", "Test Value",
                    "Runtime Warning", "Skip Message", "Expected Failure"),
                "/testNodes/0/durationInSeconds: 1s is not of type number"),
            schema.problems(broken, "Tests"), "the check finds what breaks the schema");
    }

    @Test
    void every_fixture_parses_to_its_counts() throws Exception {
        Map<String, ReportSummary> actual = new TreeMap<>();
        for (String name : FIXTURES) {
            actual.put(name, Corpus.summary(parse(fixture(name))));
        }
        assertEquals(new TreeMap<>(Map.of(
            "xctest-two-devices.json", new ReportSummary(10, 7, 1, 0, 2, 11),
            "swift-testing.json", new ReportSummary(8, 7, 1, 0, 0, 9),
            "compact-configurations.json", new ReportSummary(5, 3, 1, 1, 0, 6))), actual);
    }

    @Test
    void a_test_on_two_devices_is_two_tests_and_a_retry_on_one_device_is_its_second_attempt() throws Exception {
        List<TestExecution> runs = parse(fixture("xctest-two-devices.json"));

        String unit = " [CalculatorTests, CalculatorTests, ";
        String ui = " [CalculatorUITests, CalculatorUITests, ";
        String skip = "CalculatorTests.swift:57: Test skipped - iCloud is not signed in on this simulator";
        String expected = "CalculatorTests.swift:66: XCTAssertEqual failed: (\"0.33333334\") is not equal to (\"0.33333333\") - "
            + "rounding is off by one ulp (CALC-118)";
        assertEquals(List.of(
                "1 PASSED" + unit + "iPhone 16 Pro] CalculatorTests.testAddition()",
                "1 PASSED" + unit + "iPad Air 11-inch (M2)] CalculatorTests.testAddition()",
                "1 FAILED" + unit + "iPhone 16 Pro] CalculatorTests.testDivisionByZero() | "
                    + "CalculatorTests.swift:42: XCTAssertThrowsError failed: did not throw an error",
                "1 PASSED" + unit + "iPad Air 11-inch (M2)] CalculatorTests.testDivisionByZero()",
                "1 SKIPPED" + unit + "iPhone 16 Pro] CalculatorTests.testHistoryPersistsToICloud() | " + skip,
                "1 SKIPPED" + unit + "iPad Air 11-inch (M2)] CalculatorTests.testHistoryPersistsToICloud() | " + skip,
                "1 PASSED" + unit + "iPhone 16 Pro] CalculatorTests.testRoundingOfRepeatingDecimals() | " + expected,
                "1 PASSED" + unit + "iPad Air 11-inch (M2)] CalculatorTests.testRoundingOfRepeatingDecimals() | " + expected,
                "1 FAILED" + ui + "iPhone 16 Pro] CalculatorUITests.testKeypadEntry() | CalculatorUITests.swift:27: Failed to tap \"7\" Button: "
                    + "No matches found for Elements matching predicate '\"7\" IN identifiers' from input {(\n    Button\n)}",
                "2 PASSED" + ui + "iPhone 16 Pro] CalculatorUITests.testKeypadEntry()",
                "1 PASSED" + ui + "iPad Air 11-inch (M2)] CalculatorUITests.testKeypadEntry()"),
            runs.stream().map(XcresultJsonParserTest::line).toList());

        TestExecution failed = runs.get(2);
        assertEquals("CalculatorTests.swift:42: XCTAssertThrowsError failed: did not throw an error\ndivide(1, by: 0) returned inf",
            failed.stackTrace(), "every failure message with its details");
        assertEquals(Duration.ofNanos(13_900_000), failed.duration(), "durationInSeconds of the device's run");
        assertEquals("", failed.variant());
        assertEquals("", failed.file());
        assertEquals(Optional.empty(), failed.startedAt());
        assertEquals("report.json", failed.report());
        assertEquals(Duration.ofMillis(5120), runs.get(8).duration());
        assertEquals(Duration.ofMillis(4490), runs.get(9).duration());
        assertEquals("", runs.get(9).stackTrace(), "a passing retry carries no failure");
    }

    @Test
    void each_swift_testing_argument_is_a_test_and_repetitions_of_an_argument_are_its_attempts() throws Exception {
        List<TestExecution> runs = parse(fixture("swift-testing.json"));

        String numbers = " [ParserKitTests, ParserTests, Numbers] Numbers.parses(input:) ";
        String parser = " [ParserKitTests, ParserTests] ParserTests.";
        assertEquals(List.of(
                "1 PASSED" + numbers + "[\"42\"]",
                "1 PASSED" + numbers + "[\"-7\"]",
                "1 FAILED" + numbers + "[\"1e3\"] | ParserTests.swift:31: Expectation failed: (parse(input) → nil) == 1000.0",
                "1 PASSED" + parser + "Rejects an empty document",
                "1 PASSED" + parser + "streamsALargeFile()",
                "1 FAILED" + parser + "roundTrips(value:) [0.5] | ParserTests.swift:58: Expectation failed: (decoded → 0.49999997) == (value → 0.5)",
                "2 PASSED" + parser + "roundTrips(value:) [0.5]",
                "1 PASSED" + parser + "roundTrips(value:) [2.0]",
                "1 PASSED [ParserKitTests] .versionIsSemantic()"),
            runs.stream().map(XcresultJsonParserTest::line).toList());

        assertEquals(Duration.ofNanos(1_400_000), runs.get(2).duration(), "0,0014s: a decimal comma");
        assertEquals(Duration.ofSeconds(62), runs.get(4).duration(), "1m 2s");
        assertEquals(Duration.ofNanos(400_000), runs.get(8).duration());
        assertEquals("/Users/ci/ParserKit/Tests/ParserKitTests/ParserTests.swift", runs.get(0).file(), "the case's sourceLocation");
        assertEquals("", runs.get(8).file());
    }

    @Test
    void configurations_are_places_a_crash_is_an_error_and_test_case_runs_are_attempts() throws Exception {
        List<TestExecution> runs = parse(fixture("compact-configurations.json"));

        String formatter = " [L10nTests, FormatterTests";
        assertEquals(List.of(
                "1 PASSED" + formatter + ", English] FormatterTests.testCurrency()",
                "1 FAILED" + formatter + ", German] FormatterTests.testCurrency() | "
                    + "FormatterTests.swift:18: XCTAssertEqual failed: (\"1.234,50 €\") is not equal to (\"1.234,50 €\")",
                "1 PASSED" + formatter + ", English] FormatterTests.testPluralRules()",
                "1 ERROR" + formatter + ", German] FormatterTests.testPluralRules() | "
                    + "FormatterTests.swift:31: Crash: L10nTests (41233) EXC_BAD_ACCESS (code=1, address=0x0)",
                "1 FAILED" + formatter + "] FormatterTests.testDateFormats() | FormatterTests.swift:44: XCTAssertTrue failed - 24-hour clock expected",
                "2 PASSED" + formatter + "] FormatterTests.testDateFormats()"),
            runs.stream().map(XcresultJsonParserTest::line).toList());
        assertEquals("FormatterTests.swift:18: XCTAssertEqual failed: (\"1.234,50 €\") is not equal to (\"1.234,50 €\")\n"
            + "the formatter used U+00A0 where U+202F was expected", runs.get(1).stackTrace());
    }

    @Test
    void results_without_messages_or_of_unknown_value_say_what_xcresulttool_gave() throws Exception {
        String json = """
            {"testNodes": [{"nodeType": "Test Suite", "name": "S", "children": [
              {"nodeType": "Test Case", "name": "noResult()"},
              {"nodeType": "Test Case", "name": "unknown()", "result": "unknown"},
              {"nodeType": "Test Case", "name": "future()", "result": "Timed Out"},
              {"nodeType": "Test Case", "name": "failedSilently()", "result": "Failed"},
              {"nodeType": "Test Case", "name": "inherits()", "result": "Failed", "children": [
                {"nodeType": "Failure Message", "name": "S.swift:9: failed"},
                {"nodeType": "Repetition", "name": "Repetition 1"},
                {"nodeType": "Repetition", "name": "Repetition 2", "result": "Passed"}]},
              {"nodeType": "Test Case", "result": "Passed"}]}]}""";

        assertEquals(List.of(
                "1 ERROR [S] S.noResult() | xcresulttool gave no result",
                "1 ERROR [S] S.unknown() | xcresulttool gave the result \"unknown\"",
                "1 ERROR [S] S.future() | xcresulttool gave the result \"Timed Out\"",
                "1 FAILED [S] S.failedSilently()",
                "1 FAILED [S] S.inherits() | S.swift:9: failed",
                "2 PASSED [S] S.inherits()",
                "1 PASSED [S] S.(no name)"),
            parse(json).stream().map(XcresultJsonParserTest::line).toList());
    }

    @Test
    void a_device_or_configuration_above_the_bundles_names_a_suite_of_every_test_below() throws Exception {
        String json = """
            {"testNodes": [{"nodeType": "Test Plan", "name": "P", "children": [
              {"nodeType": "Test Plan Configuration", "name": "German", "children": [
                {"nodeType": "Unit test bundle", "name": "B", "children": [
                  {"nodeType": "Test Suite", "name": "S", "children": [{"nodeType": "Test Case", "name": "t()", "result": "Passed"}]}]}]},
              {"nodeType": "Test Plan Configuration", "name": "English", "children": [
                {"nodeType": "Unit test bundle", "name": "B", "children": [
                  {"nodeType": "Test Suite", "name": "S", "children": [{"nodeType": "Test Case", "name": "t()", "result": "Failed"}]}]}]}]}]}""";

        assertEquals(List.of("1 PASSED [German, B, S] S.t()", "1 FAILED [English, B, S] S.t()"),
            parse(json).stream().map(XcresultJsonParserTest::line).toList());
    }

    @Test
    void a_test_case_inside_a_test_case_is_kept_before_the_outer_one() throws Exception {
        String json = """
            {"testNodes": [{"children": [
              {"children": [{"name": "inner()", "nodeType": "Test Case", "result": "Failed"}], "name": "outer()", "nodeType": "Test Case",
               "result": "Passed"}], "name": "S", "nodeType": "Test Suite"}]}""";

        assertEquals(List.of("1 FAILED [S] S.inner()", "1 PASSED [S] S.outer()"), parse(json).stream().map(XcresultJsonParserTest::line).toList());
    }

    @Test
    void the_order_of_keys_does_not_change_the_executions_only_when_they_are_handed_over() throws Exception {
        String sorted = fixture("xctest-two-devices.json");
        Comparator<String> namesFirst = Comparator.comparing((String k) -> k.equals("children")).thenComparing(Comparator.reverseOrder());
        String namesBeforeChildren = JsonTree.write(JsonTree.read(sorted), namesFirst);
        assertEquals(parse(sorted), parse(namesBeforeChildren));

        String cutSorted = sorted.substring(0, sorted.indexOf("testDivisionByZero()"));
        List<TestExecution> handedOver = new ArrayList<>();
        assertThrows(ReportException.class, () -> parse(cutSorted, ParseLimits.DEFAULT, handedOver));
        assertEquals(0, handedOver.size(), "with children first, a test waits for the names of its suite and bundle");

        String cutNamesFirst = namesBeforeChildren.substring(0, namesBeforeChildren.indexOf("testDivisionByZero()"));
        assertThrows(ReportException.class, () -> parse(cutNamesFirst, ParseLimits.DEFAULT, handedOver));
        assertEquals(2, handedOver.size(), "with names first, a test case's executions are handed over as it ends");
    }

    @Test
    void what_is_not_xcresulttool_json_is_named_as_such() {
        String notXcresult = "not the JSON of `xcresulttool get test-results tests`";
        assertEquals("report.json:1: the top level is an array, not an object: " + notXcresult, rejected("[{\"testNodes\":[]}]"));
        assertEquals("report.json:1: no \"testNodes\": " + notXcresult, rejected("{\"devices\":[],\"testPlanConfigurations\":[]}"));
        assertEquals("report.json:1: no \"testNodes\": " + notXcresult,
            rejected("{\"id\":{\"started\":{}},\"started\":{}}\n{\"id\":{\"buildFinished\":{}}}"), "a Bazel BEP file");
        assertEquals("report.json: empty: no JSON object", rejected("\n"));
        assertEquals("report.json:1: an object after the top-level object", rejected("{\"testNodes\":[]} {\"testNodes\":[]}"));
    }

    @Test
    void malformed_nodes_are_rejected_naming_the_line_and_what_is_wrong() throws Exception {
        assertEquals("report.json:1: \"testNodes\" is an object, not an array", rejected("{\"testNodes\":{}}"));
        assertEquals("report.json:2: a test node is a number, not an object", rejected("{\"testNodes\":[\n1]}"));
        assertEquals("report.json:1: \"name\" is a number, not a string", rejected("{\"testNodes\":[{\"nodeType\":\"Test Case\",\"name\":7}]}"));
        assertEquals("report.json:1: \"children\" is an object, not an array", rejected("{\"testNodes\":[{\"children\":{}}]}"));
        assertEquals("report.json:1: \"durationInSeconds\" is a string, not a number",
            rejected("{\"testNodes\":[{\"nodeType\":\"Test Case\",\"name\":\"t\",\"durationInSeconds\":\"0.5\"}]}"));
        assertEquals("report.json:1: \"sourceLocation\" is a string, not an object",
            rejected("{\"testNodes\":[{\"nodeType\":\"Test Case\",\"name\":\"t\",\"sourceLocation\":\"a.swift:3\"}]}"));

        String fixture = fixture("swift-testing.json");
        String cut = fixture.substring(0, fixture.indexOf("\"Numbers\""));
        assertEquals("report.json:" + cut.lines().count() + ": not valid JSON: Unexpected end-of-input within/between Object entries",
            rejected(cut, ParseLimits.DEFAULT));
    }

    @Test
    void limits_on_depth_strings_and_bytes_reject_naming_the_limit_and_long_messages_are_cut() throws Exception {
        String deep = "{\"testNodes\":[" + "{\"nodeType\":\"Test Suite\",\"name\":\"s\",\"children\":[".repeat(10) + "]}".repeat(10) + "]}";
        assertEquals("report.json:1: beyond a limit: nested deeper than 16 levels", rejected(deep));
        assertEquals("report.json:1: beyond a limit: a string longer than 1024 characters",
            rejected("{\"testNodes\":[{\"nodeType\":\"Test Case\",\"name\":\"" + "t".repeat(2000) + "\"}]}"));
        String big = "{\"testNodes\":[" + "{\"nodeType\":\"Test Case\",\"name\":\"t\",\"result\":\"Passed\"},".repeat(30_000) + "]}";
        assertEquals("report.json: larger than the limit of 1048576 bytes", rejected(big));

        String chatty = "{\"testNodes\":[{\"nodeType\":\"Test Case\",\"name\":\"t\",\"result\":\"Failed\",\"children\":["
            + "{\"nodeType\":\"Failure Message\",\"name\":\"" + "m".repeat(1000) + "\"}]}]}";
        TestExecution run = parse(chatty, new ParseLimits(1 << 20, 16, 4096, 256), new ArrayList<>()).getFirst();
        assertEquals("m".repeat(256) + "\n… [744 more characters]", run.message());
        assertEquals("m".repeat(256) + "\n… [744 more characters]", run.stackTrace());
    }
}
