package dev.mainstay.platform.jobs;

import dev.mainstay.platform.app.ApplianceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TimeZone;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.quartz.CronScheduleBuilder;
import org.quartz.CronTrigger;
import org.quartz.JobBuilder;
import org.quartz.JobDataMap;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;

/**
 * The appliance's scheduler: started when the application starts, stopped (waiting for runs under
 * way) when it stops. At start every catalogue job is stored durably in the clustered store with
 * {@code requestsRecovery} (a run whose replica dies is run again by another), and its cron trigger
 * is made, changed to the configured schedule, or removed when the job is disabled. Replicas are
 * expected to share the job settings; the one that starts last writes them.
 *
 * <p>Misfires (a fire time passed with no replica free to run it, for longer than a minute) follow
 * the job's {@link JobDefinition.Misfire}: one run now, or none until the next fire time.
 */
@ApplicationScoped
public class Jobs {

    /** The Quartz group of the catalogue's jobs and triggers. */
    static final String GROUP = "catalogue";
    /** How many recent runs of each job the page and the API show. */
    public static final int RECENT = 10;

    /** How long a shutdown waits for the runs under way. */
    public static final int STOP_WAIT_SECONDS = 10;

    private static final Logger LOG = Logger.getLogger(Jobs.class.getName());

    private final DataSource dataSource;
    private final JobSettings settings;
    private final CdiJobFactory factory;
    private final Instance<ScheduledJob> beans;
    private final JobRuns runs;
    private Scheduler scheduler;

    /**
     * A job as the Jobs page and the API show it.
     *
     * @param nextFire when it runs next; empty when disabled
     * @param runs     its last runs, newest first
     */
    public record Status(JobDefinition definition, String schedule, String timeZone, boolean enabled, Optional<Instant> nextFire,
                         List<JobRuns.Run> runs) {
    }

    @Inject
    Jobs(@Named(ApplianceConfig.DATA_SOURCE) DataSource dataSource, JobSettings settings, CdiJobFactory factory,
         Instance<ScheduledJob> beans, JobRuns runs) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.factory = factory;
        this.beans = beans;
        this.runs = runs;
    }

    void start(@Observes @Initialized(ApplicationScoped.class) Object event) throws SchedulerException {
        Set<String> implemented = beans.stream().map(j -> j.definition().name()).collect(Collectors.toCollection(TreeSet::new));
        Set<String> catalogued = JobCatalogue.ALL.stream().map(JobDefinition::name).collect(Collectors.toCollection(TreeSet::new));
        if (!implemented.equals(catalogued)) {
            throw new IllegalStateException("the job catalogue " + catalogued + " and the ScheduledJob beans " + implemented + " differ");
        }
        scheduler = QuartzSchedulers.create(dataSource, replicaId(), settings.threadCount().orElseThrow(), factory);
        ZoneId zone = settings.zone().orElseThrow();
        for (JobDefinition job : JobCatalogue.ALL) {
            schedule(job, settings.schedule(job), zone);
        }
        scheduler.start();
        LOG.info(() -> "Scheduled jobs: " + JobCatalogue.ALL.size() + " in the catalogue, replica " + replica() + ", "
            + settings.threadCount().orElseThrow() + " thread(s), schedules in " + zone);
    }

    private void schedule(JobDefinition job, JobSettings.Schedule schedule, ZoneId zone) throws SchedulerException {
        JobDetail detail = JobBuilder.newJob(JobRunner.class).withIdentity(job.name(), GROUP).withDescription(job.description())
            .storeDurably().requestRecovery().build();
        scheduler.addJob(detail, true);
        TriggerKey key = TriggerKey.triggerKey(job.name(), GROUP);
        if (!schedule.on()) {
            scheduler.unscheduleJob(key);
            return;
        }
        CronScheduleBuilder cron = CronScheduleBuilder.cronSchedule(schedule.cron()).inTimeZone(TimeZone.getTimeZone(zone));
        cron = switch (job.misfire()) {
            case RUN_ONCE_NOW -> cron.withMisfireHandlingInstructionFireAndProceed();
            case SKIP_TO_NEXT -> cron.withMisfireHandlingInstructionDoNothing();
        };
        CronTrigger trigger = TriggerBuilder.newTrigger().withIdentity(key).forJob(detail).withDescription(schedule.cron())
            .withSchedule(cron).build();
        Trigger existing = scheduler.getTrigger(key);
        if (existing == null) {
            scheduler.scheduleJob(trigger);
        } else if (!(existing instanceof CronTrigger current && current.getCronExpression().equals(schedule.cron())
            && current.getTimeZone().getID().equals(zone.getId()) && current.getMisfireInstruction() == trigger.getMisfireInstruction())) {
            scheduler.rescheduleJob(key, trigger);
        }
    }

    /** This replica's id in the Quartz cluster: host name and process id. */
    private static String replicaId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return host + "-" + ProcessHandle.current().pid();
    }

    /** This replica's id in the cluster, as {@code job_run.replica} names it. */
    public String replica() {
        try {
            return scheduler.getSchedulerInstanceId();
        } catch (SchedulerException e) {
            throw new IllegalStateException("the scheduler's instance id is always known", e);
        }
    }

    /** Every job of the catalogue with its schedule, next fire time and last runs. */
    public List<Status> statuses() throws SQLException, SchedulerException {
        List<Status> statuses = new ArrayList<>();
        for (JobDefinition job : JobCatalogue.ALL) {
            JobSettings.Schedule schedule = settings.schedule(job);
            Trigger trigger = scheduler.getTrigger(TriggerKey.triggerKey(job.name(), GROUP));
            Optional<Instant> next = Optional.ofNullable(trigger).map(Trigger::getNextFireTime).map(Date::toInstant);
            statuses.add(new Status(job, schedule.cron(), settings.zone().orElseThrow().getId(), schedule.on(), next,
                runs.recent(job.name(), RECENT)));
        }
        return statuses;
    }

    /**
     * Asks for a run of {@code job} now, on whichever replica takes it first; it is recorded like a
     * scheduled run, as triggered by {@code person:<username>}. A disabled job runs too: disabling
     * stops its schedule, not an admin's explicit request.
     *
     * @throws SchedulerException when the request could not be stored
     */
    public void runNow(JobDefinition job, String username) throws SchedulerException {
        JobDataMap data = new JobDataMap();
        data.put(JobRunner.BY, "person:" + username);
        scheduler.triggerJob(JobKey.jobKey(job.name(), GROUP), data);
    }

    /**
     * Stops the scheduler before any bean is destroyed, while the connection pool still serves:
     * no new run starts, runs under way get {@value #STOP_WAIT_SECONDS} s to finish, and a run still
     * going after that is left to the cluster, which runs it again on another replica (or on this
     * one's next start) and records this one as interrupted, as after a crash. Waiting for ever
     * would hold the process up on a run stuck on a lock.
     */
    void stop(@Observes @BeforeDestroyed(ApplicationScoped.class) Object event) {
        if (scheduler == null) {
            return;
        }
        try {
            scheduler.standby();
            for (int i = 0; i < STOP_WAIT_SECONDS * 10 && !scheduler.getCurrentlyExecutingJobs().isEmpty(); i++) {
                Thread.sleep(100);
            }
            int left = scheduler.getCurrentlyExecutingJobs().size();
            if (left > 0) {
                LOG.warning(() -> left + " job run(s) still under way at shutdown after " + STOP_WAIT_SECONDS
                    + " s; the cluster runs them again and records these as interrupted");
            }
        } catch (SchedulerException e) {
            LOG.log(Level.WARNING, "the job scheduler did not pause cleanly at shutdown; the cluster recovers its runs", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                scheduler.shutdown(false);
            } catch (SchedulerException e) {
                LOG.log(Level.WARNING, "the job scheduler did not shut down cleanly; the cluster recovers its runs", e);
            }
        }
    }
}
