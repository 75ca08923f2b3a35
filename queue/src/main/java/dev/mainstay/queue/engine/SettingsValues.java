package dev.mainstay.queue.engine;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Queue settings as people write them, one value per key ({@link #KEYS}; whole numbers as
 * {@link Long}, other numbers as {@link Double}, flags as {@link Boolean}), read onto a base: a key
 * left out keeps the base's value. Shared by the simulator's scenario files and a repository's
 * queue settings in the appliance, so both take the same keys and say the same errors, each naming
 * its key.
 */
public final class SettingsValues {

    /** The keys, each optional. */
    public static final List<String> KEYS = List.of("batch_size", "batch_max_wait_minutes", "bisect", "optimistic_merge",
        "pending_failure_depth", "retries", "anti_flake", "test_timeout_minutes", "concurrency", "screening");

    private SettingsValues() {
    }

    /**
     * {@code base} with {@code values} applied.
     *
     * @throws IllegalArgumentException naming the key of an unknown key, a value of the wrong type, or one out of range
     */
    public static QueueSettings apply(Map<String, Object> values, QueueSettings base) {
        for (String key : values.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown key '" + key + "' (known: " + String.join(", ", KEYS) + ")");
            }
        }
        return new QueueSettings(count(values, "concurrency", base.concurrency()), count(values, "batch_size", base.batchSize()),
            minutes(values, "batch_max_wait_minutes", base.batchMaxWait()), flag(values, "bisect", base.bisect()),
            flag(values, "optimistic_merge", base.optimisticMerge()), count(values, "pending_failure_depth", base.pendingFailureDepth()),
            count(values, "retries", base.retries()), flag(values, "anti_flake", base.antiFlake()),
            minutes(values, "test_timeout_minutes", base.testTimeout()), flag(values, "screening", base.screening()));
    }

    /** {@code settings} as the values {@link #apply} reads, every key present. */
    public static Map<String, Object> of(QueueSettings settings) {
        java.util.LinkedHashMap<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("concurrency", (long) settings.concurrency());
        out.put("batch_size", (long) settings.batchSize());
        out.put("batch_max_wait_minutes", minutesOf(settings.batchMaxWait()));
        out.put("bisect", settings.bisect());
        out.put("optimistic_merge", settings.optimisticMerge());
        out.put("pending_failure_depth", (long) settings.pendingFailureDepth());
        out.put("retries", (long) settings.retries());
        out.put("anti_flake", settings.antiFlake());
        out.put("test_timeout_minutes", minutesOf(settings.testTimeout()));
        out.put("screening", settings.screening());
        return out;
    }

    private static Object minutesOf(Duration d) {
        return d.toMillis() % 60_000 == 0 ? (Object) (d.toMillis() / 60_000) : (Object) (d.toMillis() / 60_000.0);
    }

    private static int count(Map<String, Object> values, String name, int otherwise) {
        if (!values.containsKey(name)) {
            return otherwise;
        }
        if (values.get(name) instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
            return (int) (long) l;
        }
        throw new IllegalArgumentException(name + " must be a whole number: " + values.get(name));
    }

    private static boolean flag(Map<String, Object> values, String name, boolean otherwise) {
        return switch (values.get(name)) {
            case null -> otherwise;
            case Boolean b -> b;
            default -> throw new IllegalArgumentException(name + " must be true or false: " + values.get(name));
        };
    }

    private static Duration minutes(Map<String, Object> values, String name, Duration otherwise) {
        if (!values.containsKey(name)) {
            return otherwise;
        }
        double m = switch (values.get(name)) {
            case Long l -> l;
            case Double d -> d;
            case null, default -> throw new IllegalArgumentException(name + " must be a number");
        };
        if (!(m >= 0 && m <= 10_000)) {
            throw new IllegalArgumentException(name + " must be between 0 and 10000: " + m);
        }
        return Duration.ofMillis(Math.round(m * 60_000));
    }
}
