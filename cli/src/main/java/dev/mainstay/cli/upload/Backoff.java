package dev.mainstay.cli.upload;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * How long to wait before the next attempt: exponential from {@code base} (1 s, 2 s, 4 s, … up
 * to {@code cap}), each wait drawn at random from its upper half so that many CI jobs failing at
 * once do not come back at once; a {@code Retry-After} the appliance sends wins. How long retrying
 * may go on in all is {@link RetryPolicy#BUDGET}'s to say, not this.
 */
public record Backoff(Duration base, Duration cap, RandomGenerator random) {

    public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), RandomGenerator.getDefault());

    /** The wait after failed attempt number {@code attempt} (1 for the first). */
    Duration after(int attempt) {
        long ceiling = Math.min(cap.toMillis(), base.toMillis() << Math.min(attempt - 1, 20));
        return Duration.ofMillis(ceiling / 2 + random.nextLong(ceiling / 2 + 1));
    }

    /**
     * The wait a {@code Retry-After} header asks for (seconds or an HTTP date; a past date is no
     * wait), as asked: not capped, so that a wait longer than the retry budget can be said as
     * asked. Empty when absent or unreadable.
     */
    Optional<Duration> retryAfter(Optional<String> header, Clock clock) {
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String value = header.get().strip();
        Duration wait;
        if (value.matches("\\d{1,9}")) {
            wait = Duration.ofSeconds(Long.parseLong(value));
        } else {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                wait = Duration.between(clock.instant(), at);
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        if (wait.isNegative()) {
            wait = Duration.ZERO;
        }
        return Optional.of(wait);
    }
}
