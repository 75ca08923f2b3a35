package dev.mainstay.flaky;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SettingsJsonTest {

    @Test
    void written_settings_read_back_the_same() {
        DetectionSettings changed = SettingsJson.read("{\"window_days\":14,\"rate_activate\":0.1,\"protected_branches\":[\"main\"]}",
            DetectionSettings.DEFAULTS);

        assertEquals(changed, SettingsJson.read(SettingsJson.write(changed), DetectionSettings.DEFAULTS));
        assertEquals(Duration.ofDays(14), changed.window());
        assertEquals(List.of("main"), changed.protectedBranches());
        assertEquals(DetectionSettings.DEFAULTS.rateResolve(), changed.rateResolve(), "a key left out keeps its default");
    }

    @Test
    void a_misspelt_key_is_an_error_that_names_it() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> SettingsJson.read("{\"rate_activte\":0.1}", DetectionSettings.DEFAULTS));

        assertTrue(e.getMessage().startsWith("unknown detection setting 'rate_activte'"), e.getMessage());
    }

    @Test
    void values_out_of_range_or_of_the_wrong_type_are_errors_that_name_the_key() {
        assertEquals("rate_resolve must be between 0 and rate_activate: 0.2",
            assertThrows(IllegalArgumentException.class, () -> SettingsJson.read("{\"rate_resolve\":0.2}", DetectionSettings.DEFAULTS))
                .getMessage());
        assertEquals("window_days must be a whole number: 1.5",
            assertThrows(IllegalArgumentException.class, () -> SettingsJson.read("{\"window_days\":1.5}", DetectionSettings.DEFAULTS))
                .getMessage());
        assertEquals("max_executions must be a number, not many", assertThrows(IllegalArgumentException.class,
            () -> SettingsJson.read("{\"max_executions\":\"many\"}", DetectionSettings.DEFAULTS)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SettingsJson.read("{\"window_days\":", DetectionSettings.DEFAULTS))
            .getMessage().startsWith("detection settings are not valid JSON"));
    }
}
