package dev.mainstay.platform;

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
}
