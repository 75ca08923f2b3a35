package dev.mainstay.reports;

/** How one execution of a test ended. */
public enum TestStatus {
    PASSED, FAILED, ERROR, SKIPPED;

    /** The lower-case name used in JSON and the database. */
    public String text() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
