package dev.mainstay.platform.queue.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mainstay.queue.engine.MergeMethod;
import dev.mainstay.queue.engine.QueueSettings;
import dev.mainstay.queue.engine.SettingsValues;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How one repository's branch is queued: the engine's settings, how its pull requests land, and
 * which checks a candidate must pass. Written as a JSON object of {@link #KEYS} (a key left out
 * keeps the appliance's default): the engine's keys as the simulator's scenario files take them,
 * {@code merge_method} ({@code merge}, {@code squash} or {@code rebase}), {@code required_checks}
 * (check names; empty: the branch protection's) and {@code lanes} ({@link PathLanes}: targets by
 * path globs).
 *
 * @param engine         the engine's settings
 * @param mergeMethod    how a queued pull request's changes land
 * @param requiredChecks the checks a candidate must pass; empty for the target branch's protection rule's
 * @param lanes          the targets a pull request affects by the files it changes, for those CI posts none for
 */
public record QueueConfig(QueueSettings engine, MergeMethod mergeMethod, List<String> requiredChecks, PathLanes lanes) {

    /** Every key a repository's queue settings may have. */
    public static final List<String> KEYS;

    static {
        List<String> keys = new ArrayList<>(SettingsValues.KEYS);
        keys.add("merge_method");
        keys.add("required_checks");
        keys.add("lanes");
        KEYS = List.copyOf(keys);
    }

    static final int MAX_CHARS = 16_384;
    static final int MAX_CHECKS = 50;
    static final int MAX_CHECK_NAME = 200;

    private static final ObjectMapper JSON = new ObjectMapper();

    public QueueConfig {
        requiredChecks = List.copyOf(requiredChecks);
        java.util.Objects.requireNonNull(lanes, "lanes");
    }

    /** The engine's settings and the default landing: merge commits, the branch protection's checks, no lanes from paths. */
    public static QueueConfig of(QueueSettings engine) {
        return new QueueConfig(engine, MergeMethod.MERGE, List.of(), PathLanes.NONE);
    }

    /**
     * {@code defaults} with the settings of {@code json} applied.
     *
     * @throws IllegalArgumentException naming the key: not one JSON object, an unknown key, a value of the wrong type or out of range
     */
    public static QueueConfig read(String json, QueueConfig defaults) {
        if (json.length() > MAX_CHARS) {
            throw new IllegalArgumentException("queue settings are at most " + MAX_CHARS + " characters");
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("queue settings must be a JSON object");
        }
        Map<String, Object> engine = new LinkedHashMap<>();
        MergeMethod method = defaults.mergeMethod();
        List<String> checks = defaults.requiredChecks();
        PathLanes lanes = defaults.lanes();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            switch (key) {
                case "merge_method" -> method = method(value);
                case "required_checks" -> checks = checks(value);
                case "lanes" -> lanes = PathLanes.read(value);
                default -> {
                    if (!SettingsValues.KEYS.contains(key)) {
                        throw new IllegalArgumentException("unknown key '" + key + "' (known: " + String.join(", ", KEYS) + ")");
                    }
                    engine.put(key, scalar(key, value));
                }
            }
        }
        return new QueueConfig(SettingsValues.apply(engine, defaults.engine()), method, checks, lanes);
    }

    /** Every setting, as {@link #read} reads them. */
    public String json() {
        ObjectNode out = JSON.createObjectNode();
        SettingsValues.of(engine).forEach((k, v) -> {
            switch (v) {
                case Long l -> out.put(k, l);
                case Double d -> out.put(k, d);
                case Boolean b -> out.put(k, b);
                default -> throw new IllegalStateException(k + ": " + v);
            }
        });
        out.put("merge_method", mergeMethod.name().toLowerCase(Locale.ROOT));
        ArrayNode checks = out.putArray("required_checks");
        requiredChecks.forEach(checks::add);
        out.set("lanes", lanes.json());
        return out.toString();
    }

    private static Object scalar(String key, JsonNode value) {
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return value.longValue();
        }
        if (value.isNumber()) {
            return value.doubleValue();
        }
        throw new IllegalArgumentException(key + " must be a number or true/false, not " + value);
    }

    private static MergeMethod method(JsonNode value) {
        for (MergeMethod m : MergeMethod.values()) {
            if (value.isTextual() && m.name().toLowerCase(Locale.ROOT).equals(value.textValue())) {
                return m;
            }
        }
        throw new IllegalArgumentException("merge_method must be \"merge\", \"squash\" or \"rebase\", not " + value);
    }

    private static List<String> checks(JsonNode value) {
        if (!value.isArray() || value.size() > MAX_CHECKS) {
            throw new IllegalArgumentException("required_checks must be a list of at most " + MAX_CHECKS + " check names, [] for the branch"
                + " protection's");
        }
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (JsonNode check : value) {
            String name = check.isTextual() ? check.textValue().strip() : "";
            if (name.isEmpty() || name.length() > MAX_CHECK_NAME || name.chars().anyMatch(c -> c < 0x20)) {
                throw new IllegalArgumentException("required_checks: each is a check's name, 1 to " + MAX_CHECK_NAME
                    + " printable characters, not " + check);
            }
            out.add(name);
        }
        return List.copyOf(out);
    }
}
