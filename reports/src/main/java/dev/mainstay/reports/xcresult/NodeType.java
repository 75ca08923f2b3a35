package dev.mainstay.reports.xcresult;

/** The {@code nodeType} values the schema of {@code xcresulttool get test-results tests} enumerates, and UNKNOWN for any other. */
enum NodeType {
    TEST_PLAN("Test Plan"),
    UNIT_TEST_BUNDLE("Unit test bundle"),
    UI_TEST_BUNDLE("UI test bundle"),
    TEST_SUITE("Test Suite"),
    TEST_CASE("Test Case"),
    DEVICE("Device"),
    TEST_PLAN_CONFIGURATION("Test Plan Configuration"),
    ARGUMENTS("Arguments"),
    REPETITION("Repetition"),
    TEST_CASE_RUN("Test Case Run"),
    FAILURE_MESSAGE("Failure Message"),
    SOURCE_CODE_REFERENCE("Source Code Reference"),
    ATTACHMENT("Attachment"),
    EXPRESSION("Expression"),
    TEST_VALUE("Test Value"),
    RUNTIME_WARNING("Runtime Warning"),
    SKIP_MESSAGE("Skip Message"),
    EXPECTED_FAILURE("Expected Failure"),
    UNKNOWN("");

    private final String text;

    NodeType(String text) {
        this.text = text;
    }

    /** The type written {@code text}; UNKNOWN when it is none of the schema's (or absent). */
    static NodeType of(String text) {
        for (NodeType t : values()) {
            if (t != UNKNOWN && t.text.equals(text)) {
                return t;
            }
        }
        return UNKNOWN;
    }

    /**
     * What a node of this type adds to the suites of the tests inside it: a bundle, suite,
     * device or test plan configuration its name; a test plan nothing (a test moved to another
     * plan stays the same test); nodes that are parts of a test case nothing.
     */
    boolean namesASuite() {
        return switch (this) {
            case UNIT_TEST_BUNDLE, UI_TEST_BUNDLE, TEST_SUITE, DEVICE, TEST_PLAN_CONFIGURATION -> true;
            case TEST_PLAN, TEST_CASE, ARGUMENTS, REPETITION, TEST_CASE_RUN, FAILURE_MESSAGE, SOURCE_CODE_REFERENCE, ATTACHMENT,
                 EXPRESSION, TEST_VALUE, RUNTIME_WARNING, SKIP_MESSAGE, EXPECTED_FAILURE, UNKNOWN -> false;
        };
    }

    /**
     * Whether a node of this type, inside a test case, splits it into several executions:
     * arguments are distinct tests, devices and configurations distinct places, repetitions and
     * test case runs successive attempts.
     */
    boolean splitsACase() {
        return switch (this) {
            case ARGUMENTS, DEVICE, TEST_PLAN_CONFIGURATION, REPETITION, TEST_CASE_RUN -> true;
            case TEST_PLAN, UNIT_TEST_BUNDLE, UI_TEST_BUNDLE, TEST_SUITE, TEST_CASE, FAILURE_MESSAGE, SOURCE_CODE_REFERENCE, ATTACHMENT,
                 EXPRESSION, TEST_VALUE, RUNTIME_WARNING, SKIP_MESSAGE, EXPECTED_FAILURE, UNKNOWN -> false;
        };
    }
}
