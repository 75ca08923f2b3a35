package dev.mainstay.reports;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts of one report: test cases by outcome, and every attempt. A case is one test (same
 * suites, classname, file, name and variant); its outcome is that of its last attempt, so a test
 * that failed and passed on retry counts as passed, with two attempts.
 *
 * @param cases    distinct tests
 * @param passed   cases whose last attempt passed
 * @param failed   … failed
 * @param errors   … ended in an error
 * @param skipped  … were skipped
 * @param attempts every execution, retries included
 */
public record ReportSummary(long cases, long passed, long failed, long errors, long skipped, long attempts) {

    /** Builds a summary from executions as a parser hands them over. */
    public static final class Counter implements ExecutionSink {
        private final Map<List<String>, TestStatus> last = new HashMap<>();
        private long attempts;

        @Override
        public void accept(TestExecution e) {
            attempts++;
            last.put(List.of(String.join("\u0000", e.suites()), e.classname(), e.file(), e.name(), e.variant()), e.status());
        }

        public ReportSummary summary() {
            long[] by = new long[TestStatus.values().length];
            last.values().forEach(s -> by[s.ordinal()]++);
            return new ReportSummary(last.size(), by[TestStatus.PASSED.ordinal()], by[TestStatus.FAILED.ordinal()],
                by[TestStatus.ERROR.ordinal()], by[TestStatus.SKIPPED.ordinal()], attempts);
        }
    }
}
