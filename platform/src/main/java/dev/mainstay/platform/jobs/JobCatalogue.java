package dev.mainstay.platform.jobs;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every scheduled job the appliance has. A feature implements each as a {@link ScheduledJob} bean;
 * {@link Jobs} refuses to start when a job here has no bean or a bean names a job not here. The
 * table in docs/design.md ("Scheduled jobs") and the settings rows in docs/configuration.md follow
 * this list.
 */
public final class JobCatalogue {

    /** Signs the audit trail's head when new events arrived, then verifies the whole trail. */
    public static final JobDefinition AUDIT_CHECKPOINT = new JobDefinition("audit-checkpoint",
        "Signs a checkpoint over the audit trail's head when new events arrived, then verifies the whole trail.",
        "0 0 * * * ?", JobDefinition.Misfire.RUN_ONCE_NOW, 3, Duration.ofMinutes(5));

    /** Pulls Keycloak's user and admin events into the audit trail. */
    public static final JobDefinition KEYCLOAK_EVENTS = new JobDefinition("keycloak-events",
        "Pulls Keycloak's sign-in, sign-out and second-factor events and its admin events (roles, groups, users) into the audit trail.",
        "0 * * * * ?", JobDefinition.Misfire.SKIP_TO_NEXT, 1, Duration.ZERO);

    /** Deletes merge-queue events, decisions, history, tests and targets past their retention. */
    public static final JobDefinition QUEUE_RETENTION = new JobDefinition("queue-retention",
        "Deletes applied merge-queue events and carried-out decisions after 30 days, left-queue history and finished"
            + " candidate tests after 90 days, and posted impacted targets after 30 days.",
        "0 10 * * * ?", JobDefinition.Misfire.RUN_ONCE_NOW, 3, Duration.ofMinutes(10));

    /** Clears and deletes GitHub deliveries past their retention. */
    public static final JobDefinition GITHUB_INBOX_RETENTION = new JobDefinition("github-inbox-retention",
        "Clears the body of GitHub deliveries 7 days after the merge queue acted on them (or gave up), and deletes"
            + " deliveries 90 days after they arrived.",
        "0 20 * * * ?", JobDefinition.Misfire.RUN_ONCE_NOW, 3, Duration.ofMinutes(10));

    /** Deletes finished outbound webhook deliveries past their retention. */
    public static final JobDefinition WEBHOOK_DELIVERY_RETENTION = new JobDefinition("webhook-delivery-retention",
        "Deletes outbound webhook deliveries 30 days after they were delivered or failed.",
        "0 30 * * * ?", JobDefinition.Misfire.RUN_ONCE_NOW, 3, Duration.ofMinutes(10));

    /** Deletes job run records past their retention. */
    public static final JobDefinition JOB_RUN_RETENTION = new JobDefinition("job-run-retention",
        "Deletes the records of job runs 90 days after they started.",
        "0 40 3 * * ?", JobDefinition.Misfire.RUN_ONCE_NOW, 3, Duration.ofMinutes(10));

    /** All of them, in the order the Jobs page shows them. */
    public static final List<JobDefinition> ALL = List.of(AUDIT_CHECKPOINT, KEYCLOAK_EVENTS, QUEUE_RETENTION, GITHUB_INBOX_RETENTION,
        WEBHOOK_DELIVERY_RETENTION, JOB_RUN_RETENTION);

    private JobCatalogue() {
    }

    /** The job called {@code name}, if there is one. */
    public static Optional<JobDefinition> find(String name) {
        return ALL.stream().filter(j -> j.name().equals(name)).findFirst();
    }
}
