package dev.mainstay.platform.flaky.webhooks;

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
import java.util.Map;
import javax.sql.DataSource;

/**
 * The {@link JobCatalogue#WEBHOOK_DELIVERY_RETENTION} job: deletes deliveries {@link #KEEP_FINISHED}
 * after they were delivered or failed; pending ones are never touched.
 */
@ApplicationScoped
class DeliveryRetention implements ScheduledJob {

    /** Delivered and failed deliveries are deleted this long after they finished. */
    static final Duration KEEP_FINISHED = Duration.ofDays(30);

    private final DataSource dataSource;

    @Inject
    DeliveryRetention(@Named(ApplianceConfig.DATA_SOURCE) DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public JobDefinition definition() {
        return JobCatalogue.WEBHOOK_DELIVERY_RETENTION;
    }

    /** Counts the {@code deliveries} deleted. */
    @Override
    public Map<String, Long> run(Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return Map.of("deliveries", Retention.deleteBefore(c,
                "DELETE FROM flaky_webhook_delivery WHERE state <> 'pending' AND finished_at < ?", now.minus(KEEP_FINISHED)));
        }
    }
}
