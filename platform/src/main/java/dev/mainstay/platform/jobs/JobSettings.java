package dev.mainstay.platform.jobs;

import dev.mainstay.platform.ConfigValues;
import java.text.ParseException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.Config;
import org.quartz.CronExpression;

/**
 * How the scheduled jobs run: Quartz's thread count, the time zone their cron schedules are read
 * in, and each catalogue job's schedule and whether it runs at all ({@code mainstay.jobs.<name>.schedule},
 * {@code mainstay.jobs.<name>.enabled}). Checked at start: a schedule that is not a cron expression
 * stops the start, naming the key; so does a {@code mainstay.jobs.*} key no job has (a misspelt job
 * name would otherwise leave its schedule silently at the default) and a setting these jobs replaced.
 *
 * @param threads   how many jobs may run at once on one replica
 * @param timeZone  the zone schedules are read in; the text as configured, checked by {@link #problems()}
 * @param schedules per job name, its schedule as configured
 * @param strays    keys set that no job reads: unknown {@code mainstay.jobs.*} keys and replaced settings
 */
public record JobSettings(String threads, String timeZone, Map<String, Schedule> schedules, List<String> strays) {

    public static final String THREADS = "mainstay.jobs.threads";
    public static final String TIME_ZONE = "mainstay.jobs.time-zone";
    /** Every job's own settings start with this, then its name. */
    static final String PREFIX = "mainstay.jobs.";
    /** Settings of earlier releases that a job's schedule replaced, and the key that replaced each. */
    private static final Map<String, String> REPLACED = Map.of(
        "mainstay.audit.checkpoint-interval", JobCatalogue.AUDIT_CHECKPOINT.scheduleKey(),
        "mainstay.audit.keycloak-events-interval", JobCatalogue.KEYCLOAK_EVENTS.scheduleKey());

    /**
     * One job's schedule.
     *
     * @param cron    the Quartz cron expression, as configured
     * @param enabled as configured: {@code true} or {@code false}
     */
    public record Schedule(String cron, String enabled) {
        /** Whether the job runs. */
        public boolean on() {
            return !enabled.equalsIgnoreCase("false");
        }
    }

    /** Read from {@code config}; {@link #problems()} says whether usable. */
    public static JobSettings from(Config config) {
        Map<String, Schedule> schedules = new LinkedHashMap<>();
        for (JobDefinition job : JobCatalogue.ALL) {
            schedules.put(job.name(), new Schedule(ConfigValues.text(config, job.scheduleKey()).orElse(job.defaultSchedule()),
                ConfigValues.text(config, job.enabledKey()).orElse("true")));
        }
        Set<String> known = new HashSet<>(List.of(THREADS, TIME_ZONE));
        JobCatalogue.ALL.forEach(job -> known.addAll(List.of(job.scheduleKey(), job.enabledKey())));
        List<String> strays = new ArrayList<>();
        for (String key : config.getPropertyNames()) {
            if ((key.startsWith(PREFIX) && !known.contains(key)) || REPLACED.containsKey(key)) {
                strays.add(key);
            }
        }
        return new JobSettings(ConfigValues.text(config, THREADS).orElse("2"),
            ConfigValues.text(config, TIME_ZONE).orElse(ZoneId.systemDefault().getId()), Map.copyOf(schedules),
            strays.stream().sorted().toList());
    }

    /** What must be fixed; each problem names its key. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (threadCount().isEmpty()) {
            problems.add(THREADS + " must be a whole number from 1 to 16, not '" + threads + "'");
        }
        if (zone().isEmpty()) {
            problems.add(TIME_ZONE + " must be a time-zone id such as Europe/Berlin or UTC, not '" + timeZone + "'");
        }
        for (JobDefinition job : JobCatalogue.ALL) {
            Schedule schedule = schedules.get(job.name());
            try {
                CronExpression.validateExpression(schedule.cron());
            } catch (ParseException e) {
                problems.add(job.scheduleKey() + " is not a cron expression (seconds minutes hours day-of-month month"
                    + " day-of-week, e.g. '" + job.defaultSchedule() + "'): '" + schedule.cron() + "': " + e.getMessage());
            }
            if (!List.of("true", "false").contains(schedule.enabled().toLowerCase(Locale.ROOT))) {
                problems.add(job.enabledKey() + " must be true or false, not '" + schedule.enabled() + "'");
            }
        }
        for (String key : strays) {
            problems.add(REPLACED.containsKey(key)
                ? key + " is no longer read: set " + REPLACED.get(key) + " (a cron expression) instead"
                : key + " is not a setting of any job; the jobs are " + JobCatalogue.ALL.stream().map(JobDefinition::name).toList()
                    + ", each with .schedule and .enabled");
        }
        return problems;
    }

    /** How many jobs may run at once; empty when the setting is not a number from 1 to 16. */
    public Optional<Integer> threadCount() {
        try {
            int n = Integer.parseInt(threads);
            return n >= 1 && n <= 16 ? Optional.of(n) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The zone schedules are read in; empty when the setting is not a zone id. */
    public Optional<ZoneId> zone() {
        try {
            return Optional.of(ZoneId.of(timeZone));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** {@code job}'s schedule. */
    public Schedule schedule(JobDefinition job) {
        return schedules.get(job.name());
    }
}
