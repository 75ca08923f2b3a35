package dev.mainstay.platform;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/** Reading settings the way every feature's settings record does. */
public final class ConfigValues {

    private ConfigValues() {
    }

    /** The setting's text, stripped; empty when it is unset or blank (a blank environment variable unsets it). */
    public static Optional<String> text(Config config, String key) {
        return config.getOptionalValue(key, String.class).map(String::strip).filter(s -> !s.isEmpty());
    }

    /** A duration written as {@code 10s}, {@code 15m}, {@code 1h} or ISO-8601 ({@code PT15M}); zero when it is none of these. */
    public static Duration duration(String text) {
        try {
            return Duration.parse(text.startsWith("P") || text.startsWith("p") ? text : "PT" + text);
        } catch (DateTimeParseException e) {
            return Duration.ZERO;
        }
    }
}
