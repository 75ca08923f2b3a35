package dev.mainstay.platform.app;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * One JSON object per line: {@code time}, {@code level}, {@code logger}, {@code thread},
 * {@code message}, and {@code error} with the stack trace when there is one.
 */
public final class JsonLogFormatter extends Formatter {

    @Override
    public String format(LogRecord r) {
        StringBuilder b = new StringBuilder(256).append('{');
        field(b, "time", Instant.ofEpochMilli(r.getMillis()).toString()).append(',');
        field(b, "level", r.getLevel().getName()).append(',');
        field(b, "logger", r.getLoggerName() == null ? "" : r.getLoggerName()).append(',');
        field(b, "thread", Thread.currentThread().getName()).append(',');
        field(b, "message", formatMessage(r));
        if (r.getThrown() != null) {
            b.append(',');
            field(b, "error", stackTrace(r.getThrown()));
        }
        return b.append('}').append('\n').toString();
    }

    static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    private static StringBuilder field(StringBuilder b, String name, String value) {
        b.append('"').append(name).append("\":\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"');
    }
}
