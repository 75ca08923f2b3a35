package dev.mainstay.reports.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.reports.Corpus;
import dev.mainstay.reports.ParseLimits;
import dev.mainstay.reports.ReportException;
import dev.mainstay.reports.TestExecution;
import dev.mainstay.reports.TestStatus;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** What the JUnit XML parser makes of each dialect's particulars, and how it meets hostile input. */
class JunitXmlParserTest {

    private static final ParseLimits SMALL = new ParseLimits(1 << 20, 16, 1024, 1024);

    private static List<TestExecution> parse(String xml) throws IOException, ReportException {
        return parse(xml.getBytes(StandardCharsets.UTF_8), ParseLimits.DEFAULT);
    }

    private static List<TestExecution> parse(byte[] xml, ParseLimits limits) throws IOException, ReportException {
        List<TestExecution> all = new ArrayList<>();
        new JunitXmlParser().parse("report.xml", new ByteArrayInputStream(xml), limits, all::add);
        return all;
    }

    private static ReportException rejected(String xml) {
        return assertThrows(ReportException.class, () -> parse(xml));
    }

    @Test
    void a_surefire_flaky_failure_is_a_failed_first_attempt_before_the_passing_one() throws Exception {
        List<TestExecution> runs = Corpus.parse(new JunitXmlParser(), Corpus.file("junit/mikepenz/maven_surefire_flaky_surefire-report.xml"));

        assertEquals(2, runs.size());
        TestExecution failed = runs.get(0);
        assertEquals(1, failed.attempt());
        assertEquals(TestStatus.FAILED, failed.status());
        assertEquals("io.sodadata.dependson.soda.integrations.msteams.MicrosoftTeamsCrudTest", failed.classname());
        assertEquals("createWebhook", failed.name());
        assertEquals("Expected: <false>\n     but: was <true>", failed.message());
        assertTrue(failed.stackTrace().startsWith("java.lang.AssertionError:"), failed.stackTrace());
        assertTrue(failed.stackTrace().contains("MicrosoftTeamsCrudTest.java:58"), failed.stackTrace());
        assertEquals("Some error output here", failed.stderr());
        TestExecution passed = runs.get(1);
        assertEquals(2, passed.attempt());
        assertEquals(TestStatus.PASSED, passed.status());
        assertEquals(Duration.ofMillis(683), passed.duration());
        assertEquals("", passed.stackTrace());
    }

    @Test
    void surefire_reruns_that_keep_failing_follow_the_first_failure() throws Exception {
        List<TestExecution> runs = parse("""
            <testsuite name="a.BTest"><testcase name="t" classname="a.BTest" time="1.5">
              <failure message="boom" type="java.lang.AssertionError">trace 1</failure>
              <rerunFailure message="boom again" type="java.lang.AssertionError" time="0.5"><stackTrace>trace 2</stackTrace></rerunFailure>
              <rerunError message="broken" type="java.io.IOException"><stackTrace>trace 3</stackTrace><system-out>out 3</system-out></rerunError>
            </testcase></testsuite>""");

        assertEquals(List.of("1 FAILED boom trace 1", "2 FAILED boom again trace 2", "3 ERROR broken trace 3"),
            runs.stream().map(r -> r.attempt() + " " + r.status() + " " + r.message() + " " + r.stackTrace()).toList());
        assertEquals(Duration.ofMillis(500), runs.get(1).duration());
        assertEquals("out 3", runs.get(2).stdout());
    }

    @Test
    void a_test_repeated_in_its_suite_is_retried_gotestsum_and_gradle_style() throws Exception {
        List<TestExecution> runs = Corpus.parse(new JunitXmlParser(), Corpus.file("junit/mikepenz/junit-server-test_report.xml"));

        List<String> race = runs.stream().filter(r -> r.name().equals("TestWebSocketReconnectRace"))
            .map(r -> r.attempt() + " " + r.status() + " " + r.duration().toMillis()).toList();
        assertEquals(List.of("1 FAILED 3320", "2 PASSED 7780"), race);
    }

    @Test
    void nested_suites_become_the_suite_path_and_a_suite_timestamp_without_offset_is_utc() throws Exception {
        List<TestExecution> runs = parse("""
            <testsuites name="all" timestamp="2024-04-19T08:20:31.5">
              <testsuite name="outer" file="src/outer.ts"><testsuite name="inner">
                <testcase name="works" time="0,25"/>
              </testsuite></testsuite>
            </testsuites>""");

        TestExecution run = runs.getFirst();
        assertEquals(List.of("outer", "inner"), run.suites());
        assertEquals("src/outer.ts", run.file(), "a testcase without a file takes its suite's");
        assertEquals(Duration.ofMillis(250), run.duration(), "a decimal comma is read");
        assertEquals(Optional.empty(), run.startedAt(), "the <testsuites> timestamp is not a suite's");
        List<TestExecution> timed = parse("<testsuite name=\"s\" timestamp=\"2024-04-19T08:20:31.5\"><testcase name=\"t\"/></testsuite>");
        assertEquals(Optional.of(Instant.parse("2024-04-19T08:20:31.5Z")), timed.getFirst().startedAt());
    }

    @Test
    void missing_attributes_leave_texts_empty_and_a_nameless_test_is_named_so() throws Exception {
        TestExecution run = parse("<testsuite><testcase><skipped/></testcase></testsuite>").getFirst();

        assertEquals("(no name)", run.name());
        assertEquals("", run.classname());
        assertEquals(List.of(), run.suites());
        assertEquals(TestStatus.SKIPPED, run.status());
        assertEquals(Duration.ZERO, run.duration());
        assertEquals("", run.message());
    }

    @Test
    void the_outcome_is_error_before_failure_before_skipped_and_the_message_falls_back_to_the_first_line() throws Exception {
        List<TestExecution> runs = parse("""
            <testsuite name="s">
              <testcase name="both"><failure message="f">x</failure><error>
            first line of the error
            more</error></testcase>
              <testcase name="failed-and-skipped"><skipped message="s"/><failure>assert 1 == 2</failure></testcase>
            </testsuite>""");

        assertEquals(TestStatus.ERROR, runs.get(0).status());
        assertEquals("f", runs.get(0).message(), "the first message given");
        assertEquals(TestStatus.FAILED, runs.get(1).status());
        assertEquals("s", runs.get(1).message());
        List<TestExecution> bare = parse("<testsuite><testcase name=\"t\"><failure>\n  AssertionError: 1 != 2\n  at x</failure></testcase></testsuite>");
        assertEquals("AssertionError: 1 != 2", bare.getFirst().message());
    }

    @Test
    void control_characters_that_xml_forbids_raw_or_as_references_do_not_lose_the_report() throws Exception {
        byte[] xml = "<testsuite><testcase name=\"colour\"><system-out>\u001B[31mred\u001B[0m\u0000 and &#x1B;[1m</system-out></testcase></testsuite>"
            .getBytes(StandardCharsets.UTF_8);

        TestExecution run = parse(xml, ParseLimits.DEFAULT).getFirst();
        assertEquals("\uFFFD[31mred\uFFFD[0m\uFFFD and \u001B[1m", run.stdout());
    }

    @Test
    void a_doctype_is_refused_so_external_entities_and_entity_bombs_never_expand() {
        ReportException xxe = rejected("""
            <?xml version="1.0"?>
            <!DOCTYPE testsuite [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
            <testsuite><testcase name="&secret;"/></testsuite>""");
        assertEquals(OptionalLong.of(2), xxe.line());
        assertTrue(xxe.problem().contains("DOCTYPE is not accepted"), xxe.getMessage());

        StringBuilder bomb = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
        for (int i = 1; i <= 9; i++) {
            bomb.append("<!ENTITY lol").append(i).append(" \"").append(("&lol" + (i == 1 ? "" : i - 1) + ";").repeat(10)).append("\">\n");
        }
        bomb.append("]>\n<testsuite><testcase name=\"&lol9;\"/></testsuite>");
        ReportException laughs = rejected(bomb.toString());
        assertTrue(laughs.problem().contains("DOCTYPE is not accepted"), laughs.getMessage());
    }

    @Test
    void limits_on_size_depth_and_attributes_reject_with_the_limit_and_long_texts_are_cut() throws Exception {
        byte[] deep = ("<testsuites>" + "<testsuite>".repeat(20) + "<testcase name=\"t\"/>" + "</testsuite>".repeat(20) + "</testsuites>")
            .getBytes(StandardCharsets.UTF_8);
        ReportException tooDeep = assertThrows(ReportException.class, () -> parse(deep, SMALL));
        assertEquals("beyond a limit: Maximum Element Depth limit (16) Exceeded", tooDeep.problem());

        byte[] longName = ("<testsuite><testcase name=\"" + "x".repeat(2000) + "\"/></testsuite>").getBytes(StandardCharsets.UTF_8);
        ReportException tooLong = assertThrows(ReportException.class, () -> parse(longName, SMALL));
        assertTrue(tooLong.problem().contains("1024"), tooLong.getMessage());

        byte[] big = ("<testsuite><testcase name=\"t\"><system-out>" + "y".repeat(2 << 20) + "</system-out></testcase></testsuite>")
            .getBytes(StandardCharsets.UTF_8);
        ReportException tooBig = assertThrows(ReportException.class, () -> parse(big, SMALL));
        assertEquals("report.xml: larger than the limit of 1048576 bytes", tooBig.getMessage());

        byte[] chatty = ("<testsuite><testcase name=\"t\"><system-out>" + "z".repeat(500_000) + "</system-out></testcase></testsuite>")
            .getBytes(StandardCharsets.UTF_8);
        String out = parse(chatty, SMALL).getFirst().stdout();
        assertEquals("z".repeat(1024) + "\n… [" + (500_000 - 1024) + " more characters]", out);
    }

    @Test
    void what_is_not_a_junit_report_is_named_as_such() {
        assertEquals("report.xml:1: not well-formed XML: Unexpected EOF in prolog",
            assertThrows(ReportException.class, () -> parse(new byte[0], ParseLimits.DEFAULT)).getMessage());
        assertEquals("report.xml:1: the root element is <html>, not <testsuites> or <testsuite>: not a JUnit XML report",
            rejected("<html><body/></html>").getMessage());
        assertEquals("report.xml:1: not well-formed XML: Unexpected close tag </testsuite>; expected </testcase>.",
            rejected("<testsuite><testcase name=\"t\"></testsuite>").getMessage().replaceAll("\\s+at \\[.*$", ""));
    }

    @Test
    void a_report_of_two_hundred_thousand_cases_hands_each_one_over() throws Exception {
        int cases = 200_000;
        List<InputStream> parts = new ArrayList<>();
        parts.add(new ByteArrayInputStream("<testsuite name=\"big\">".getBytes(StandardCharsets.UTF_8)));
        byte[] one = "<testcase classname=\"a.B\" name=\"t%d\" time=\"0.001\"><system-out>some output</system-out></testcase>\n"
            .getBytes(StandardCharsets.UTF_8);
        InputStream body = new InputStream() {
            private int n;
            private byte[] current = new byte[0];
            private int at;

            @Override
            public int read() {
                if (at == current.length) {
                    if (n == cases) {
                        return -1;
                    }
                    current = new String(one, StandardCharsets.UTF_8).replace("%d", Integer.toString(n++)).getBytes(StandardCharsets.UTF_8);
                    at = 0;
                }
                return current[at++] & 0xFF;
            }
        };
        parts.add(body);
        parts.add(new ByteArrayInputStream("</testsuite>".getBytes(StandardCharsets.UTF_8)));
        long[] seen = new long[1];
        new JunitXmlParser().parse("big.xml", new SequenceInputStream(Collections.enumeration(parts)), ParseLimits.DEFAULT,
            e -> seen[0]++);
        assertEquals(cases, seen[0]);
    }
}
