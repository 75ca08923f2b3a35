package dev.mainstay.reports.xcresult;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mainstay.reports.ParseLimits;
import dev.mainstay.reports.ReportException;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * An xcresulttool JSON file comes from outside (any CI runner may upload one): any bytes must
 * end in executions or a {@link ReportException} with a reason, never in another exception or a
 * hang. In a normal build the seeds in {@code XcresultFuzzTestInputs} and the findings committed
 * beside them run as regression tests; {@code JAZZER_FUZZ=1} fuzzes from them.
 */
class XcresultFuzzTest {

    /** Small enough for the fuzzer to reach every limit. */
    private static final ParseLimits LIMITS = new ParseLimits(1 << 20, 24, 2048, 512);

    @FuzzTest(maxDuration = "2m")
    void any_input_is_parsed_or_rejected_with_a_reason(byte[] input) throws IOException {
        try {
            new XcresultJsonParser().parse("fuzzed.json", new ByteArrayInputStream(input), LIMITS,
                e -> assertFalse(e.name().isBlank(), "every execution has a name: " + e));
        } catch (ReportException e) {
            assertFalse(e.problem().isBlank(), "a rejection names what is wrong: " + e.getMessage());
        }
    }
}
