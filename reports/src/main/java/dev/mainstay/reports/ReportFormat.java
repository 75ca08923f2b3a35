package dev.mainstay.reports;

/** The report formats Mainstay reads, by the names the CLI and the upload API use. */
public enum ReportFormat {
    /** JUnit XML in any of its dialects (Surefire, Gradle, pytest, jest-junit, gotestsum, PHPUnit, catch2, …). */
    JUNIT("junit"),
    /** Bazel's Build Event Protocol as JSON ({@code --build_event_json_file}). */
    BAZEL_BEP("bazel-bep"),
    /** RSpec's JSON formatter ({@code --format json}). */
    RSPEC("rspec"),
    /** The JSON of {@code xcrun xcresulttool get test-results tests}. */
    XCRESULT("xcresult");

    private final String text;

    ReportFormat(String text) {
        this.text = text;
    }

    /** The format's name, e.g. {@code bazel-bep}. */
    public String text() {
        return text;
    }

    /** The format called {@code text}. */
    public static ReportFormat of(String text) {
        for (ReportFormat f : values()) {
            if (f.text.equals(text)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown report format '" + text + "'; known: junit, bazel-bep, rspec, xcresult");
    }
}
