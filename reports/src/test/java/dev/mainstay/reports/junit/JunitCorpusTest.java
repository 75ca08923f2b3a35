package dev.mainstay.reports.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mainstay.reports.Corpus;
import dev.mainstay.reports.ReportException;
import dev.mainstay.reports.ReportSummary;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every JUnit XML file of the shared corpus, as written by Surefire, Gradle, pytest, jest-junit,
 * gotestsum, PHPUnit, nette-tester, catch2, CUnit, marathon, mocha, nextest, Swift and others:
 * each parses to the counts below (cases by outcome, and every attempt), or is rejected with a
 * message that names the file, the line and what is wrong.
 */
class JunitCorpusTest {

    private record Row(String file, ReportSummary summary) {
    }

    private static Row row(String file, long cases, long passed, long failed, long errors, long skipped, long attempts) {
        return new Row(file, new ReportSummary(cases, passed, failed, errors, skipped, attempts));
    }

    private static final List<Row> EXPECTED = List.of(
            row("junit/dorny/empty_java-junit.xml", 0, 0, 0, 0, 0, 0),
            row("junit/dorny/empty_jest-junit-empty-testsuite.xml", 0, 0, 0, 0, 0, 0),
            row("junit/dorny/empty_jest-junit.xml", 0, 0, 0, 0, 0, 0),
            row("junit/dorny/empty_phpunit-empty.xml", 0, 0, 0, 0, 0, 0),
            row("junit/dorny/external_java_TEST-org.apache.pulsar.AddMissingPatchVersionTest.xml", 1, 0, 1, 0, 0, 2),
            row("junit/dorny/external_java_empty_failures.xml", 3, 2, 1, 0, 0, 3),
            row("junit/dorny/external_java_junit4-basic.xml", 6, 5, 1, 0, 0, 6),
            row("junit/dorny/external_java_junit4-complete.xml", 8, 5, 1, 1, 1, 8),
            row("junit/dorny/external_java_pulsar-test-report.xml", 670, 663, 1, 0, 6, 808),
            row("junit/dorny/external_jest_jest-react-component-test-results.xml", 1, 1, 0, 0, 0, 1),
            row("junit/dorny/external_jest_jest-test-results.xml", 4142, 4110, 2, 0, 30, 4239),
            row("junit/dorny/external_phpunit_junit-basic.xml", 9, 8, 1, 0, 0, 9),
            row("junit/dorny/external_phpunit_phpcheckstyle-phpunit.xml", 30, 28, 2, 0, 0, 30),
            row("junit/dorny/jest-junit-eslint.xml", 1, 1, 0, 0, 0, 1),
            row("junit/dorny/jest-junit.xml", 6, 1, 4, 0, 1, 6),
            row("junit/dorny/junit-with-message.xml", 1, 0, 1, 0, 0, 1),
            row("junit/dorny/nette-tester_BootstrapFormRenderer-report.xml", 4, 4, 0, 0, 0, 4),
            row("junit/dorny/nette-tester_tester-v1.7-report.xml", 65, 61, 1, 0, 3, 65),
            row("junit/dorny/phpunit_phpunit-paths.xml", 6, 0, 6, 0, 0, 6),
            row("junit/dorny/phpunit_phpunit.xml", 12, 10, 2, 0, 0, 12),
            row("junit/dorny/python-xunit-pytest.xml", 10, 6, 2, 0, 2, 10),
            row("junit/dorny/python-xunit-unittest.xml", 8, 4, 1, 1, 2, 8),
            row("junit/dorny/swift-xunit.xml", 3, 2, 1, 0, 0, 3),
            row("junit/dorny/test-errors_jest_jest-test-results.xml", 2, 0, 0, 2, 0, 2),
            row("junit/mikepenz/catch2_report.xml", 1, 0, 1, 0, 0, 1),
            row("junit/mikepenz/container-structure_test.xml", 3, 3, 0, 0, 0, 3),
            row("junit/mikepenz/cunit_testEmpty.xml", 0, 0, 0, 0, 0, 0),
            row("junit/mikepenz/cunit_testFailure.xml", 4, 3, 1, 0, 0, 4),
            row("junit/mikepenz/flaky_retries_flaky_all_failures.xml", 1, 0, 0, 1, 0, 3),
            row("junit/mikepenz/flaky_retries_flaky_success_first.xml", 1, 0, 0, 1, 0, 3),
            row("junit/mikepenz/flaky_retries_flaky_with_classname_file.xml", 3, 3, 0, 0, 0, 5),
            row("junit/mikepenz/issues_testDisabled.xml", 22, 16, 4, 2, 0, 22),
            row("junit/mikepenz/issues_testFailedDisabled.xml", 1, 0, 1, 0, 0, 1),
            row("junit/mikepenz/junit-server-test_report.xml", 3, 2, 0, 0, 1, 4),
            row("junit/mikepenz/junit_flaky_failure_marathon_junit_report.xml", 1, 1, 0, 0, 0, 2),
            row("junit/mikepenz/junit_flaky_failure_mixed_flaky_and_passed.xml", 3, 3, 0, 0, 0, 4),
            row("junit/mikepenz/marathon_tests_com.mikepenz.DummyTest3_test_01.xml", 1, 0, 1, 0, 0, 1),
            row("junit/mikepenz/marathon_tests_com.mikepenz.DummyTest_test_02_dummy.xml", 1, 1, 0, 0, 0, 1),
            row("junit/mikepenz/marathon_tests_com.mikepenz.DummyUtilTest_test_01_dummy.xml", 1, 0, 1, 0, 0, 1),
            row("junit/mikepenz/maven_surefire_flaky_surefire-report.xml", 1, 1, 0, 0, 0, 2),
            row("junit/mikepenz/mocha_mocha.xml", 1, 1, 0, 0, 0, 1),
            row("junit/mikepenz/multiple_failures_test_multiple_errors.xml", 3, 1, 0, 2, 0, 3),
            row("junit/mikepenz/multiple_failures_test_multiple_failures.xml", 4, 1, 2, 0, 1, 4),
            row("junit/mikepenz/multiple_test_10.xml", 3, 3, 0, 0, 0, 3),
            row("junit/mikepenz/multiple_test_11.xml", 3, 2, 1, 0, 0, 3),
            row("junit/mikepenz/multiple_test_12.xml", 3, 2, 0, 0, 1, 3),
            row("junit/mikepenz/nested_junit.xml", 5, 2, 3, 0, 0, 5),
            row("junit/mikepenz/nested_multi-level.xml", 3, 3, 0, 0, 0, 3),
            row("junit/mikepenz/nextest_basic.xml", 3, 2, 1, 0, 0, 3),
            row("junit/mikepenz/perl_result.xml", 1, 1, 0, 0, 0, 1),
            row("junit/mikepenz/python_report.xml", 3, 1, 2, 0, 0, 3),
            row("junit/mikepenz/python_report_flaky.xml", 4, 2, 2, 0, 0, 4),
            row("junit/mikepenz/tests_email_target_surefire-reports_TEST-action.surefire.report.email.EmailAddressTest.xml", 9, 2, 2, 5, 0, 9),
            row("junit/mikepenz/tests_utils_target_surefire-reports_TEST-action.surefire.report.calc.AllOkTest.xml", 1, 1, 0, 0, 0, 1),
            row("junit/mikepenz/tests_utils_target_surefire-reports_TEST-action.surefire.report.calc.CalcUtilsTest.xml", 2, 0, 2, 0, 0, 2),
            row("junit/mikepenz/tests_utils_target_surefire-reports_TEST-action.surefire.report.calc.StringUtilsTest.xml", 5, 2, 2, 0, 1, 5),
            row("junit/mikepenz/xunit_report.xml", 4, 3, 1, 0, 0, 4),
            row("junit/mikepenz/xunit_report_fl_on_f.xml", 4, 3, 1, 0, 0, 4)
    );

    @Test
    void every_corpus_file_parses_to_its_counts_or_is_rejected_with_file_line_and_reason() throws Exception {
        Map<String, ReportSummary> expected = EXPECTED.stream().collect(Collectors.toMap(Row::file, Row::summary));
        TreeSet<String> all = new TreeSet<>(expected.keySet());
        all.addAll(Corpus.REJECTED.keySet());
        Map<String, String> mismatches = new TreeMap<>();
        TreeSet<String> seen = new TreeSet<>();
        for (Path p : Corpus.files("junit")) {
            String name = Corpus.ROOT.relativize(p).toString();
            seen.add(name);
            try {
                ReportSummary actual = Corpus.summary(Corpus.parse(new JunitXmlParser(), p));
                if (!actual.equals(expected.get(name))) {
                    mismatches.put(name, "parsed to " + actual + ", expected " + expected.getOrDefault(name, null)
                        + (Corpus.REJECTED.containsKey(name) ? " (expected a rejection)" : ""));
                }
            } catch (ReportException e) {
                if (!e.getMessage().equals(Corpus.REJECTED.get(name))) {
                    mismatches.put(name, "rejected with '" + e.getMessage() + "', expected " + Corpus.REJECTED.getOrDefault(name, "counts"));
                }
            }
        }
        assertEquals(all, seen, "every corpus file has an expectation, and every expectation a file");
        assertEquals(Map.of(), mismatches);
    }
}
