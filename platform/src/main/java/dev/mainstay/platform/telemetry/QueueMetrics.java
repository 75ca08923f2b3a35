package dev.mainstay.platform.telemetry;

import dev.mainstay.platform.queue.worker.QueueHistory;
import dev.mainstay.queue.engine.DequeueReason;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;

/**
 * The merge queues' figures at {@code /metrics}, over every queue of the appliance: queue depth, CI
 * slots in use, merges in the last hour, ejections in the last day by reason, and the median and
 * 90th percentile time in the queue of the pull requests merged in the last day. They are read from
 * the database (at most once every {@value #FRESH_SECONDS} s), so every replica reports the same
 * figures: aggregate replicas with {@code max}, not {@code sum}. No repository is named, so
 * {@code /metrics} stays free of customer data.
 */
@ApplicationScoped
public class QueueMetrics {

    static final int FRESH_SECONDS = 5;

    private static final Logger LOG = Logger.getLogger(QueueMetrics.class.getName());

    private final QueueHistory history;
    private final MetricRegistry registry;
    private final Clock clock;
    private QueueHistory.Figures figures;
    private Instant readAt = Instant.EPOCH;

    @Inject
    QueueMetrics(QueueHistory history, MetricRegistry registry, Clock clock) {
        this.history = history;
        this.registry = registry;
        this.clock = clock;
    }

    void register(@Observes @Initialized(ApplicationScoped.class) Object event) {
        gauge("mainstay.queue.depth", "Pull requests in a merge queue, over every queue", MetricUnits.NONE,
            f -> f.queued());
        gauge("mainstay.queue.ci.slots.in.use", "Candidate tests being built or running, over every queue", MetricUnits.NONE,
            f -> f.testing());
        gauge("mainstay.queue.merged.last.hour", "Pull requests merged by the merge queues in the last hour", MetricUnits.NONE,
            f -> f.mergedLastHour());
        gauge("mainstay.queue.time.in.queue.median", "Median time in the queue of the pull requests merged in the last day",
            MetricUnits.SECONDS, f -> f.medianSeconds());
        gauge("mainstay.queue.time.in.queue.p90", "90th percentile time in the queue of the pull requests merged in the last day",
            MetricUnits.SECONDS, f -> f.p90Seconds());
        for (DequeueReason reason : DequeueReason.values()) {
            gauge("mainstay.queue.ejected.last.day", "Pull requests that left a merge queue without merging in the last day, by reason",
                MetricUnits.NONE, f -> f.ejectedLastDay().getOrDefault(reason, 0L), new Tag("reason", reason.name().toLowerCase(Locale.ROOT)));
        }
    }

    private void gauge(String name, String description, String unit, ToDoubleFunction<QueueHistory.Figures> read, Tag... tags) {
        Metadata metadata = Metadata.builder().withName(name).withDescription(description).withUnit(unit).build();
        registry.gauge(metadata, this, metrics -> {
            QueueHistory.Figures now = metrics.figures();
            return now == null ? Double.NaN : read.applyAsDouble(now);
        }, tags);
    }

    /** The figures, read again when older than {@value #FRESH_SECONDS} s; the last ones (or null) when the database fails. */
    synchronized QueueHistory.Figures figures() {
        Instant now = clock.instant();
        if (figures == null || Duration.between(readAt, now).toSeconds() >= FRESH_SECONDS) {
            try {
                figures = history.figures(now);
                readAt = now;
            } catch (SQLException e) {
                LOG.log(Level.WARNING, "merge queue figures for /metrics could not be read; reporting the last ones", e);
            }
        }
        return figures;
    }
}
