package dev.mainstay.platform.app;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * Sends every log record (Mainstay's, Helidon's, and through SLF4J and JBoss Logging the
 * libraries') to standard output, one line each, as text or as JSON for log shippers.
 */
final class LogSetup {

    /** Loggers whose level is set here; held so that java.util.logging does not forget them. */
    private static final List<Logger> CONFIGURED = new ArrayList<>();

    private LogSetup() {
    }

    static void configure(ApplianceSettings.LogFormat format, String mainstayLevel) {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        root.setLevel(Level.INFO);
        Formatter formatter = switch (format) {
            case TEXT -> new TextFormatter();
            case JSON -> new JsonLogFormatter();
        };
        root.addHandler(new StdoutHandler(System.out, formatter));
        level("dev.mainstay", Level.parse(mainstayLevel));
        // Libraries that are chatty at INFO about things an operator need not see.
        level("org.hibernate", Level.WARNING);
        level("org.jboss.weld", Level.WARNING);
        level("com.arjuna", Level.WARNING);
        level("com.zaxxer.hikari", Level.WARNING);
        level("io.zonky", Level.WARNING);
        level("org.flywaydb", Level.WARNING);
        level("io.helidon.common.features", Level.WARNING);
    }

    private static void level(String name, Level level) {
        Logger logger = Logger.getLogger(name);
        logger.setLevel(level);
        CONFIGURED.add(logger);
    }

    /** A console handler on standard output that flushes each record. */
    private static final class StdoutHandler extends StreamHandler {
        StdoutHandler(PrintStream out, Formatter formatter) {
            super(out, formatter);
            setLevel(Level.ALL);
        }

        @Override
        public synchronized void publish(LogRecord record) {
            super.publish(record);
            flush();
        }

        @Override
        public synchronized void close() {
            flush();
        }
    }

    /** {@code 2026-11-22T16:30:00.123Z INFO    logger: message}. */
    private static final class TextFormatter extends Formatter {
        @Override
        public String format(LogRecord r) {
            StringBuilder b = new StringBuilder()
                .append(Instant.ofEpochMilli(r.getMillis())).append(' ')
                .append(String.format("%-7s ", r.getLevel().getName()))
                .append(r.getLoggerName()).append(": ")
                .append(formatMessage(r)).append(System.lineSeparator());
            if (r.getThrown() != null) {
                b.append(JsonLogFormatter.stackTrace(r.getThrown()));
            }
            return b.toString();
        }
    }
}
