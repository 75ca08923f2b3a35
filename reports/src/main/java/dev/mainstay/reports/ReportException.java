package dev.mainstay.reports;

import java.util.OptionalLong;

/**
 * A report that cannot be read: its message names the file, the line when known, and what is
 * wrong, e.g. {@code TEST-a.xml:12: DTDs are not accepted}.
 */
public final class ReportException extends Exception {

    private final String report;
    private final OptionalLong line;
    private final String problem;

    public ReportException(String report, OptionalLong line, String problem) {
        super(report + line.stream().mapToObj(l -> ":" + l).findFirst().orElse("") + ": " + problem);
        this.report = report;
        this.line = line;
        this.problem = problem;
    }

    public ReportException(String report, OptionalLong line, String problem, Throwable cause) {
        this(report, line, problem);
        initCause(cause);
    }

    /** The report's name, as the uploader gave it. */
    public String report() {
        return report;
    }

    /** The line where the problem was found, when known. */
    public OptionalLong line() {
        return line;
    }

    /** What is wrong, without the file and line. */
    public String problem() {
        return problem;
    }
}
