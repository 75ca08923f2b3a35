package dev.mainstay.reports;

import java.io.IOException;
import java.io.InputStream;

/** Reads one report format. Implementations keep no state between calls. */
public interface ReportParser {

    /**
     * Reads the report in {@code in}, handing each execution to {@code sink} as soon as it is
     * complete; the report is read once, front to back, in memory bounded by {@code limits}.
     *
     * @param report the report's name, for messages (e.g. {@code target/surefire-reports/TEST-a.xml})
     * @throws ReportException when the report is malformed or exceeds a limit
     * @throws IOException     when {@code in} fails
     */
    void parse(String report, InputStream in, ParseLimits limits, ExecutionSink sink) throws ReportException, IOException;
}
