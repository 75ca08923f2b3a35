package dev.mainstay.platform.queue.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mainstay.platform.queue.store.PathLanes;
import dev.mainstay.platform.queue.store.QueueConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A queue's settings as the settings page shows and takes them: one text field per key of
 * {@link QueueConfig#KEYS}, an empty one keeping the default.
 */
public final class QueueSettingsForm {

    /** What each setting means, in {@link QueueConfig#KEYS} order. */
    public static final List<Setting> SETTINGS = List.of(
        new Setting("batch_size", "Batch size", "Pull requests tested together: a screening group, or one step of the speculative chain."),
        new Setting("batch_max_wait_minutes", "Batch wait (minutes)",
            "How long a partly filled group waits for more pull requests before it is tested anyway."),
        new Setting("bisect", "Bisect failed batches", "true: a failed batch is split until the failing pull request is found;"
            + " false: every pull request of a failed batch is removed."),
        new Setting("optimistic_merge", "Optimistic merge",
            "true: a passing candidate merges everything in it even while one ahead is still being tested."),
        new Setting("pending_failure_depth", "Pending-failure depth",
            "How many candidates behind a failed one must fail too before its pull request is removed."),
        new Setting("retries", "Retries", "Automatic re-runs of a failed candidate before its failure counts."),
        new Setting("anti_flake", "Anti-flake", "true: a failure of known-flaky tests only is re-run and does not remove anyone."),
        new Setting("test_timeout_minutes", "Test timeout (minutes)", "A candidate test not finished after this long counts as failed."),
        new Setting("concurrency", "Concurrency", "Candidates tested at once: the CI capacity the queue may use."),
        new Setting("screening", "Screening", "true: a new pull request is first tested alone on the branch before it joins the chain."),
        new Setting("merge_method", "Merge method", "merge, squash or rebase: how queued pull requests land (the tested commit is what lands)."),
        new Setting("required_checks", "Required checks",
            "Check names a candidate must pass, separated by commas; empty: those of the branch protection rule."),
        new Setting("lanes", "Lanes by path", "Targets and the path globs of their files, as 'web: web/**, shared/ui/**; api: api/**'."
            + " Pull requests that touch no common target are tested independently; a file no glob matches puts its pull request in"
            + " every lane. Targets CI posts to /api/v1/impacted-targets come first."));

    private static final ObjectMapper JSON = new ObjectMapper();

    private QueueSettingsForm() {
    }

    /** One setting's form field. */
    public record Setting(String key, String label, String help) {
    }

    /** A setting as the page shows it: the value entered (empty for the default), the default, and what is in effect. */
    public record Field(Setting setting, String value, String defaultValue, String effective) {
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
            switch (s.key()) {
                case "required_checks" -> {
                    ArrayNode checks = out.putArray(s.key());
                    for (String check : value.split(",")) {
                        if (!check.isBlank()) {
                            checks.add(check.strip());
                        }
                    }
                }
                case "merge_method" -> out.put(s.key(), value);
                case "lanes" -> out.set(s.key(), PathLanes.parse(value).json());
                case "bisect", "optimistic_merge", "anti_flake", "screening" -> {
                    if (!value.equals("true") && !value.equals("false")) {
                        throw new IllegalArgumentException(s.key() + " must be true or false, not '" + value + "'");
                    }
                    out.put(s.key(), Boolean.parseBoolean(value));
                }
                default -> {
                    if (value.length() > 40) {
                        throw new IllegalArgumentException(s.key() + " must be a number, not a " + value.length() + "-character text");
                    }
                    try {
                        out.put(s.key(), new BigDecimal(value));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(s.key() + " must be a number, not '" + value + "'");
                    }
                }
            }
        }
        return out.toString();
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
