package dev.mainstay.platform.queue.inbound;

import dev.mainstay.platform.ConfigValues;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * How GitHub's webhook deliveries are received.
 *
 * @param secret   the GitHub App's webhook secret; without it every delivery is refused
 * @param maxBytes the largest body accepted (GitHub sends at most 25 MB)
 */
public record GitHubWebhookSettings(Optional<String> secret, long maxBytes) {

    public static final String SECRET = "mainstay.github.webhook-secret";
    public static final String MAX_BYTES = "mainstay.github.webhook-max-bytes";

    /** GitHub's own cap on a payload. */
    static final long DEFAULT_MAX_BYTES = 25L * 1024 * 1024;

    /** The shortest secret accepted: a guessable one would let anyone forge deliveries. */
    static final int MIN_SECRET_BYTES = 16;

    /** Read from {@code config}; {@link #problems()} says whether usable. */
    public static GitHubWebhookSettings from(Config config) {
        return new GitHubWebhookSettings(ConfigValues.text(config, SECRET),
            ConfigValues.text(config, MAX_BYTES).map(GitHubWebhookSettings::number).orElse(DEFAULT_MAX_BYTES));
    }

    /** What must be fixed; each problem names its key. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        secret.filter(s -> s.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES)
            .ifPresent(s -> problems.add(SECRET + " must be at least " + MIN_SECRET_BYTES + " bytes; generate one, e.g. openssl rand -hex 32"));
        if (maxBytes < 1024 || maxBytes > 100L * 1024 * 1024) {
            problems.add(MAX_BYTES + " must be a whole number of bytes from 1024 to 104857600, e.g. " + DEFAULT_MAX_BYTES);
        }
        return problems;
    }

    private static long number(String text) {
        return text.matches("\\d{1,12}") ? Long.parseLong(text) : -1;
    }
}
