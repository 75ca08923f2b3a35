package dev.mainstay.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Reading a report whose format is not given: every report of the shared corpus (and the
 * xcresult fixtures, as the corpus holds none) is detected as the format of its folder and
 * parses as its own parser parses it; what is no report is rejected naming what it starts with.
 */
class ReportsTest {

    private static final String FORMATS = "not in a format Mainstay reads (junit, bazel-bep, rspec, xcresult): ";

    /** The corpus's folders, by the format of the reports in them. */
    private static final Map<String, ReportFormat> FOLDERS = Map.of("junit", ReportFormat.JUNIT, "bazel-bep", ReportFormat.BAZEL_BEP,
        "rspec", ReportFormat.RSPEC, "xcresult", ReportFormat.XCRESULT);

    /** The xcresult fixtures beside {@code XcresultJsonParserTest}. */
    private static final List<String> XCRESULT_FIXTURES = List.of("xctest-two-devices.json", "swift-testing.json", "compact-configurations.json");

    private static ReportFormat detect(byte[] report) throws IOException, ReportException {
        return Reports.detect("r", new BufferedInputStream(new ByteArrayInputStream(report)));
    }

    private static ReportFormat detect(String report) throws IOException, ReportException {
        return detect(report.getBytes(StandardCharsets.UTF_8));
    }

    private static String rejected(byte[] report) {
        return assertThrows(ReportException.class, () -> detect(report)).getMessage();
    }

    private static String rejected(String report) {
        return rejected(report.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * What {@link Reports#parse} makes of {@code report}: its format and executions, or its rejection,
     * and what detecting alone and the format's own parser make of it where they differ.
     */
    private static String outcome(String name, byte[] report) throws IOException {
        String detected;
        try {
            detected = detect(report).text();
        } catch (ReportException e) {
            return "not detected: " + e.getMessage();
        }
        List<TestExecution> viaReports = new ArrayList<>();
        String outcome;
        try {
            outcome = Reports.parse(name, new ByteArrayInputStream(report), ParseLimits.DEFAULT, ReferencedFiles.NONE, viaReports::add)
                .text();
        } catch (ReportException e) {
            return detected + ", rejected: " + e.getMessage();
        }
        List<TestExecution> direct = new ArrayList<>();
        try {
            Reports.parser(ReportFormat.of(detected), ReferencedFiles.NONE)
                .parse(name, new ByteArrayInputStream(report), ParseLimits.DEFAULT, direct::add);
        } catch (ReportException e) {
            return outcome + ", but its own parser rejects it: " + e.getMessage();
        }
        return viaReports.equals(direct) ? outcome : outcome + ", but with other executions than its own parser's";
    }

    @Test
    void every_corpus_report_is_detected_as_the_format_of_its_folder_and_parses_as_its_own_parser_parses_it() throws Exception {
        Map<String, String> expected = new TreeMap<>();
        Map<String, String> actual = new TreeMap<>();
        for (Map.Entry<String, ReportFormat> folder : FOLDERS.entrySet()) {
            for (Path p : Corpus.files(folder.getKey())) {
                String name = Corpus.ROOT.relativize(p).toString();
                if (name.endsWith(".md") || name.endsWith(".schema.json")) {
                    continue;
                }
                String rejection = Corpus.REJECTED.get(name);
                expected.put(name, folder.getValue().text() + (rejection == null ? "" : ", rejected: " + rejection));
                actual.put(name, outcome(p.getFileName().toString(), Files.readAllBytes(p)));
            }
        }
        for (String fixture : XCRESULT_FIXTURES) {
            try (InputStream in = ReportsTest.class.getResourceAsStream("xcresult/" + fixture)) {
                expected.put(fixture, ReportFormat.XCRESULT.text());
                actual.put(fixture, outcome(fixture, in.readAllBytes()));
            }
        }
        assertEquals(expected, actual);
    }

    @Test
    void a_file_in_the_corpus_that_is_no_report_is_rejected_naming_its_keys() throws Exception {
        byte[] schema = Files.readAllBytes(Corpus.file("xcresult/xcresulttool-get-test-results-tests.schema.json"));
        assertEquals("r: " + FORMATS + "it is a JSON object with keys [$defs]", rejected(schema));
    }

    @Test
    void a_byte_order_mark_and_whitespace_before_the_first_tag_are_passed_over() throws Exception {
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        report.write(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
        report.write(" \r\n\t<testsuite name=\"s\"><testcase name=\"t\"/></testsuite>".getBytes(StandardCharsets.UTF_8));

        assertEquals(ReportFormat.JUNIT, detect(report.toByteArray()));
        List<TestExecution> all = new ArrayList<>();
        Reports.parse("r.xml", new ByteArrayInputStream(report.toByteArray()), ParseLimits.DEFAULT, ReferencedFiles.NONE, all::add);
        assertEquals(List.of("t"), all.stream().map(TestExecution::name).toList());
    }

    @Test
    void an_empty_report_is_rejected_as_empty() {
        assertEquals("r: is empty", rejected(""));
        assertEquals("r: is empty", rejected("\uFEFF \n\t\r\n"));
        assertEquals("r: holds only whitespace in its first 65536 bytes", rejected(" ".repeat(Reports.LOOKAHEAD) + "<testsuite/>"));
    }

    @Test
    void a_json_object_of_no_known_format_is_rejected_naming_the_formats_and_its_keys() {
        assertEquals("r: " + FORMATS + "it is a JSON object with keys [name, results]", rejected("{\"name\": \"x\", \"results\": [1, {\"id\": {}}]}"));
        assertEquals("r: " + FORMATS + "it is a JSON object with keys [id]", rejected("{\"id\": 7}"), "a build event's id is an object");
        assertEquals("r: " + FORMATS + "it is a JSON object with keys [a, b, c, d, e, f, g, h, …]",
            rejected("{\"a\":1,\"b\":1,\"c\":1,\"d\":1,\"e\":1,\"f\":1,\"g\":1,\"h\":1,\"i\":1}"));
        assertEquals("r: " + FORMATS + "it is a JSON object with keys [" + "k".repeat(40) + "…]", rejected("{\"" + "k".repeat(100) + "\": 1}"));
        assertEquals("r: " + FORMATS + "it starts with '{}'", rejected("{}"));
        assertEquals("r: " + FORMATS + "it starts with '[{\"id\":{'", rejected("[{\"id\":{}}]"));
    }

    @Test
    void binary_garbage_is_rejected_naming_its_first_bytes() {
        assertEquals("r: " + FORMATS + "it starts with '%PDF-1.7'", rejected("%PDF-1.7\n%\u00e2\u00e3"));
        assertEquals("r: " + FORMATS + "it starts with '\\x89PNG\\x0D\\x0A\\x1A\\x0A'",
            rejected(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13}));
        assertEquals("r: " + FORMATS + "it starts with '\\x1F\\x8B\\x08\\x00'", rejected(new byte[] {0x1F, (byte) 0x8B, 8, 0}));
    }

    @Test
    void a_pretty_printed_bep_stream_of_objects_one_after_another_is_bazel_bep() throws Exception {
        String events = """
            {
              "id": {
                "started": {}
              },
              "started": {"command": "test"}
            }
            {
              "id": {
                "testResult": {"label": "//t:a", "run": 1, "shard": 1, "attempt": 1}
              },
              "testResult": {"status": "PASSED"}
            }
            """;
        assertEquals(ReportFormat.BAZEL_BEP, detect(events));
    }

    @Test
    void the_first_telling_key_decides_even_when_the_lookahead_ends_inside_its_value() throws Exception {
        String long100k = "x".repeat(100_000);
        assertEquals(ReportFormat.RSPEC, detect("{\"version\": \"3.13.0\", \"examples\": [{\"full_description\": \"" + long100k + "\"}]}"));
        assertEquals(ReportFormat.XCRESULT, detect("{\"devices\": [{\"deviceName\": \"" + long100k + "\"}], \"testNodes\": []}"));
        assertEquals("r: " + FORMATS + "it is a JSON object with keys [notes]",
            rejected("{\"notes\": \"" + long100k + "\", \"testNodes\": []}"), "a key past the lookahead is not seen");
    }

    @Test
    void detecting_reads_nothing_away_so_the_report_parses_from_the_same_stream() throws Exception {
        byte[] report = Files.readAllBytes(Corpus.file("rspec/dorny_rspec-json.json"));
        BufferedInputStream in = new BufferedInputStream(new ByteArrayInputStream(report));

        ReportFormat format = Reports.detect("rspec.json", in);
        List<TestExecution> afterDetecting = new ArrayList<>();
        Reports.parser(format, ReferencedFiles.NONE).parse("rspec.json", in, ParseLimits.DEFAULT, afterDetecting::add);

        List<TestExecution> direct = new ArrayList<>();
        Reports.parser(ReportFormat.RSPEC, ReferencedFiles.NONE).parse("rspec.json", new ByteArrayInputStream(report), ParseLimits.DEFAULT,
            direct::add);
        assertEquals(ReportFormat.RSPEC, format);
        assertEquals(3, direct.size());
        assertEquals(direct, afterDetecting);
    }
}
