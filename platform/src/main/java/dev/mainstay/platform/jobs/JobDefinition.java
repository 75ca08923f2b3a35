package dev.mainstay.platform.jobs;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One job of the catalogue: what it is called, what it does, when it runs unless configured
 * otherwise, what happens to a run missed while no replica was up, and how a failed run is retried.
 *
 * @param name            the job's name: lower-case words joined by hyphens; the settings
 *                        {@code mainstay.jobs.<name>.schedule} and {@code .enabled} are named for it
 * @param description     what it does, one sentence, shown on the Jobs page
 * @param defaultSchedule a Quartz cron expression (seconds first), in the installation's time zone
 * @param misfire         what a missed run becomes
 * @param attempts        how many times one firing is tried in all (1: never retried)
 * @param retryAfter      how long after a failed attempt the next is made
 */
public record JobDefinition(String name, String description, String defaultSchedule, Misfire misfire, int attempts,
                            Duration retryAfter) {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    /** What becomes of runs missed while no replica was running (or all were busy) at their fire time. */
    public enum Misfire {
        /** One catch-up run as soon as a replica can, however many were missed; for work that must not wait a whole period. */
        RUN_ONCE_NOW,
        /** No catch-up: the next scheduled run does the work; for frequent jobs that pick up where they left off. */
        SKIP_TO_NEXT
    }

    /**
     * @throws IllegalArgumentException when the name is not lower-case words joined by hyphens, or
     *                                  attempts is below 1, or retryAfter is negative
     */
    public JobDefinition {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(defaultSchedule, "defaultSchedule");
        Objects.requireNonNull(misfire, "misfire");
        Objects.requireNonNull(retryAfter, "retryAfter");
        if (!NAME.matcher(Objects.requireNonNull(name, "name")).matches()) {
            throw new IllegalArgumentException("job name must be lower-case words joined by hyphens: '" + name + "'");
        }
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts cannot be below 1: " + attempts);
        }
        if (retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter cannot be negative: " + retryAfter);
        }
    }

    /** The setting that replaces the default schedule. */
    public String scheduleKey() {
        return JobSettings.PREFIX + name + ".schedule";
    }

    /** The setting that turns the job off. */
    public String enabledKey() {
        return JobSettings.PREFIX + name + ".enabled";
    }
}
