package dev.mainstay.platform.queue.worker;

import dev.mainstay.platform.ConfigValues;
import dev.mainstay.queue.engine.QueueSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;

/**
 * The merge queues' settings, the same for every queue of the appliance: the engine's defaults,
 * with the wait for a batch to fill configurable, the label that queues a pull request, and which
 * GitHub owners' repositories each Mainstay org sees the queues of.
 *
 * @param batchMaxWait how long a partly filled batch of new pull requests waits for more before it is tested
 * @param mergeLabel   the pull request label that queues it (removing it dequeues it)
 * @param owners       per Mainstay org, the GitHub owners (organisations or users) whose repositories' queues it
 *                     sees; an org not named sees those of the GitHub owner of its own name
 * @param problemsRead what was wrong in the settings as read, each naming its key
 */
public record QueueDefaults(Duration batchMaxWait, String mergeLabel, Map<String, Set<String>> owners, List<String> problemsRead) {

    public static final String BATCH_MAX_WAIT = "mainstay.queue.batch-max-wait";
    public static final String MERGE_LABEL = "mainstay.queue.merge-label";
    public static final String ORG_OWNERS = "mainstay.queue.org-owners";

    static final String DEFAULT_MERGE_LABEL = "mainstay-merge";

    private static final Duration MAX_WAIT = Duration.ofDays(1);
    private static final Pattern OWNER = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})");
    private static final Pattern ORG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    public QueueDefaults {
        owners = Map.copyOf(owners);
        problemsRead = List.copyOf(problemsRead);
    }

    /** Read from {@code config}; {@link #problems()} says whether usable. */
    public static QueueDefaults from(Config config) {
        List<String> problems = new ArrayList<>();
        Map<String, Set<String>> owners = new TreeMap<>();
        for (String entry : ConfigValues.text(config, ORG_OWNERS).map(t -> t.split(",")).orElse(new String[0])) {
            String[] pair = entry.strip().split(":", -1);
            if (pair.length != 2 || !ORG.matcher(pair[0].strip()).matches() || !OWNER.matcher(pair[1].strip()).matches()) {
                problems.add(ORG_OWNERS + ": '" + entry.strip() + "' is not org:github-owner, e.g. platform:acme");
                continue;
            }
            owners.computeIfAbsent(pair[0].strip(), o -> new TreeSet<>()).add(pair[1].strip().toLowerCase(Locale.ROOT));
        }
        return new QueueDefaults(ConfigValues.text(config, BATCH_MAX_WAIT).map(QueueDefaults::waitOf)
            .orElse(QueueSettings.DEFAULTS.batchMaxWait()), ConfigValues.text(config, MERGE_LABEL).orElse(DEFAULT_MERGE_LABEL),
            owners, problems);
    }

    /** The GitHub owners (lower case) whose repositories' queues {@code org} sees. */
    public Set<String> ownersOf(String org) {
        return owners.getOrDefault(org, Set.of(org.toLowerCase(Locale.ROOT)));
    }

    /** Whether {@code org} sees the queues of {@code repository} ({@code owner/name}). */
    public boolean sees(String org, String repository) {
        int slash = repository.indexOf('/');
        return slash > 0 && ownersOf(org).contains(repository.substring(0, slash).toLowerCase(Locale.ROOT));
    }

    /** The wait {@code text} names; negative (so refused) when it names none. */
    private static Duration waitOf(String text) {
        Duration parsed = ConfigValues.duration(text);
        return parsed.isZero() && !text.matches("0+[smh]?") ? Duration.ofSeconds(-1) : parsed;
    }

    /** What must be fixed; each problem names its key. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>(problemsRead);
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
