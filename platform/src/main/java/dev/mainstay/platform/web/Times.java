package dev.mainstay.platform.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * How pages show an instant: {@code <time datetime="2026-12-07T18:09:39.120Z">2026-12-07 18:09:39 UTC</time>}
 * (the {@code time.jte} template). The server writes the text in UTC; the layout's
 * {@code times.js} rewrites it in the reader's own time zone, in the same form
 * ({@code 2026-12-07 19:09:39 UTC+1}), so each person reads their local time to the second while the
 * exact instant stays in {@code datetime} and in the tooltip. Without scripts the UTC text stays.
 */
public final class Times {

    private static final DateTimeFormatter TEXT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private Times() {
    }

    /**
     * The instant as ISO 8601 in UTC to the millisecond, for {@code datetime} (HTML allows at most
     * three fractional digits; PostgreSQL keeps six).
     */
    public static String iso(Instant at) {
        return at.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    /** The instant as people read it, to the second, in UTC: {@code 2026-12-07 18:09:39 UTC}. */
    public static String text(Instant at) {
        return TEXT.format(at);
    }
}
