package dev.mainstay.cli.upload;

import dev.mainstay.cli.command.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Shows an upload on standard error: on a terminal one line redrawn in place
 * ({@code mainstay: sending 1.2 MiB / 3.4 MiB (35%)}), elsewhere (a CI log) a line when an
 * attempt starts and one when it ends, so logs stay short.
 */
final class ConsoleProgress implements UploadClient.Progress {

    private final Context context;
    private final String target;
    private long total;
    private int shownPercent = -1;
    private long lastSent;
    private Instant started;
    private boolean open;

    ConsoleProgress(Context context, String target) {
        this.context = context;
        this.target = target;
    }

    @Override
    public synchronized void started(int attempt, long total) {
        this.total = total;
        this.shownPercent = -1;
        this.lastSent = 0;
        this.started = context.clock().instant();
        if (!context.interactive()) {
            context.err().println("mainstay: sending " + size(total) + " to " + target + (attempt > 1 ? " (attempt " + attempt + ")" : ""));
        }
    }

    @Override
    public synchronized void sent(long bytesSoFar) {
        lastSent = bytesSoFar;
        if (!context.interactive()) {
            return;
        }
        int percent = total == 0 ? 100 : (int) (bytesSoFar * 100 / total);
        if (percent != shownPercent) {
            shownPercent = percent;
            context.err().print("\rmainstay: sending " + size(bytesSoFar) + " / " + size(total) + " (" + percent + "%)");
            context.err().flush();
            open = true;
        }
    }

    @Override
    public synchronized void finished() {
        if (open) {
            context.err().println();
            open = false;
        }
        if (!context.interactive()) {
            Duration took = Duration.between(started, context.clock().instant());
            context.err().println("mainstay: sent " + size(lastSent) + " in " + seconds(took));
        }
    }

    @Override
    public synchronized void retrying(String why, Duration wait, int nextAttempt, int attempts) {
        context.err().println(UploadClient.Progress.retryLine(why, wait, nextAttempt, attempts));
    }

    @Override
    public synchronized void notRetrying(String why) {
        context.err().println(UploadClient.Progress.notRetryingLine(why));
    }

    /** {@code 812 B}, {@code 12.3 KiB}, {@code 4.0 MiB}. */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
