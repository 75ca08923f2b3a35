package dev.mainstay.platform.flaky;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The flaky-test pages' charts, as SVG made on the server: no charting library, no script. Built
 * from numbers and fixed words only, so the markup needs no escaping; each chart has a title and a
 * description for screen readers, and the pages show the same figures in a table.
 */
final class Charts {

    static final String FLAKY = "#b45309";
    static final String BROKEN = "#b91c1c";
    static final String OTHER = "#6b7280";
    private static final int WIDTH = 720;
    private static final int HEIGHT = 160;
    private static final int LEFT = 40;
    private static final int BOTTOM = 20;

    private Charts() {
    }

    /**
     * Stacked daily bars of failures: flaky, broken, other; one bar per day, oldest first. Failures
     * in infrastructure-failure uploads are not charted (the page says how many there were).
     */
    static String trend(List<FlakyDashboard.Day> days) {
        long max = Math.max(1, days.stream().mapToLong(FlakyDashboard.Day::total).max().orElse(1));
        double bar = (double) (WIDTH - LEFT) / Math.max(1, days.size());
        long total = days.stream().mapToLong(FlakyDashboard.Day::total).sum();
        StringBuilder svg = open("trend-chart", "Failed executions per day, last " + days.size() + " days",
            total + " failed executions; " + days.stream().mapToLong(FlakyDashboard.Day::flaky).sum() + " of flaky tests, "
                + days.stream().mapToLong(FlakyDashboard.Day::broken).sum() + " of broken tests");
        axis(svg, max);
        for (int i = 0; i < days.size(); i++) {
            FlakyDashboard.Day d = days.get(i);
            double x = LEFT + i * bar + 1;
            double y = HEIGHT - BOTTOM;
            for (long[] part : new long[][] {{d.flaky(), 0}, {d.broken(), 1}, {d.other(), 2}}) {
                if (part[0] == 0) {
                    continue;
                }
                double h = (HEIGHT - BOTTOM - 10) * (double) part[0] / max;
                y -= h;
                svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s: %d</title></rect>",
                    x, y, Math.max(1, bar - 2), h, part[1] == 0 ? FLAKY : part[1] == 1 ? BROKEN : OTHER, d.day(), part[0]));
            }
        }
        if (!days.isEmpty()) {
            svg.append(label(LEFT, HEIGHT - 4, "start", days.get(0).day().toString()));
            svg.append(label(WIDTH, HEIGHT - 4, "end", days.get(days.size() - 1).day().toString()));
        }
        return svg.append("</svg>").toString();
    }

    /** Bars of a test's durations, oldest first; failures in red. */
    static String durations(List<FlakyDashboard.Run> newestFirst) {
        List<FlakyDashboard.Run> runs = newestFirst.reversed();
        long max = Math.max(1, runs.stream().mapToLong(r -> r.duration().toMillis()).max().orElse(1));
        double bar = (double) (WIDTH - LEFT) / Math.max(1, runs.size());
        StringBuilder svg = open("duration-chart", "Duration of the last " + runs.size() + " executions",
            "longest " + duration(Duration.ofMillis(max)));
        axisMillis(svg, max);
        for (int i = 0; i < runs.size(); i++) {
            FlakyDashboard.Run r = runs.get(i);
            double h = Math.max(1, (HEIGHT - BOTTOM - 10) * (double) r.duration().toMillis() / max);
            svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s %s</title></rect>",
                LEFT + i * bar + 1, HEIGHT - BOTTOM - h, Math.max(1, bar - 2), h, r.failed() ? BROKEN : OTHER, r.status(),
                duration(r.duration())));
        }
        return svg.append("</svg>").toString();
    }

    /** {@code 850 ms}, {@code 12.4 s}, {@code 3 min 5 s}, {@code 2 h 10 min}. */
    static String duration(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        if (ms < 3_600_000) {
            return (ms / 60_000) + " min " + (ms % 60_000) / 1000 + " s";
        }
        return (ms / 3_600_000) + " h " + (ms % 3_600_000) / 60_000 + " min";
    }

    private static StringBuilder open(String id, String title, String description) {
        return new StringBuilder("<svg id=\"").append(id).append("\" class=\"chart\" role=\"img\" viewBox=\"0 0 ").append(WIDTH).append(' ')
            .append(HEIGHT).append("\" xmlns=\"http://www.w3.org/2000/svg\" aria-labelledby=\"").append(id).append("-title ").append(id)
            .append("-desc\"><title id=\"").append(id).append("-title\">").append(title).append("</title><desc id=\"").append(id)
            .append("-desc\">").append(description).append("</desc>");
    }

    private static void axis(StringBuilder svg, long max) {
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#9ca3af\"/>", LEFT, HEIGHT - BOTTOM, WIDTH,
            HEIGHT - BOTTOM));
        svg.append(label(LEFT - 4, 14, "end", Long.toString(max)));
        svg.append(label(LEFT - 4, HEIGHT - BOTTOM, "end", "0"));
    }

    private static void axisMillis(StringBuilder svg, long maxMillis) {
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#9ca3af\"/>", LEFT, HEIGHT - BOTTOM, WIDTH,
            HEIGHT - BOTTOM));
        svg.append(label(LEFT - 4, 14, "end", duration(Duration.ofMillis(maxMillis))));
    }

    private static String label(int x, int y, String anchor, String text) {
        return "<text x=\"" + x + "\" y=\"" + y + "\" text-anchor=\"" + anchor + "\" font-size=\"11\" fill=\"#4b5563\">" + text + "</text>";
    }
}
