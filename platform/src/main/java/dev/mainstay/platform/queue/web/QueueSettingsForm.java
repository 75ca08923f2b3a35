package dev.mainstay.platform.queue.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mainstay.platform.queue.worker.PathLanes;
import dev.mainstay.platform.queue.worker.QueueConfig;
import dev.mainstay.queue.engine.MergeMethod;
import dev.mainstay.queue.engine.QueueSettings;
import jakarta.ws.rs.core.MultivaluedMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A queue's settings as the settings page shows and takes them: one field per key of
 * {@link QueueConfig#KEYS}, each an input of its {@link Input kind}. A flag is a checkbox, saved as
 * it is ticked (a browser sends nothing for an unticked box, so a flag the form leaves out is
 * false); every other field left empty keeps the default.
 */
public final class QueueSettingsForm {

    /** What each setting means, in {@link QueueConfig#KEYS} order; the ranges are those {@link QueueSettings} checks. */
    public static final List<Setting> SETTINGS = List.of(
        new Setting("batch_size", "Batch size", "Pull requests tested together: a screening group, or one step of the speculative chain.",
            new Input.Whole(1, 100)),
        new Setting("batch_max_wait_minutes", "Batch wait (minutes)",
            "How long a partly filled group waits for more pull requests before it is tested anyway.", new Input.Minutes(0, 1440)),
        new Setting("bisect", "Bisect failed batches", "Ticked: a failed batch is split until the failing pull request is found;"
            + " unticked: every pull request of a failed batch is removed.", new Input.Flag()),
        new Setting("optimistic_merge", "Optimistic merge",
            "Ticked: a passing candidate merges everything in it even while one ahead is still being tested.", new Input.Flag()),
        new Setting("pending_failure_depth", "Pending-failure depth",
            "How many candidates behind a failed one must fail too before its pull request is removed.", new Input.Whole(0, 100)),
        new Setting("retries", "Retries", "Automatic re-runs of a failed candidate before its failure counts.", new Input.Whole(0, 5)),
        new Setting("anti_flake", "Anti-flake", "Ticked: a failure of known-flaky tests only is re-run and does not remove anyone.",
            new Input.Flag()),
        new Setting("test_timeout_minutes", "Test timeout (minutes)", "A candidate test not finished after this long counts as failed.",
            new Input.Minutes(1, 2880)),
        new Setting("concurrency", "Concurrency", "Candidates tested at once: the CI capacity the queue may use.", new Input.Whole(1, 1000)),
        new Setting("screening", "Screening", "Ticked: a new pull request is first tested alone on the branch before it joins the chain.",
            new Input.Flag()),
        new Setting("merge_method", "Merge method", "How queued pull requests land (the tested commit is what lands).",
            new Input.Choice(Arrays.stream(MergeMethod.values()).map(m -> m.name().toLowerCase(Locale.ROOT)).toList())),
        new Setting("required_checks", "Required checks",
            "Check names a candidate must pass, separated by commas; empty: those of the branch protection rule.", new Input.Text()),
        new Setting("lanes", "Lanes by path", "Targets and the path globs of their files, as 'web: web/**, shared/ui/**; api: api/**'."
            + " Pull requests that touch no common target are tested independently; a file no glob matches puts its pull request in"
            + " every lane. Targets CI posts to /api/v1/impacted-targets come first.", new Input.Text()));

    private static final ObjectMapper JSON = new ObjectMapper();

    private QueueSettingsForm() {
    }

    /** One setting's form field. */
    public record Setting(String key, String label, String help, Input input) {
    }

    /** What kind of input a setting's field is. */
    public sealed interface Input {

        /** A checkbox: true when ticked. */
        record Flag() implements Input {
        }

        /** A list of {@code values} to choose one of, or none for the default. */
        record Choice(List<String> values) implements Input {
        }

        /** A whole number from {@code min} to {@code max}. */
        record Whole(long min, long max) implements Input {
        }

        /** Minutes from {@code min} to {@code max}, fractions allowed. */
        record Minutes(long min, long max) implements Input {
        }

        /** Free text, as its help says to write it. */
        record Text() implements Input {
        }
    }

    /**
     * A setting as the page shows it: the value entered (empty for the default), the default, and what is in effect.
     * A flag's box is ticked by the value entered, or else by what is in effect.
     */
    public record Field(Setting setting, String value, String defaultValue, String effective) {

        /** Whether a flag's checkbox is ticked. */
        public boolean ticked() {
            return (value.isEmpty() ? effective : value).equals("true");
        }
    }

    /**
     * What a submitted form holds for each setting, stripped: a flag the form leaves out (an unticked box) is
     * {@code "false"}, another setting left out is empty.
     */
    static Map<String, String> entered(MultivaluedMap<String, String> form) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Setting s : SETTINGS) {
            String value = Optional.ofNullable(form.getFirst(s.key())).map(String::strip).orElse("");
            out.put(s.key(), s.input() instanceof Input.Flag && value.isEmpty() ? "false" : value);
        }
        return out;
    }

    /** The fields, holding {@code entered} (a refused form's) or else {@code stored}'s values. */
    static List<Field> fields(Map<String, String> entered, QueueConfig defaults, QueueConfig effective) {
        Map<String, String> byDefault = values(defaults.json());
        Map<String, String> inEffect = values(effective.json());
        List<Field> out = new ArrayList<>();
        for (Setting s : SETTINGS) {
            out.add(new Field(s, entered.getOrDefault(s.key(), ""), byDefault.get(s.key()), inEffect.get(s.key())));
        }
        return out;
    }

    /**
     * The settings object the form's filled-in fields make (for {@link QueueConfig#read} to check).
     *
     * @throws IllegalArgumentException naming the field when a number field holds no number
     */
    static String json(Map<String, String> entered) {
        ObjectNode out = JSON.createObjectNode();
        for (Setting s : SETTINGS) {
            String value = entered.getOrDefault(s.key(), "").strip();
            if (value.isEmpty()) {
                continue;
            }
            switch (s.input()) {
                case Input.Flag f -> {
                    if (!value.equals("true") && !value.equals("false")) {
                        throw new IllegalArgumentException(s.key() + " must be true or false, not '" + value + "'");
                    }
                    out.put(s.key(), Boolean.parseBoolean(value));
                }
                case Input.Choice c -> out.put(s.key(), value);
                case Input.Whole w -> out.put(s.key(), number(s.key(), value));
                case Input.Minutes m -> out.put(s.key(), number(s.key(), value));
                case Input.Text t -> {
                    if (s.key().equals("lanes")) {
                        out.set(s.key(), PathLanes.parse(value).json());
                    } else {
                        ArrayNode checks = out.putArray(s.key());
                        for (String check : value.split(",")) {
                            if (!check.isBlank()) {
                                checks.add(check.strip());
                            }
                        }
                    }
                }
            }
        }
        return out.toString();
    }

    private static BigDecimal number(String key, String value) {
        if (value.length() > 40) {
            throw new IllegalArgumentException(key + " must be a number, not a " + value.length() + "-character text");
        }
        try {
            return new BigDecimal(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, not '" + value + "'");
        }
    }

    /** Each key of a settings object as the text its form field holds. */
    static Map<String, String> values(String json) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            JsonNode tree = JSON.readTree(json);
            tree.properties().forEach(e -> {
                if (e.getKey().equals("lanes") && e.getValue().isObject()) {
                    out.put(e.getKey(), PathLanes.read(e.getValue()).text());
                } else if (e.getValue().isArray()) {
                    List<String> items = new ArrayList<>();
                    e.getValue().forEach(g -> items.add(g.asText()));
                    out.put(e.getKey(), String.join(", ", items));
                } else {
                    out.put(e.getKey(), e.getValue().asText());
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("queue settings are not JSON", e);
        }
        return out;
    }
}
