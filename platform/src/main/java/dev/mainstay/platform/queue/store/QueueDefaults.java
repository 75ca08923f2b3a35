package dev.mainstay.platform.queue.store;

import dev.mainstay.platform.ConfigValues;
import dev.mainstay.queue.engine.QueueSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.Config;

/**
 * The merge queues' settings, the same for every queue of the appliance: the engine's defaults,
 * with the wait for a batch to fill configurable, and the label that queues a pull request.
 *
 * @param batchMaxWait how long a partly filled batch of new pull requests waits for more before it is tested
 * @param mergeLabel   the pull request label that queues it (removing it dequeues it)
 */
public record QueueDefaults(Duration batchMaxWait, String mergeLabel) {

    public static final String BATCH_MAX_WAIT = "mainstay.queue.batch-max-wait";
    public static final String MERGE_LABEL = "mainstay.queue.merge-label";

    static final String DEFAULT_MERGE_LABEL = "mainstay-merge";

    private static final Duration MAX_WAIT = Duration.ofDays(1);

    /** Read from {@code config}; {@link #problems()} says whether usable. */
    public static QueueDefaults from(Config config) {
        return new QueueDefaults(ConfigValues.text(config, BATCH_MAX_WAIT).map(QueueDefaults::waitOf)
            .orElse(QueueSettings.DEFAULTS.batchMaxWait()), ConfigValues.text(config, MERGE_LABEL).orElse(DEFAULT_MERGE_LABEL));
    }

    /** The wait {@code text} names; negative (so refused) when it names none. */
    private static Duration waitOf(String text) {
        Duration parsed = ConfigValues.duration(text);
        return parsed.isZero() && !text.matches("0+[smh]?") ? Duration.ofSeconds(-1) : parsed;
    }

    /** What must be fixed; each problem names its key. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (batchMaxWait.isNegative() || batchMaxWait.compareTo(MAX_WAIT) > 0) {
            problems.add(BATCH_MAX_WAIT + " must be a duration from 0s to 24h, e.g. 10m");
        }
        if (mergeLabel.length() > 50) {
            problems.add(MERGE_LABEL + " must be a GitHub label name, at most 50 characters");
        }
        return problems;
    }

    /** The engine's settings for every queue. */
    public QueueSettings settings() {
        QueueSettings d = QueueSettings.DEFAULTS;
        return new QueueSettings(d.concurrency(), d.batchSize(), batchMaxWait, d.bisect(), d.optimisticMerge(), d.pendingFailureDepth(),
            d.retries(), d.antiFlake(), d.testTimeout(), d.screening());
    }
}
