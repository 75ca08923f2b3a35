/**
 * Scheduled jobs on Quartz, clustered on the appliance's PostgreSQL: the {@link dev.mainstay.platform.jobs.JobCatalogue}
 * names every job with its default schedule and misfire policy; a feature implements a job as a CDI bean
 * ({@link dev.mainstay.platform.jobs.ScheduledJob}); {@link dev.mainstay.platform.jobs.Jobs} starts the scheduler at
 * appliance start and stops it at shutdown; {@link dev.mainstay.platform.jobs.JobRunner} records every run in
 * {@code job_run} and the audit trail ({@code job.run}) and retries a failed one; the Jobs page and
 * {@code /api/v1/jobs} show them to admins and run one on request.
 */
package dev.mainstay.platform.jobs;
