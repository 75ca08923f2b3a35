package dev.mainstay.platform.jobs;

import dev.mainstay.audit.AuditEvent;
import dev.mainstay.platform.app.ApplianceConfig;
import dev.mainstay.platform.auditing.AuditTrail;
import dev.mainstay.platform.jobs.work.RetryPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobDataMap;
import org.quartz.JobExecutionContext;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.TriggerBuilder;

/**
 * Runs one firing of a catalogue job, on a Quartz thread of whichever replica took the firing:
 * records the run as started in {@code job_run}, runs the feature's {@link ScheduledJob} for the
 * clock's now, then records the outcome, the job's counts (or the error) and the audit event
 * {@code job.run} in one transaction. A failed attempt is retried after the job's
 * {@link JobDefinition#retryAfter()} until its {@link JobDefinition#attempts()} are used up, each
 * attempt a run of its own. A run that recovers one whose replica died first marks that one
 * interrupted.
 *
 * <p>Never two runs of one job at once, across all replicas ({@link DisallowConcurrentExecution}
 * holds per job in the clustered store).
 */
@ApplicationScoped
@DisallowConcurrentExecution
public class JobRunner implements Job {

    /** Job data: which attempt of a firing this is (text, from 1). */
    static final String ATTEMPT = "attempt";
    /** Job data: who asked for a run now ({@code person:<username>}). */
    static final String BY = "by";

    private static final Logger LOG = Logger.getLogger(JobRunner.class.getName());

    private final DataSource dataSource;
    private final Instance<ScheduledJob> jobs;
    private final JobRuns runs;
    private final AuditTrail audit;
    private final Clock clock;

    @Inject
    JobRunner(@Named(ApplianceConfig.DATA_SOURCE) DataSource dataSource, Instance<ScheduledJob> jobs, JobRuns runs, AuditTrail audit,
              Clock clock) {
        this.dataSource = dataSource;
        this.jobs = jobs;
        this.runs = runs;
        this.audit = audit;
        this.clock = clock;
    }

    @Override
    public void execute(JobExecutionContext context) {
        String name = context.getJobDetail().getKey().getName();
        JobDataMap data = context.getMergedJobDataMap();
        int attempt = data.containsKey(ATTEMPT) ? Integer.parseInt(data.getString(ATTEMPT)) : 1;
        String by = context.isRecovering() ? "recovery" : data.containsKey(BY) ? data.getString(BY) : attempt > 1 ? "retry" : "schedule";
        String replica;
        try {
            replica = context.getScheduler().getSchedulerInstanceId();
        } catch (SchedulerException e) {
            throw new IllegalStateException("a running scheduler always has an instance id", e);
        }
        ScheduledJob job = jobs.stream().filter(j -> j.definition().name().equals(name)).findFirst()
            .orElseThrow(() -> new IllegalStateException("no bean implements the catalogue job " + name));
        Optional<Instant> scheduledFor = Optional.ofNullable(context.getScheduledFireTime()).map(Date::toInstant);
        Optional<Duration> retry = run(job, replica, by, attempt, context.isRecovering(), scheduledFor);
        retry.ifPresent(after -> scheduleRetry(context, attempt + 1, after));
    }

    /**
     * Runs {@code job} once and records the run.
     *
     * @param scheduledFor the fire time this run is for (a run asked for now has its own), audited
     *                     so that each fire time can be seen to have run once across the replicas
     * @return when the run failed and attempts are left, how long until the next
     */
    Optional<Duration> run(ScheduledJob job, String replica, String by, int attempt, boolean recovering, Optional<Instant> scheduledFor) {
        JobDefinition definition = job.definition();
        Instant started = clock.instant();
        UUID run;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            if (recovering) {
                runs.interrupted(c, definition.name(), replica, started);
            }
            run = runs.start(c, definition.name(), replica, by, attempt, started);
            c.commit();
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "job " + definition.name() + ": could not record the run's start, so it did not run", e);
            return attempt < definition.attempts() ? Optional.of(definition.retryAfter()) : Optional.empty();
        }
        Map<String, Long> counts = Map.of();
        Optional<String> error = Optional.empty();
        try {
            counts = job.run(started);
        } catch (SQLException | RuntimeException e) {
            error = Optional.of(RetryPolicy.describe(e));
            LOG.log(Level.WARNING, "job " + definition.name() + " failed (attempt " + attempt + " of " + definition.attempts() + ")", e);
        }
        JobRuns.Outcome outcome = error.isEmpty() ? JobRuns.Outcome.SUCCEEDED : JobRuns.Outcome.FAILED;
        Instant finished = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            runs.finish(c, run, outcome, counts, error, finished);
            audit.record(c, AuditEvent.Actor.system(definition.name()), "", "job.run", new AuditEvent.Target("job", definition.name()),
                error.isEmpty() ? AuditEvent.Outcome.SUCCESS : AuditEvent.Outcome.FAILURE,
                details(replica, by, attempt, scheduledFor, Duration.between(started, finished), counts, error));
            c.commit();
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "job " + definition.name() + ": could not record how run " + run + " ended (" + outcome + ")", e);
        }
        return error.isPresent() && attempt < definition.attempts() ? Optional.of(definition.retryAfter()) : Optional.empty();
    }

    private static Map<String, String> details(String replica, String by, int attempt, Optional<Instant> scheduledFor, Duration took,
                                               Map<String, Long> counts, Optional<String> error) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("replica", replica);
        details.put("triggered_by", by);
        details.put("attempt", Integer.toString(attempt));
        scheduledFor.ifPresent(t -> details.put("scheduled_for", t.toString()));
        details.put("duration_ms", Long.toString(took.toMillis()));
        counts.forEach((k, v) -> details.put("count." + k, Long.toString(v)));
        error.ifPresent(e -> details.put("error", JobRuns.cut(e)));
        return details;
    }

    private void scheduleRetry(JobExecutionContext context, int attempt, Duration after) {
        try {
            context.getScheduler().scheduleJob(TriggerBuilder.newTrigger()
                .forJob(context.getJobDetail().getKey())
                .withDescription("retry, attempt " + attempt)
                .usingJobData(ATTEMPT, Integer.toString(attempt))
                .startAt(Date.from(clock.instant().plus(after)))
                .withSchedule(SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow())
                .build());
        } catch (SchedulerException e) {
            LOG.log(Level.WARNING, "job " + context.getJobDetail().getKey().getName() + ": could not schedule attempt " + attempt, e);
        }
    }
}
