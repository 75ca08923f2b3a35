package dev.mainstay.platform.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.mainstay.platform.app.ApplianceConfig;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

/** The job settings are checked before the appliance starts, each problem naming its key. */
class JobSettingsTest {

    @Test
    void the_catalogues_default_schedules_are_all_valid() {
        assertEquals(List.of(), settings(Map.of()).problems());
    }

    @Test
    void a_schedule_that_is_not_a_cron_expression_is_refused_naming_its_key() {
        List<String> problems = settings(Map.of("queue-retention", new JobSettings.Schedule("every hour", "true"))).problems();
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.getFirst().startsWith("mainstay.jobs.queue-retention.schedule is not a cron expression"), problems.getFirst());
        assertTrue(problems.getFirst().contains("'0 10 * * * ?'"), "it shows the default as an example: " + problems.getFirst());
    }

    @Test
    void enabled_must_be_true_or_false_threads_a_small_number_and_the_time_zone_a_zone_id() {
        List<String> problems = new JobSettings("0", "Mars/Olympus", schedules(Map.of("keycloak-events",
            new JobSettings.Schedule("0 * * * * ?", "sometimes"))), List.of()).problems();
        assertEquals(List.of("mainstay.jobs.threads must be a whole number from 1 to 16, not '0'",
            "mainstay.jobs.time-zone must be a time-zone id such as Europe/Berlin or UTC, not 'Mars/Olympus'",
            "mainstay.jobs.keycloak-events.enabled must be true or false, not 'sometimes'"), problems);
    }

    @Test
    void a_misspelt_job_key_and_a_replaced_interval_setting_stop_the_start_naming_what_to_set() {
        Config config = ApplianceConfig.build(ApplianceConfig.source("test", Map.of(
            "mainstay.jobs.queue-retnetion.schedule", "0 0 * * * ?",
            "mainstay.audit.checkpoint-interval", "PT30M",
            "mainstay.jobs.queue-retention.schedule", "0 5 * * * ?",
            "mainstay.audit.enabled", "true"), 900));
        JobSettings settings = JobSettings.from(config);
        assertEquals("0 5 * * * ?", settings.schedule(JobCatalogue.QUEUE_RETENTION).cron());
        assertEquals(List.of(
            "mainstay.audit.checkpoint-interval is no longer read: set mainstay.jobs.audit-checkpoint.schedule (a cron expression) instead",
            "mainstay.jobs.queue-retnetion.schedule is not a setting of any job; the jobs are " + JobCatalogue.ALL.stream()
                .map(JobDefinition::name).toList() + ", each with .schedule and .enabled"), settings.problems());
    }

    @Test
    void a_disabled_job_is_off_whatever_the_case_of_false() {
        assertEquals(false, new JobSettings.Schedule("0 * * * * ?", "FALSE").on());
        assertEquals(true, new JobSettings.Schedule("0 * * * * ?", "true").on());
    }

    private static JobSettings settings(Map<String, JobSettings.Schedule> overrides) {
        return new JobSettings("2", "UTC", schedules(overrides), List.of());
    }

    private static Map<String, JobSettings.Schedule> schedules(Map<String, JobSettings.Schedule> overrides) {
        Map<String, JobSettings.Schedule> all = new LinkedHashMap<>();
        for (JobDefinition job : JobCatalogue.ALL) {
            all.put(job.name(), overrides.getOrDefault(job.name(), new JobSettings.Schedule(job.defaultSchedule(), "true")));
        }
        return all;
    }
}
