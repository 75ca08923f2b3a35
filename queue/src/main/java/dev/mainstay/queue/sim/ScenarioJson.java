package dev.mainstay.queue.sim;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.mainstay.queue.engine.QueueSettings;
import dev.mainstay.queue.engine.SettingsValues;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a scenario file: one JSON object with the {@link #REQUIRED} keys (more are allowed and
 * left alone, so a file may carry a name or notes) and an optional {@code settings} object whose
 * keys ({@link #SETTINGS}) override the engine's defaults for the {@code mainstay} strategy. An
 * unknown settings key is an error: a misspelt setting must not be ignored silently. Every error
 * names the key.
 */
public final class ScenarioJson {

    /** The keys a scenario must have. */
    public static final List<String> REQUIRED = List.of("seed", "hours", "prs_per_hour", "ci_minutes", "ci_slots", "true_failure_rate",
        "flake_rate", "conflict_rate", "lanes");

    /** The keys of the {@code settings} object, each optional. */
    public static final List<String> SETTINGS = SettingsValues.KEYS;

    /** The largest scenario file read, in characters. */
    public static final int MAX_CHARS = 1 << 20;

    private static final JsonFactory JSON = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).maxStringLength(10_000).maxNumberLength(100).build())
        .build();

    private ScenarioJson() {
    }

    /**
     * The scenario {@code json} describes.
     *
     * @throws IllegalArgumentException naming the key when the text is not one JSON object, is larger than
     *                                  {@value #MAX_CHARS} characters, lacks a required key, has an unknown settings key, or a
     *                                  value of the wrong type or out of range
     */
    public static Scenario read(String json) {
        if (json.length() > MAX_CHARS) {
            throw new IllegalArgumentException("a scenario is at most " + MAX_CHARS + " characters: this one has " + json.length());
        }
        Map<String, Object> top = new LinkedHashMap<>();
        Map<String, Object> ci = new LinkedHashMap<>();
        Map<String, Object> settings = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("a scenario must be a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken value = p.nextToken();
                switch (key) {
                    case "ci_minutes" -> {
                        object(p, value, key, List.of("median", "p95"), ci);
                        top.put(key, ci);
                    }
                    case "settings" -> object(p, value, key, SETTINGS, settings);
                    default -> {
                        if (REQUIRED.contains(key)) {
                            top.put(key, scalar(p, value, key));
                        } else {
                            p.skipChildren();
                        }
                    }
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new IllegalArgumentException("a scenario must be one JSON object");
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON at line " + e.getLocation().getLineNr() + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String key : REQUIRED) {
            if (!top.containsKey(key)) {
                throw new IllegalArgumentException("missing key '" + key + "'");
            }
        }
        int slots = whole(top, "ci_slots", "ci_slots");
        if (slots < 1 || slots > 1000) {
            throw new IllegalArgumentException("ci_slots must be between 1 and 1000: " + slots);
        }
        return new Scenario(whole(top, "seed", "seed", Long.MIN_VALUE, Long.MAX_VALUE), number(top, "hours", "hours"),
            number(top, "prs_per_hour", "prs_per_hour"), required(ci, "median"), required(ci, "p95"), slots,
            number(top, "true_failure_rate", "true_failure_rate"), number(top, "flake_rate", "flake_rate"),
            number(top, "conflict_rate", "conflict_rate"), whole(top, "lanes", "lanes"), settings(settings, slots));
    }

    private static void object(JsonParser p, JsonToken value, String key, List<String> known, Map<String, Object> into) throws IOException {
        if (value != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException(key + " must be a JSON object");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown key '" + key + "." + name + "' (known: " + String.join(", ", known) + ")");
            }
            into.put(name, scalar(p, p.nextToken(), key + "." + name));
        }
    }

    /** A number (as a Double, or a Long when whole) or a Boolean. */
    private static Object scalar(JsonParser p, JsonToken value, String key) throws IOException {
        return switch (value) {
            case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getDoubleValue() : (Object) p.getLongValue();
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_TRUE, VALUE_FALSE -> value == JsonToken.VALUE_TRUE;
            case null -> throw new IllegalArgumentException(key + " has no value");
            default -> throw new IllegalArgumentException(key + " must be a number or true/false, not " + p.getText());
        };
    }

    private static double required(Map<String, Object> ci, String name) {
        if (!ci.containsKey(name)) {
            throw new IllegalArgumentException("missing key 'ci_minutes." + name + "'");
        }
        return number(ci, name, "ci_minutes." + name);
    }

    private static double number(Map<String, Object> values, String name, String key) {
        return switch (values.get(name)) {
            case Long l -> l;
            case Double d -> d;
            case null, default -> throw new IllegalArgumentException(key + " must be a number");
        };
    }

    private static int whole(Map<String, Object> values, String name, String key) {
        return (int) whole(values, name, key, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    private static long whole(Map<String, Object> values, String name, String key, long min, long max) {
        if (values.get(name) instanceof Long l && l >= min && l <= max) {
            return l;
        }
        throw new IllegalArgumentException(key + " must be a whole number between " + min + " and " + max + ": " + values.get(name));
    }

    /** The defaults with concurrency = ci_slots, overridden by the {@code settings} object. */
    private static QueueSettings settings(Map<String, Object> s, int slots) {
        QueueSettings d = QueueSettings.DEFAULTS;
        try {
            return SettingsValues.apply(s, new QueueSettings(slots, d.batchSize(), d.batchMaxWait(), d.bisect(), d.optimisticMerge(),
                d.pendingFailureDepth(), d.retries(), d.antiFlake(), d.testTimeout(), d.screening()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("settings." + e.getMessage(), e);
        }
    }
}
