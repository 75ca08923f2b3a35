package dev.mainstay.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Durations and times read the quick way for common forms come out as reading every form through BigDecimal and java.time does. */
class ReportTimesTest {

    /** Reads seconds the way every form is read: through BigDecimal. */
    private static Duration secondsByBigDecimal(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            return Duration.ZERO;
        }
        if (t.indexOf(',') >= 0) {
            t = t.indexOf('.') >= 0 ? t.replace(",", "") : t.replace(',', '.');
        }
        try {
            BigDecimal seconds = new BigDecimal(t);
            if (seconds.signum() < 0 || seconds.compareTo(BigDecimal.valueOf(604_800)) > 0) {
                return Duration.ZERO;
            }
            return Duration.ofNanos(seconds.movePointRight(9).longValue());
        } catch (NumberFormatException | ArithmeticException e) {
            return Duration.ZERO;
        }
    }

    /** Reads a time trying the offset form first, then the local one. */
    private static Optional<Instant> instantByTrying(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(t).toInstant());
        } catch (DateTimeParseException e) {
            try {
                return Optional.of(LocalDateTime.parse(t.replace(' ', 'T')).toInstant(ZoneOffset.UTC));
            } catch (DateTimeParseException again) {
                return Optional.empty();
            }
        }
    }

    @Test
    void plain_decimals_read_as_big_decimal_reads_them_up_to_a_week_and_to_the_nanosecond() {
        List<String> texts = List.of("0", "0.042", "12", "5.", ".5", "00012.5", " 1.5 ", "0.1234567891", "0.123456789",
            "0.999999999999", "604800", "604800.0", "604800.000000000", "604800.0000000001", "604800.000000001", "604801",
            "604799.9999999999", "99999999999999999999999", "000000000000000000000001.25", "1.", ".", "..", "1.2.3", "", "  ");

        for (String text : texts) {
            assertEquals(secondsByBigDecimal(text), ReportTimes.seconds(text), text);
        }
    }

    @Test
    void other_forms_still_read_through_big_decimal() {
        List<String> texts = List.of("1,5", "1,234.5", "1e3", "1E-3", "+3", "-0.0", "-1", "NaN", "1e-99999999999", "١٢.٥",
            "0x10", "1_000", "1 000", "1.5s");

        for (String text : texts) {
            assertEquals(secondsByBigDecimal(text), ReportTimes.seconds(text), text);
            assertEquals(ReportTimes.NOT_PLAIN, ReportTimes.plainNanos(text.strip()), text);
        }
    }

    @Test
    void any_text_of_digits_points_and_signs_reads_as_big_decimal_reads_it() {
        Random random = new Random(20261123);
        String alphabet = "0123456789..,+-eE 6";
        for (int round = 0; round < 100_000; round++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(16);
            for (int i = 0; i < length; i++) {
                text.append(round % 2 == 0 ? alphabet.charAt(random.nextInt(alphabet.length())) : (char) ('0' + random.nextInt(10)));
            }
            if (round % 2 == 1 && length > 0) {
                text.insert(random.nextInt(length + 1), '.');
            }
            assertEquals(secondsByBigDecimal(text.toString()), ReportTimes.seconds(text.toString()), text.toString());
        }
    }

    @Test
    void times_with_and_without_an_offset_read_as_trying_one_form_then_the_other() {
        List<String> texts = new ArrayList<>(List.of("2025-11-15T11:51:49.548-05:00", "2024-04-19T08:20:31.569834", "2024-04-19 08:20:31",
            "2024-04-19T08:20:31Z", "2024-04-19T08:20:31z", "2024-04-19T08:20:31+25:00", "2024-02-30T10:00:00+01:00",
            "2024-02-30T10:00:00", "2024-04-19T08:20", "2024-04-19", "2024-04-19T08:20:31.5+02:00[Europe/Paris]",
            "2024-04-19T08:20:31+02:00 ", " 2024-04-19T08:20:31", "yesterday", "", "2024-04-19T24:00:00", "+12024-04-19T08:20:31Z",
            "2024-04-19t08:20:31z", "2024-04-19t08:20:31-01:00", "2024-04-19 08:20:31+01:00", "2024-04-19T08:20:31.5-00:30",
            "T+", "2024-04-19T08:20:31-", "-2024-04-19T08:20:31"));

        for (String text : texts) {
            assertEquals(instantByTrying(text), ReportTimes.instant(text), text);
        }
    }
}
