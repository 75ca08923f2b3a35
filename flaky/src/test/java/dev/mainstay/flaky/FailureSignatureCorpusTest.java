package dev.mainstay.flaky;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.reports.ParseLimits;
import dev.mainstay.reports.ReferencedFiles;
import dev.mainstay.reports.ReportException;
import dev.mainstay.reports.Reports;
import dev.mainstay.reports.TestStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Signatures of the real failures in the shared corpus of reports ({@code ../shared/corpus/reports}), read by the
 * real parsers: the same failure in two reports, or in two tests, is one signature; different failures are not.
 */
class FailureSignatureCorpusTest {

    /** "folder/file.xml :: test name #n" to the signature of that failing execution (n counts attempts). */
    private static final Map<String, Optional<FailureSignature>> FAILURES = new LinkedHashMap<>();

    @BeforeAll
    static void readTheCorpus() throws IOException {
        Path root = Path.of(System.getProperty("mainstay.corpus", Path.of("..", "..", "shared", "corpus").toString())).resolve("reports");
        List<Path> files;
        try (var walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : files) {
            String name = root.relativize(file).toString().replace('\\', '/');
            try (InputStream in = Files.newInputStream(file)) {
                Reports.parse(file.getFileName().toString(), in, ParseLimits.DEFAULT, ReferencedFiles.NONE, e -> {
                    if (e.status() == TestStatus.FAILED || e.status() == TestStatus.ERROR) {
                        String key = name + " :: " + e.name();
                        int n = 1;
                        while (FAILURES.containsKey(key + " #" + n)) {
                            n++;
                        }
                        FAILURES.put(key + " #" + n, FailureSignature.of(e.message(), e.stackTrace()));
                    }
                });
            } catch (ReportException e) {
                // Malformed corpus files (and the xcresult schema) are the parsers' tests' business.
            }
        }
    }

    private static FailureSignature signature(String failure) {
        Optional<FailureSignature> s = FAILURES.get(failure);
        assertTrue(s != null, "the corpus has the failure " + failure + "; it has " + FAILURES.keySet());
        return s.orElseThrow(() -> new AssertionError(failure + " has no signature"));
    }

    @Test
    void every_failure_in_the_corpus_gets_a_bounded_signature_or_none_when_it_says_nothing() {
        assertTrue(FAILURES.size() >= 70, "failures found: " + FAILURES.size());
        List<String> without = new ArrayList<>();
        FAILURES.forEach((failure, s) -> {
            if (s.isEmpty()) {
                without.add(failure);
            } else {
                assertTrue(s.get().text().length() <= FailureSignature.MAX_TEXT_CHARS, failure);
            }
        });
        assertEquals(List.of("junit/mikepenz/marathon_tests_com.mikepenz.DummyTest3_test_01.xml :: test_01 #1"), without,
            "only a failure with neither message nor stack trace");
    }

    @Test
    void the_same_failure_in_two_reports_is_one_signature() {
        assertEquals(signature("junit/dorny/external_java_TEST-org.apache.pulsar.AddMissingPatchVersionTest.xml :: testVersionStrings #1"),
            signature("junit/dorny/external_java_pulsar-test-report.xml :: testVersionStrings #1"));
        assertEquals("java.lang.AssertionError: expected [<n>.<n>.<n>] but found [<n>.<n>.<n>]\n"
                + "at org.apache.pulsar.AddMissingPatchVersionTest.testVersionStrings",
            signature("junit/dorny/external_java_pulsar-test-report.xml :: testVersionStrings #1").text());
        assertEquals(signature("junit/mikepenz/python_report.xml :: test_which_fails #1"),
            signature("junit/mikepenz/python_report_flaky.xml :: test_which_fails #1"));
    }

    @Test
    void two_test_suites_failing_on_one_broken_config_file_are_one_signature() {
        FailureSignature foo = signature("junit/dorny/test-errors_jest_jest-test-results.xml :: libs/foo.spec.ts #1");
        assertEquals(foo, signature("junit/dorny/test-errors_jest_jest-test-results.xml :: libs/bar.spec.ts #1"));
        assertTrue(foo.text().contains("tsconfig.json:<n>:<n> - error TS6258"), "line and column of a file are not a port: " + foo.text());
    }

    @Test
    void a_python_traceback_in_the_message_is_named_by_its_exception_and_innermost_frame() {
        assertEquals("AssertionError: True is not false\nat test_foo.py:test_other_case",
            signature("junit/dorny/external_java_empty_failures.xml :: test_other_case #1").text());
    }

    @Test
    void different_exception_types_are_different_signatures() {
        assertNotEquals(signature("junit/mikepenz/python_report.xml :: test_which_fails #1"),
            signature("junit/mikepenz/python_report.xml :: test_with_error #1"), "AssertionError and AttributeError");
        assertNotEquals(signature("junit/dorny/python-xunit-unittest.xml :: test_always_fail #1"),
            signature("junit/dorny/python-xunit-unittest.xml :: test_error #1"), "AssertionError and Exception");
        assertNotEquals(signature("junit/mikepenz/junit_flaky_failure_marathon_junit_report.xml :: testFlakyFailure #1"),
            signature("junit/mikepenz/junit_flaky_failure_mixed_flaky_and_passed.xml :: testFlaky #1"));
    }

    @Test
    void an_android_failure_keeps_its_application_frames_and_not_the_runtime_s() {
        assertEquals("java.io.FileNotFoundException: No content provider: content://com.xyz/photo.jpg\n"
                + "at android.content.ContentResolver.openTypedAssetFileDescriptor\nat android.app.Instrumentation$InstrumentationThread.run",
            signature("junit/mikepenz/marathon_tests_com.mikepenz.DummyUtilTest_test_01_dummy.xml :: test_01_dummy #1").text());
    }
}
