package dev.mainstay.platform.queue.inbound;

import dev.mainstay.platform.app.ApplianceConfig;
import dev.mainstay.platform.jobs.JobCatalogue;
import dev.mainstay.platform.jobs.JobDefinition;
import dev.mainstay.platform.jobs.ScheduledJob;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import javax.sql.DataSource;

/** The {@link JobCatalogue#GITHUB_INBOX_RETENTION} job: the inbox's retention, {@link GitHubInbox#prune}. */
@ApplicationScoped
class GitHubInboxRetention implements ScheduledJob {

    private final DataSource dataSource;

    @Inject
    GitHubInboxRetention(@Named(ApplianceConfig.DATA_SOURCE) DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public JobDefinition definition() {
        return JobCatalogue.GITHUB_INBOX_RETENTION;
    }

    /** Counts the bodies cleared and rows deleted together, as {@code deliveries}. */
    @Override
    public Map<String, Long> run(Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return Map.of("deliveries", (long) GitHubInbox.prune(c, now));
        }
    }
}
