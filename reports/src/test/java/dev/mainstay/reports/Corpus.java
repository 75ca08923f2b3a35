package dev.mainstay.reports;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The shared corpus of real reports ({@code ../shared/corpus/reports} beside the checkout; the
 * build passes its place as {@code mainstay.corpus}), and helpers to read them.
 */
public final class Corpus {

    public static final Path ROOT = root();

    /** Corpus files that are not well-formed, with the exact rejection of each (the report named by its file name). */
    public static final Map<String, String> REJECTED = Map.of(
        "junit/mikepenz/corrupt-junit_e2e-tests_corrupt_target_sf-reports_TEST-test.CorruptTest.xml",
        "corrupt-junit_e2e-tests_corrupt_target_sf-reports_TEST-test.CorruptTest.xml:18: not well-formed XML: Unexpected end of input block in CDATA section",
        "junit/mikepenz/junit-web-test_expected.xml",
        "junit-web-test_expected.xml:9: not well-formed XML: Unexpected character '<' (code 60) in attribute value",
        "junit/mikepenz/junit-web-test_expectedRetries.xml",
        "junit-web-test_expectedRetries.xml:9: not well-formed XML: Unexpected character '<' (code 60) in attribute value");

    private Corpus() {
    }

    private static Path root() {
        Path corpus = Path.of(System.getProperty("mainstay.corpus", Path.of("..", "..", "shared", "corpus").toString()));
        Path reports = corpus.resolve("reports").normalize();
        if (!Files.isDirectory(reports)) {
            throw new IllegalStateException("the corpus of real reports is not at " + reports.toAbsolutePath()
                + "; it is ../shared/corpus beside the checkout, or pass -Dmainstay.corpus=DIR");
        }
        return reports;
    }

    /** A corpus file, e.g. {@code junit/dorny/jest-junit.xml}. */
    public static Path file(String relative) {
        return ROOT.resolve(relative);
    }

    /** Every file under {@code folder}, sorted. */
    public static List<Path> files(String folder) throws IOException {
        try (var files = Files.walk(ROOT.resolve(folder))) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** Parses {@code file} with {@code parser} and the default limits; returns every execution. */
    public static List<TestExecution> parse(ReportParser parser, Path file) throws IOException, ReportException {
        List<TestExecution> all = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            parser.parse(file.getFileName().toString(), in, ParseLimits.DEFAULT, all::add);
        }
        return all;
    }

    /** The summary of {@code executions}. */
    public static ReportSummary summary(List<TestExecution> executions) {
        ReportSummary.Counter counter = new ReportSummary.Counter();
        executions.forEach(counter::accept);
        return counter.summary();
    }
}
