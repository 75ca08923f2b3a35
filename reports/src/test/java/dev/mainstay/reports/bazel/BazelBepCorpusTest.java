package dev.mainstay.reports.bazel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mainstay.reports.Corpus;
import dev.mainstay.reports.ReferencedFiles;
import dev.mainstay.reports.ReportSummary;
import dev.mainstay.reports.TestExecution;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Bazel BEP file of the shared corpus: once as the server reads an upload without the
 * test.xml files (one execution per attempt of each target), and once with each attempt's
 * test.xml at hand (one execution per test case and attempt).
 */
class BazelBepCorpusTest {

    private static final String LABEL = "//trunk/hello_world/cc:hello_test";

    private static final Map<String, ReportSummary> WITHOUT_FILES = Map.of(
        "bazel-bep/trunk_bep_example.json", new ReportSummary(1, 1, 0, 0, 0, 1),
        "bazel-bep/trunk_bep_retries.json", new ReportSummary(1, 1, 0, 0, 0, 2));

    private static final Map<String, ReportSummary> WITH_FILES = Map.of(
        "bazel-bep/trunk_bep_example.json", new ReportSummary(1, 1, 0, 0, 0, 1),
        "bazel-bep/trunk_bep_retries.json", new ReportSummary(2, 2, 0, 0, 0, 4));

    /** What each execution is, in one line: attempt, status, suites, classname.name, file. */
    private static String line(TestExecution e) {
        return e.attempt() + " " + e.status() + " " + e.suites() + " " + e.classname() + "." + e.name() + " (" + e.file() + ")";
    }

    @Test
    void every_corpus_file_parses_to_one_execution_per_attempt_of_each_target_without_its_test_xml() throws Exception {
        Map<String, ReportSummary> actual = new TreeMap<>();
        for (Path p : Corpus.files("bazel-bep")) {
            actual.put(Corpus.ROOT.relativize(p).toString(), Corpus.summary(Corpus.parse(new BazelBepParser(ReferencedFiles.NONE), p)));
        }
        assertEquals(new TreeMap<>(WITHOUT_FILES), actual);

        List<TestExecution> retries = Corpus.parse(new BazelBepParser(ReferencedFiles.NONE), Corpus.file("bazel-bep/trunk_bep_retries.json"));
        assertEquals(List.of("1 FAILED [] ." + LABEL + " ()", "2 PASSED [] ." + LABEL + " ()"), retries.stream().map(BazelBepCorpusTest::line).toList());
        TestExecution failed = retries.getFirst();
        assertEquals("Bazel reported FAILED", failed.message());
        assertEquals(43, failed.duration().toMillis());
        assertEquals(Optional.of(Instant.ofEpochMilli(1733811443963L)), failed.startedAt());
        assertEquals("trunk_bep_retries.json", failed.report());
        assertEquals("", failed.variant(), "the configuration id is not a variant");
        assertEquals("", retries.get(1).message());
    }

    @Test
    void every_corpus_file_parses_to_one_execution_per_test_case_and_attempt_with_its_test_xml(@TempDir Path dir) throws Exception {
        String generated = DirectoryFiles.copy("hello_test.generated.test.xml", dir);
        String failing = DirectoryFiles.copy("hello_test.attempt_1.test.xml", dir);
        String passing = DirectoryFiles.copy("hello_test.attempt_2.test.xml", dir);
        Map<String, ReportSummary> summaries = new TreeMap<>();
        Map<String, List<TestExecution>> parsed = new TreeMap<>();
        for (Path p : Corpus.files("bazel-bep")) {
            String name = Corpus.ROOT.relativize(p).toString();
            Path copy = dir.resolve(p.getFileName());
            Files.writeString(copy, Files.readString(p, StandardCharsets.UTF_8)
                .replace("file:///tmp/hello_test/test.xml", generated)
                .replace("${URI_FAIL}", failing)
                .replace("${URI_PASS}", passing), StandardCharsets.UTF_8);
            List<TestExecution> executions = Corpus.parse(new BazelBepParser(new DirectoryFiles(dir)), copy);
            parsed.put(name, executions);
            summaries.put(name, Corpus.summary(executions));
        }
        assertEquals(new TreeSet<>(WITHOUT_FILES.keySet()), new TreeSet<>(summaries.keySet()), "every corpus file has an expectation");
        assertEquals(new TreeMap<>(WITH_FILES), summaries);

        String hello = "[" + LABEL + ", HelloTest] HelloTest.";
        String source = " (trunk/hello_world/cc/hello_test.cc)";
        List<TestExecution> retries = parsed.get("bazel-bep/trunk_bep_retries.json");
        assertEquals(List.of(
                "1 PASSED " + hello + "GreetsTheWorld" + source,
                "1 FAILED " + hello + "GreetsAfterWarmUp" + source,
                "2 PASSED " + hello + "GreetsTheWorld" + source,
                "2 PASSED " + hello + "GreetsAfterWarmUp" + source),
            retries.stream().map(BazelBepCorpusTest::line).toList());
        TestExecution failed = retries.get(1);
        assertEquals("trunk/hello_world/cc/hello_test.cc:14\nExpected equality of these values:\n  Greet(\"Bazel\")\n    Which is: \"\"\n  \"Hello Bazel\"",
            failed.message());
        assertEquals(Optional.of(Instant.parse("2024-12-10T06:17:23.971Z")), failed.startedAt(), "the test case's own start");
        assertEquals("trunk_bep_retries.json", failed.report(), "the BEP report's name, not the test.xml's");

        List<TestExecution> example = parsed.get("bazel-bep/trunk_bep_example.json");
        assertEquals(List.of("1 PASSED [" + LABEL + ", trunk/hello_world/cc/hello_test] .trunk/hello_world/cc/hello_test (" + LABEL + ")"),
            example.stream().map(BazelBepCorpusTest::line).toList(), "Bazel's own test.xml names no file: the label stands for it");
        assertEquals(Optional.of(Instant.ofEpochMilli(1733171237474L)), example.getFirst().startedAt(), "the attempt's start, as the test.xml has none");
    }
}
