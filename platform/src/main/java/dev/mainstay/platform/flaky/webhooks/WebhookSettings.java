package dev.mainstay.platform.flaky.webhooks;

import dev.mainstay.platform.ConfigValues;
import dev.mainstay.platform.TrustedCas;
import dev.mainstay.platform.jobs.work.Backoff;
import dev.mainstay.platform.jobs.work.RetryPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.eclipse.microprofile.config.Config;

/**
 * How webhooks are delivered.
 *
 * @param ca           PEM file of CA certificates trusted for webhook URLs, besides the JDK's
 * @param allowHttp    whether plain {@code http://} URLs are allowed (never by default)
 * @param timeout      how long one attempt may take, connecting included
 * @param retryInitial the delay after the first failed attempt; each later one is four times the one before
 * @param retryMax     the longest delay between two attempts
 * @param maxAttempts  attempts before a delivery is given up as failed
 */
public record WebhookSettings(Optional<Path> ca, boolean allowHttp, Duration timeout, Duration retryInitial, Duration retryMax,
                              int maxAttempts) {

    public static final String CA = "mainstay.webhooks.ca";
    public static final String ALLOW_HTTP = "mainstay.webhooks.allow-http";
    public static final String TIMEOUT = "mainstay.webhooks.timeout";
    public static final String RETRY_INITIAL = "mainstay.webhooks.retry-initial";
    public static final String RETRY_MAX = "mainstay.webhooks.retry-max";
    public static final String MAX_ATTEMPTS = "mainstay.webhooks.max-attempts";

    /** Each delay is this many times the one before, up to {@link #retryMax}. */
    static final int BACKOFF_FACTOR = 4;

    /** Read from {@code config}; {@link #problems()} says whether usable. */
    public static WebhookSettings from(Config config) {
        return new WebhookSettings(ConfigValues.text(config, CA).map(Path::of),
            ConfigValues.text(config, ALLOW_HTTP).map(v -> v.toLowerCase(Locale.ROOT)).map(v -> v.equals("true")).orElse(false),
            ConfigValues.text(config, TIMEOUT).map(ConfigValues::duration).orElse(Duration.ofSeconds(10)),
            ConfigValues.text(config, RETRY_INITIAL).map(ConfigValues::duration).orElse(Duration.ofSeconds(30)),
            ConfigValues.text(config, RETRY_MAX).map(ConfigValues::duration).orElse(Duration.ofHours(12)),
            ConfigValues.text(config, MAX_ATTEMPTS).map(WebhookSettings::number).orElse(8));
    }

    /** What must be fixed; each problem names its key. */
    public List<String> problems(Config config) {
        List<String> problems = new ArrayList<>();
        ConfigValues.text(config, ALLOW_HTTP).filter(v -> !v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false"))
            .ifPresent(v -> problems.add(ALLOW_HTTP + " must be true or false, not '" + v + "'"));
        if (ca.isPresent()) {
            try {
                sslContext();
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
            problems.add(TIMEOUT + " must be a duration from 1s to 1m, e.g. 10s");
        }
        if (retryInitial.compareTo(Duration.ofSeconds(1)) < 0 || retryInitial.compareTo(Duration.ofHours(1)) > 0) {
            problems.add(RETRY_INITIAL + " must be a duration from 1s to 1h, e.g. 30s");
        }
        if (retryMax.compareTo(retryInitial) < 0 || retryMax.compareTo(Duration.ofDays(7)) > 0) {
            problems.add(RETRY_MAX + " must be a duration from " + RETRY_INITIAL + " to 7 days, e.g. 12h");
        }
        if (maxAttempts < 1 || maxAttempts > 20) {
            problems.add(MAX_ATTEMPTS + " must be a whole number from 1 to 20, e.g. 8");
        }
        return problems;
    }

    /**
     * How a delivery is retried: {@link #maxAttempts} attempts; after the first failed one it waits
     * {@link #retryInitial}, each later wait {@value #BACKOFF_FACTOR} times the one before, at most
     * {@link #retryMax}, spread over 80 % to 120 % so that receivers coming back from an outage are
     * not hit by every delivery at once.
     */
    RetryPolicy retry() {
        Duration cap = retryMax.compareTo(retryInitial) < 0 ? retryInitial : retryMax;
        return new RetryPolicy(Math.max(1, maxAttempts), new Backoff(retryInitial, BACKOFF_FACTOR, cap, 0.2));
    }

    /** TLS for webhook URLs: the JDK's trusted CAs, and those of {@link #ca} when set. */
    SSLContext sslContext() {
        return TrustedCas.sslContext(CA, ca);
    }

    private static int number(String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
