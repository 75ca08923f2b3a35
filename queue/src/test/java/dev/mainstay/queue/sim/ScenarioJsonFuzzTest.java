package dev.mainstay.queue.sim;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Any text given to the scenario parser ends in a scenario or an {@link IllegalArgumentException}
 * with a message: never another exception, never a hang. Seeds beside the test run as regression
 * tests in every build; {@code JAZZER_FUZZ=1} fuzzes.
 */
class ScenarioJsonFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void any_input_is_a_scenario_or_an_error_naming_what_is_wrong(byte[] input) {
        try {
            ScenarioJson.read(new String(input, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException expected) {
            if (expected.getMessage() == null || expected.getMessage().isBlank()) {
                throw new IllegalStateException("a rejection must say what is wrong", expected);
            }
        }
    }
}
