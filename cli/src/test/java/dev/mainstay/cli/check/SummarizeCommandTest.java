package dev.mainstay.cli.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.mainstay.cli.CliRun;
import dev.mainstay.cli.Corpus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code mainstay reports summarize --json} over every report of the shared corpus, in one run. */
class SummarizeCommandTest {

    /** Files that are rejected: three broken JUnit files and the xcresult JSON Schema, which is no report. */
    private static final Set<String> REJECTED = Set.of(
        "junit/mikepenz/corrupt-junit_e2e-tests_corrupt_target_sf-reports_TEST-test.CorruptTest.xml",
        "junit/mikepenz/junit-web-test_expected.xml",
        "junit/mikepenz/junit-web-test_expectedRetries.xml",
        "xcresult/xcresulttool-get-test-results-tests.schema.json");

    /** A representative line per format and shape: retries, nested suites, errors, an empty report, a Bazel retry. */
    private static final List<String> REPRESENTATIVE = List.of(
        "{\"file\":\"junit/dorny/jest-junit.xml\",\"format\":\"junit\",\"cases\":6,\"passed\":1,\"failed\":4,\"errors\":0,\"skipped\":1,\"attempts\":6}",
        "{\"file\":\"junit/dorny/external_java_pulsar-test-report.xml\",\"format\":\"junit\",\"cases\":670,\"passed\":663,\"failed\":1,\"errors\":0,"
            + "\"skipped\":6,\"attempts\":808}",
        "{\"file\":\"junit/mikepenz/flaky_retries_flaky_all_failures.xml\",\"format\":\"junit\",\"cases\":1,\"passed\":0,\"failed\":0,\"errors\":1,"
            + "\"skipped\":0,\"attempts\":3}",
        "{\"file\":\"junit/mikepenz/nested_junit.xml\",\"format\":\"junit\",\"cases\":5,\"passed\":2,\"failed\":3,\"errors\":0,\"skipped\":0,\"attempts\":5}",
        "{\"file\":\"junit/dorny/empty_java-junit.xml\",\"format\":\"junit\",\"cases\":0,\"passed\":0,\"failed\":0,\"errors\":0,\"skipped\":0,\"attempts\":0}",
        "{\"file\":\"rspec/dorny_rspec-json.json\",\"format\":\"rspec\",\"cases\":3,\"passed\":1,\"failed\":1,\"errors\":0,\"skipped\":1,\"attempts\":3}",
        "{\"file\":\"bazel-bep/trunk_bep_retries.json\",\"format\":\"bazel-bep\",\"cases\":1,\"passed\":1,\"failed\":0,\"errors\":0,\"skipped\":0,"
            + "\"attempts\":2}",
        "{\"file\":\"junit/mikepenz/junit-web-test_expected.xml\",\"error\":\"junit/mikepenz/junit-web-test_expected.xml:9: not well-formed XML: "
            + "Unexpected character '<' (code 60) in attribute value\"}",
        "{\"file\":\"xcresult/xcresulttool-get-test-results-tests.schema.json\",\"error\":\"xcresult/xcresulttool-get-test-results-tests.schema.json: "
            + "not in a format Mainstay reads (junit, bazel-bep, rspec, xcresult): it is a JSON object with keys [$defs]\"}");

    private static Map<String, String> fields(String line) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        try (JsonParser json = new JsonFactory().createParser(line)) {
            assertEquals(JsonToken.START_OBJECT, json.nextToken(), line);
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String name = json.currentName();
                json.nextToken();
                fields.put(name, json.getText());
            }
            assertEquals(null, json.nextToken(), "one object per line: " + line);
        }
        return fields;
    }

    @Test
    void every_corpus_report_gives_one_json_line_with_its_counts_or_its_error() throws IOException {
        List<String> files = Corpus.all();
        List<String> args = new ArrayList<>(List.of("reports", "summarize", "--json"));
        args.addAll(files);

        CliRun.Result r = CliRun.in(Corpus.ROOT).run(args.toArray(String[]::new));

        assertEquals(1, r.code(), "some corpus files are broken, so not every report parsed");
        assertEquals("", r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(files.size(), lines.size(), "one line per file");
        for (int i = 0; i < files.size(); i++) {
            Map<String, String> f = fields(lines.get(i));
            assertEquals(files.get(i), f.get("file"), "the file as given, in the order given");
            if (REJECTED.contains(files.get(i))) {
                assertEquals(Set.of("file", "error"), f.keySet(), lines.get(i));
                assertTrue(f.get("error").startsWith(files.get(i) + ":"), "the error names the file: " + lines.get(i));
            } else {
                assertEquals(List.of("file", "format", "cases", "passed", "failed", "errors", "skipped", "attempts"), List.copyOf(f.keySet()),
                    lines.get(i));
                long cases = Long.parseLong(f.get("cases"));
                long sum = Long.parseLong(f.get("passed")) + Long.parseLong(f.get("failed")) + Long.parseLong(f.get("errors"))
                    + Long.parseLong(f.get("skipped"));
                assertEquals(cases, sum, "every case has one outcome: " + lines.get(i));
            }
        }
        for (String expected : REPRESENTATIVE) {
            assertTrue(lines.contains(expected), "expected the line " + expected);
        }
    }

    @Test
    void every_report_parsing_exits_0_and_without_json_prints_the_validate_lines() {
        CliRun.Result r = CliRun.in(Corpus.ROOT).run("reports", "summarize", "rspec/dorny_rspec-json.json", "junit/dorny/jest-junit.xml");
        assertEquals(0, r.code(), r.both());
        assertEquals("""
            ok   rspec/dorny_rspec-json.json: rspec, 3 cases (1 passed, 1 failed, 0 errors, 1 skipped), 3 attempts
            ok   junit/dorny/jest-junit.xml: junit, 6 cases (1 passed, 4 failed, 0 errors, 1 skipped), 6 attempts
            """, r.out());
    }

    @Test
    void summarize_without_files_or_with_another_subcommand_is_a_usage_error() {
        CliRun.Result none = CliRun.in(Corpus.ROOT).run("reports", "summarize", "--json");
        assertEquals(2, none.code());
        assertEquals("mainstay: name at least one report file\nmainstay: see 'mainstay help reports summarize'\n", none.err());
        CliRun.Result other = CliRun.in(Corpus.ROOT).run("reports", "list");
        assertEquals(2, other.code());
        assertEquals("mainstay: unknown command 'reports list'\nmainstay: see 'mainstay help'\n", other.err());
    }
}
