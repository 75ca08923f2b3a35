package dev.mainstay.reports;

import java.math.BigDecimal;
import java.text.ParsePosition;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Durations and times as reports write them, read leniently: what cannot be read is unknown, not an error. */
public final class ReportTimes {

    /** A week: a longer test duration is taken as a report's mistake and read as unknown. */
    private static final long MOST_WHOLE_SECONDS = 86_400L * 7;
    private static final BigDecimal MOST_SECONDS = BigDecimal.valueOf(MOST_WHOLE_SECONDS);
    /** {@link #plainNanos}: not plain digits and a point. */
    static final long NOT_PLAIN = -1;

    private ReportTimes() {
    }

    /**
     * Seconds as a decimal ({@code 0.042}, {@code 1,5} with a decimal comma, {@code 1,234.5} with
     * a thousands separator); zero when empty, negative, not a number or longer than a week.
     */
    public static Duration seconds(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            return Duration.ZERO;
        }
        long plain = plainNanos(t);
        if (plain != NOT_PLAIN) {
            return Duration.ofNanos(plain);
        }
        if (t.indexOf(',') >= 0) {
            t = t.indexOf('.') >= 0 ? t.replace(",", "") : t.replace(',', '.');
        }
        try {
            BigDecimal seconds = new BigDecimal(t);
            if (seconds.signum() < 0 || seconds.compareTo(MOST_SECONDS) > 0) {
                return Duration.ZERO;
            }
            return Duration.ofNanos(seconds.movePointRight(9).longValue());
        } catch (NumberFormatException | ArithmeticException e) {
            return Duration.ZERO;
        }
    }

    /**
     * The nanoseconds in {@code t} when it is plain ASCII digits with at most one point ({@code 0.042},
     * {@code 12}, {@code 5.}, {@code .5}), as most reports write durations, read as
     * {@link #seconds} reads it with {@code BigDecimal} (digits past the ninth decimal cut, zero
     * above a week); {@link #NOT_PLAIN} for any other form.
     */
    static long plainNanos(String t) {
        int point = -1;
        int digits = 0;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
            } else if (c == '.' && point < 0) {
                point = i;
            } else {
                return NOT_PLAIN;
            }
        }
        if (digits == 0) {
            return NOT_PLAIN;
        }
        int end = point < 0 ? t.length() : point;
        long whole = 0;
        for (int i = 0; i < end; i++) {
            whole = whole * 10 + (t.charAt(i) - '0');
            if (whole > MOST_WHOLE_SECONDS) {
                return 0;
            }
        }
        long nanos = 0;
        boolean beyondNanos = false;
        for (int i = end + 1; i < t.length(); i++) {
            int digit = t.charAt(i) - '0';
            if (i - end <= 9) {
                nanos = nanos * 10 + digit;
            } else {
                beyondNanos |= digit != 0;
            }
        }
        for (int decimals = Math.max(0, t.length() - end - 1); decimals < 9; decimals++) {
            nanos *= 10;
        }
        if (whole == MOST_WHOLE_SECONDS && (nanos != 0 || beyondNanos)) {
            return 0;
        }
        return whole * 1_000_000_000L + nanos;
    }

    /** Milliseconds as a whole number (Bazel writes them as strings); zero when unreadable or negative. */
    public static Duration millis(String text) {
        try {
            long millis = Long.parseLong(text.strip());
            return millis < 0 || millis > MOST_SECONDS.longValue() * 1000 ? Duration.ZERO : Duration.ofMillis(millis);
        } catch (NumberFormatException e) {
            return Duration.ZERO;
        }
    }

    /**
     * An ISO-8601 time with or without an offset ({@code 2025-11-15T11:51:49.548-05:00},
     * {@code 2024-04-19T08:20:31.569834}, read as UTC), or empty.
     */
    public static Optional<Instant> instant(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            return Optional.empty();
        }
        // Many reports write times without an offset (Gradle): telling that apart first spares a thrown exception.
        if (offsetForm(t)) {
            try {
                return Optional.of(OffsetDateTime.parse(t).toInstant());
            } catch (DateTimeParseException e) {
                // Read as it is without an offset, below.
            }
        }
        try {
            return Optional.of(LocalDateTime.parse(t.replace(' ', 'T')).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code t} has the form of an ISO time with an offset: whether {@code OffsetDateTime.parse} gets past parsing it. */
    private static boolean offsetForm(String t) {
        // An offset ('Z', or signed) follows the 'T' between date and time; without one, no need to try.
        int time = t.indexOf('T') >= 0 ? t.indexOf('T') : t.indexOf('t');
        boolean offset = false;
        for (int i = time + 1; time >= 0 && i < t.length() && !offset; i++) {
            char c = t.charAt(i);
            offset = c == '+' || c == '-' || c == 'Z' || c == 'z';
        }
        if (!offset) {
            return false;
        }
        ParsePosition end = new ParsePosition(0);
        try {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parseUnresolved(t, end) != null && end.getErrorIndex() < 0
                && end.getIndex() == t.length();
        } catch (DateTimeException e) {
            // An offset out of range (+25:00): OffsetDateTime.parse fails on it too.
            return false;
        }
    }
}
