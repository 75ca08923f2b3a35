package dev.mainstay.platform.jobs;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;

/**
 * A job of the {@link JobCatalogue}, implemented by the feature that owns the data it works on, as
 * an application-scoped CDI bean. Quartz decides when it runs and on which replica; the job only
 * does its work for {@code now}, so that it is tested with any time without waiting for one.
 */
public interface ScheduledJob {

    /** Which job of the catalogue this is. */
    JobDefinition definition();

    /**
     * Does the work once.
     *
     * @param now the time the run started, from the appliance's clock
     * @return what it counted (rows deleted, events recorded), recorded with the run and shown on the Jobs page
     * @throws SQLException when the database refused; the run is recorded as failed and retried per its definition
     */
    Map<String, Long> run(Instant now) throws SQLException;
}
