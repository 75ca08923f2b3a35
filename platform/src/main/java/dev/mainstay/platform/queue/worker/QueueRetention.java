package dev.mainstay.platform.queue.worker;

import dev.mainstay.platform.app.ApplianceConfig;
import dev.mainstay.platform.jobs.JobCatalogue;
import dev.mainstay.platform.jobs.JobDefinition;
import dev.mainstay.platform.jobs.Retention;
import dev.mainstay.platform.jobs.ScheduledJob;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The {@link JobCatalogue#QUEUE_RETENTION} job: deletes applied (or set-aside) events and
 * carried-out decisions {@link #KEEP} after, the history of what left a queue and finished
 * candidate tests {@link QueueHistory#KEEP} after, and posted impacted targets
 * {@link ImpactedTargets#KEEP} after. A queue's own row and pending work are never touched.
 */
@ApplicationScoped
class QueueRetention implements ScheduledJob {

    /** Applied events and done decisions are deleted this long after. */
    static final Duration KEEP = Duration.ofDays(30);

    private final DataSource dataSource;

    @Inject
    QueueRetention(@Named(ApplianceConfig.DATA_SOURCE) DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public JobDefinition definition() {
        return JobCatalogue.QUEUE_RETENTION;
    }

    /** Deletes in one transaction; counts the rows deleted from each table. */
    @Override
    public Map<String, Long> run(Instant now) throws SQLException {
        Map<String, Long> deleted = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                deleted.put("events", Retention.deleteBefore(c, "DELETE FROM merge_queue_event WHERE COALESCE(applied_at, failed_at) < ?", now.minus(KEEP)));
                deleted.put("decisions", Retention.deleteBefore(c, "DELETE FROM merge_queue_outbox WHERE done_at < ?", now.minus(KEEP)));
                deleted.put("history", Retention.deleteBefore(c, "DELETE FROM merge_queue_history WHERE left_at < ?", now.minus(QueueHistory.KEEP)));
                deleted.put("tests", Retention.deleteBefore(c, "DELETE FROM merge_queue_test WHERE finished_at < ?", now.minus(QueueHistory.KEEP)));
                deleted.put("targets", Retention.deleteBefore(c, "DELETE FROM merge_queue_targets WHERE posted_at < ?", now.minus(ImpactedTargets.KEEP)));
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        return deleted;
    }
}
