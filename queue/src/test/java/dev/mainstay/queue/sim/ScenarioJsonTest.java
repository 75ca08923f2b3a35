package dev.mainstay.queue.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScenarioJsonTest {

    private static final String STANDARD = """
        {"name": "standard", "seed": 1, "hours": 24, "prs_per_hour": 30, "ci_minutes": {"median": 30, "p95": 45}, "ci_slots": 8,
         "true_failure_rate": 0.10, "flake_rate": 0.05, "conflict_rate": 0.02, "lanes": 1%s}
        """;

    @Test
    void a_scenario_without_settings_gives_the_mainstay_strategy_the_defaults_with_concurrency_ci_slots() {
        Scenario s = ScenarioJson.read(STANDARD.formatted(""));

        assertEquals(30, s.prsPerHour());
        assertEquals(45, s.ciP95Minutes());
        assertEquals(8, s.settings().concurrency());
        assertEquals(dev.mainstay.queue.engine.QueueSettings.DEFAULTS.withConcurrency(8), s.settings());
    }

    @Test
    void settings_override_the_defaults_one_key_at_a_time() {
        Scenario s = ScenarioJson.read(STANDARD.formatted(", \"settings\": {\"batch_size\": 8, \"batch_max_wait_minutes\": 2.5,"
            + " \"bisect\": false, \"retries\": 0, \"concurrency\": 3}"));

        assertEquals(8, s.settings().batchSize());
        assertEquals(Duration.ofSeconds(150), s.settings().batchMaxWait());
        assertEquals(false, s.settings().bisect());
        assertEquals(0, s.settings().retries());
        assertEquals(3, s.settings().concurrency());
        assertEquals(8, s.ciSlots());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"hours\": 24,|missing key 'hours'",
        "\"median\": 30,|missing key 'ci_minutes.median'",
        "\"flake_rate\": 0.05|flake_rate must be between 0 and 0.9: 1.5",
        "\"lanes\": 1|lanes must be between 1 and 64: 0",
        "\"ci_slots\": 8|ci_slots must be a whole number",
        "\"conflict_rate\": 0.02|conflict_rate must be a number or true/false, not abc"})
    void a_bad_value_is_named_by_its_key(String original, String message) {
        String replacement = switch (original) {
            case "\"hours\": 24," -> "";
            case "\"median\": 30," -> "";
            case "\"flake_rate\": 0.05" -> "\"flake_rate\": 1.5";
            case "\"lanes\": 1" -> "\"lanes\": 0";
            case "\"ci_slots\": 8" -> "\"ci_slots\": 8.5";
            default -> "\"conflict_rate\": \"abc\"";
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> ScenarioJson.read(STANDARD.formatted("").replace(original, replacement)));

        assertEquals(true, e.getMessage().startsWith(message), e.getMessage());
    }

    @Test
    void an_unknown_settings_key_is_an_error_naming_it_and_the_known_ones() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> ScenarioJson.read(STANDARD.formatted(", \"settings\": {\"batchsize\": 8}")));

        assertEquals("unknown key 'settings.batchsize' (known: batch_size, batch_max_wait_minutes, bisect, optimistic_merge, "
            + "pending_failure_depth, retries, anti_flake, test_timeout_minutes, concurrency, screening)", e.getMessage());
    }

    @Test
    void a_settings_value_out_of_the_engines_range_is_named_by_its_key() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> ScenarioJson.read(STANDARD.formatted(", \"settings\": {\"batch_size\": 0}")));

        assertEquals("settings.batch_size must be between 1 and 100: 0", e.getMessage());
    }

    @Test
    void malformed_json_is_named_with_its_line() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScenarioJson.read("{\n\"seed\": 1,\n\"hours\": }"));

        assertEquals(true, e.getMessage().startsWith("not valid JSON at line 3: "), e.getMessage());
    }

    @Test
    void unknown_top_level_keys_are_allowed_even_nested() {
        Scenario s = ScenarioJson.read(STANDARD.formatted(", \"notes\": {\"why\": [1, {\"a\": null}]}"));

        assertEquals(1, s.lanes());
    }
}
