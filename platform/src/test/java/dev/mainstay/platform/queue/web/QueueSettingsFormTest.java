package dev.mainstay.platform.queue.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.platform.queue.worker.QueueConfig;
import dev.mainstay.queue.engine.MergeMethod;
import dev.mainstay.queue.engine.QueueSettings;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The queue settings form against the settings' own checks: a box left unticked is saved as false,
 * the choices and number ranges the page offers are exactly those {@link QueueConfig#read} takes.
 */
class QueueSettingsFormTest {

    private static final QueueConfig DEFAULTS = QueueConfig.of(QueueSettings.DEFAULTS);

    @Test
    void an_unticked_box_is_saved_as_false_and_a_ticked_one_as_true() {
        MultivaluedMap<String, String> form = new MultivaluedHashMap<>();
        form.add("bisect", "true");
        form.add("concurrency", " 3 ");
        // A browser sends nothing at all for the unticked optimistic_merge, anti_flake and screening.
        String json = QueueSettingsForm.json(QueueSettingsForm.entered(form));

        assertEquals("{\"bisect\":true,\"optimistic_merge\":false,"
            + "\"anti_flake\":false,\"concurrency\":3,\"screening\":false}", json, "flags always saved; empty fields keep defaults");
        QueueSettings read = QueueConfig.read(json, DEFAULTS).engine();
        assertTrue(read.bisect());
        assertEquals(List.of(false, false, false), List.of(read.optimisticMerge(), read.antiFlake(), read.screening()),
            "unticked is false, although every default is true");
    }

    @Test
    void a_flag_that_is_neither_true_nor_false_is_named() {
        MultivaluedMap<String, String> form = new MultivaluedHashMap<>();
        form.add("screening", "on");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> QueueSettingsForm.json(QueueSettingsForm.entered(form)));
        assertEquals("screening must be true or false, not 'on'", e.getMessage());
    }

    @Test
    void the_merge_method_choices_are_the_merge_methods_and_each_is_taken() {
        QueueSettingsForm.Input.Choice choice = (QueueSettingsForm.Input.Choice) input("merge_method");
        assertEquals(Arrays.stream(MergeMethod.values()).map(m -> m.name().toLowerCase(Locale.ROOT)).toList(), choice.values());
        for (String method : choice.values()) {
            assertEquals(method, QueueConfig.read(QueueSettingsForm.json(Map.of("merge_method", method)), DEFAULTS).mergeMethod().name()
                .toLowerCase(Locale.ROOT));
        }
    }

    @Test
    void each_number_fields_min_and_max_are_taken_and_one_beyond_either_is_refused() {
        int checked = 0;
        for (QueueSettingsForm.Setting s : QueueSettingsForm.SETTINGS) {
            long[] range = switch (s.input()) {
                case QueueSettingsForm.Input.Whole w -> new long[] {w.min(), w.max()};
                case QueueSettingsForm.Input.Minutes m -> new long[] {m.min(), m.max()};
                case QueueSettingsForm.Input.Flag f -> null;
                case QueueSettingsForm.Input.Choice c -> null;
                case QueueSettingsForm.Input.Text t -> null;
            };
            if (range == null) {
                continue;
            }
            checked++;
            for (long ok : range) {
                QueueConfig.read(QueueSettingsForm.json(Map.of(s.key(), Long.toString(ok))), DEFAULTS);
            }
            for (long bad : new long[] {range[0] - 1, range[1] + 1}) {
                String json = QueueSettingsForm.json(Map.of(s.key(), Long.toString(bad)));
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QueueConfig.read(json, DEFAULTS),
                    s.key() + " = " + bad + " is outside what the page offers, so it must be refused");
                assertTrue(e.getMessage().startsWith(s.key()), e.getMessage());
            }
        }
        assertEquals(6, checked, "every number setting has a range");
    }

    private static QueueSettingsForm.Input input(String key) {
        return QueueSettingsForm.SETTINGS.stream().filter(s -> s.key().equals(key)).findFirst().orElseThrow().input();
    }
}
