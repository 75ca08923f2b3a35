package dev.mainstay.flaky;

import java.util.Locale;

/** How one execution of a test ended, as the report said. */
public enum Outcome {
    PASSED,
    FAILED,
    ERROR,
    SKIPPED;

    /** True for a failure or an error: the execution counts against the test. */
    public boolean failing() {
        return this == FAILED || this == ERROR;
    }

    /** The name used in history files and the database: {@code passed}, {@code failed}, {@code error}, {@code skipped}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The outcome named {@code key}.
     *
     * @throws IllegalArgumentException when {@code key} is none of the four names
     */
    public static Outcome of(String key) {
        return switch (key) {
            case "passed" -> PASSED;
            case "failed" -> FAILED;
            case "error" -> ERROR;
            case "skipped" -> SKIPPED;
            default -> throw new IllegalArgumentException("status must be passed, failed, error or skipped, not '" + key + "'");
        };
    }
}
