package dev.mainstay.reports.xcresult;

import dev.mainstay.reports.TestStatus;
import java.util.Optional;

/** The {@code result} values the schema enumerates. */
enum NodeResult {
    PASSED("Passed"), FAILED("Failed"), SKIPPED("Skipped"), EXPECTED_FAILURE("Expected Failure"), UNKNOWN("unknown");

    private final String text;

    NodeResult(String text) {
        this.text = text;
    }

    /** The result written {@code text}; empty when absent or not one of the schema's. */
    static Optional<NodeResult> of(String text) {
        for (NodeResult r : values()) {
            if (r.text.equals(text)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /**
     * How an execution with this result ended. An expected failure passed: the test declared
     * the failure with {@code XCTExpectFailure} or {@code withKnownIssue}, it happened, and
     * neither Xcode nor the CI run counts it as a failure; it only fails when the expected
     * failure does not happen, and then the result is Failed. Unknown is an error: the run
     * did not say how it ended.
     */
    TestStatus status() {
        return switch (this) {
            case PASSED, EXPECTED_FAILURE -> TestStatus.PASSED;
            case FAILED -> TestStatus.FAILED;
            case SKIPPED -> TestStatus.SKIPPED;
            case UNKNOWN -> TestStatus.ERROR;
        };
    }
}
