package dev.mainstay.reports.rspec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mainstay.reports.ParseLimits;
import dev.mainstay.reports.ReportException;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Any bytes given to the parser end in executions or a {@link ReportException}: never another
 * exception, a hang or unbounded memory. Seeds (corpus files, see the README beside them) and
 * committed findings run as regression tests in every build; {@code JAZZER_FUZZ=1} fuzzes.
 */
class RspecJsonFuzzTest {

    private static final ParseLimits LIMITS = new ParseLimits(1 << 20, 32, 4096, 4096);

    @FuzzTest(maxDuration = "2m")
    void any_input_is_parsed_or_rejected_with_a_reason(byte[] input) throws IOException {
        try {
            new RspecJsonParser().parse("fuzzed", new ByteArrayInputStream(input), LIMITS, execution -> { });
        } catch (ReportException expected) {
            if (expected.problem().isBlank()) {
                throw new IllegalStateException("a rejection must say what is wrong", expected);
            }
        }
    }
}
