package dev.mainstay.platform.jobs;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;

/** The {@link JobCatalogue#JOB_RUN_RETENTION} job: deletes run records 90 days after the run started. */
@ApplicationScoped
class JobRunRetention implements ScheduledJob {

    private final JobRuns runs;

    @Inject
    JobRunRetention(JobRuns runs) {
        this.runs = runs;
    }

    @Override
    public JobDefinition definition() {
        return JobCatalogue.JOB_RUN_RETENTION;
    }

    @Override
    public Map<String, Long> run(Instant now) throws SQLException {
        return Map.of("runs_deleted", runs.prune(now));
    }
}
