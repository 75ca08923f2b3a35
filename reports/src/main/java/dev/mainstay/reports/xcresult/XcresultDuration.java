package dev.mainstay.reports.xcresult;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The human-readable {@code duration} of a test node: days, hours, minutes and seconds, each
 * optional ({@code 0.12s}, {@code 1m 2s}, {@code 1h 0m 3s}, {@code 12ms}), with the decimal comma
 * of the machine's locale ({@code 0,75s}). Read only when {@code durationInSeconds} is absent
 * (older versions of xcresulttool write only this); what cannot be read is unknown, not an error.
 */
final class XcresultDuration {

    private static final Pattern PART = Pattern.compile("(\\d{1,12}(?:[.,]\\d{1,12})?)(ms|s|m|h|d)");
    private static final BigDecimal WEEK = BigDecimal.valueOf(86_400L * 7);

    private XcresultDuration() {
    }

    /** The duration {@code text} says; zero when empty, unreadable or longer than a week. */
    static Duration parse(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            return Duration.ZERO;
        }
        BigDecimal seconds = BigDecimal.ZERO;
        for (String part : t.split("\\s+")) {
            Matcher m = PART.matcher(part);
            if (!m.matches()) {
                return Duration.ZERO;
            }
            BigDecimal n = new BigDecimal(m.group(1).replace(',', '.'));
            seconds = seconds.add(switch (m.group(2)) {
                case "ms" -> n.movePointLeft(3);
                case "s" -> n;
                case "m" -> n.multiply(BigDecimal.valueOf(60));
                case "h" -> n.multiply(BigDecimal.valueOf(3600));
                default -> n.multiply(BigDecimal.valueOf(86_400));
            });
        }
        return seconds.compareTo(WEEK) > 0 ? Duration.ZERO : Duration.ofNanos(seconds.movePointRight(9).longValue());
    }
}
