package dev.mainstay.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Times read the quick way for common forms come out as java.time reads every form. */
class ReportTimesTest {

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
    void times_with_and_without_an_offset_read_as_trying_one_form_then_the_other() {
        List<String> texts = new ArrayList<>(List.of("2025-11-15T11:51:49.548-05:00", "2024-04-19T08:20:31.569834", "2024-04-19 08:20:31",
            "2024-04-19T08:20:31Z", "2024-04-19T08:20:31z", "2024-04-19T08:20:31+25:00", "2024-02-30T10:00:00+01:00",
            "2024-02-30T10:00:00", "2024-04-19T08:20", "2024-04-19", "2024-04-19T08:20:31.5+02:00[Europe/Paris]",
            "2024-04-19T08:20:31+02:00 ", " 2024-04-19T08:20:31", "yesterday", "", "2024-04-19T24:00:00", "+12024-04-19T08:20:31Z"));

        for (String text : texts) {
            assertEquals(instantByTrying(text), ReportTimes.instant(text), text);
        }
    }
}
