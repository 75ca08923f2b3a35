package dev.mainstay.flaky.history;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;

/**
 * Any text given to the history reader ends in lines or a {@link HistoryException} naming a line:
 * never another exception. Seeds beside the test run as regression tests in every build;
 * {@code JAZZER_FUZZ=1} fuzzes.
 */
class HistoryReaderFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void any_input_is_read_or_rejected_with_its_line(byte[] input) throws IOException {
        try {
            new HistoryReader().read(new StringReader(new String(input, StandardCharsets.UTF_8)), line -> { });
        } catch (HistoryException expected) {
            if (expected.line() < 1 || expected.getMessage().isBlank()) {
                throw new IllegalStateException("a rejection must name its line and what is wrong", expected);
            }
        }
    }
}
