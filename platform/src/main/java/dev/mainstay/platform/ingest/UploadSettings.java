package dev.mainstay.platform.ingest;

import dev.mainstay.platform.ConfigValues;
import dev.mainstay.reports.ParseLimits;
import dev.mainstay.reports.bundle.BundleLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;

/**
 * Limits and thresholds of the upload API.
 *
 * @param maxBodyBytes               the largest request body (the compressed bundle)
 * @param maxExpandedBytes           the most the bundle may expand to
 * @param maxFiles                   the most files in one bundle
 * @param maxFileBytes               the largest one report may be, expanded
 * @param maxReferencedBytes         the most bytes of files under {@code referenced/}, held in memory while read
 * @param infrastructureFailureRatio the share of failed cases from which an upload is flagged as an infrastructure failure
 * @param transactionTimeout         how long one upload's transaction may stay open, body reading included
 */
public record UploadSettings(long maxBodyBytes, long maxExpandedBytes, int maxFiles, long maxFileBytes, long maxReferencedBytes,
                             double infrastructureFailureRatio, Duration transactionTimeout) {

    public static final String MAX_BODY_BYTES = "mainstay.uploads.max-body-bytes";
    public static final String MAX_EXPANDED_BYTES = "mainstay.uploads.max-expanded-bytes";
    public static final String MAX_FILES = "mainstay.uploads.max-files";
    public static final String MAX_FILE_BYTES = "mainstay.uploads.max-file-bytes";
    public static final String MAX_REFERENCED_BYTES = "mainstay.uploads.max-referenced-bytes";
    public static final String INFRASTRUCTURE_FAILURE_RATIO = "mainstay.uploads.infrastructure-failure-ratio";
    public static final String TRANSACTION_TIMEOUT = "mainstay.uploads.transaction-timeout";

    private static final Pattern SIZE = Pattern.compile("(\\d{1,15})\\s*(B|KiB|MiB|GiB)?");

    /** Read from {@code config}; {@link #problems()} says whether usable. */
    public static UploadSettings from(Config config) {
        return new UploadSettings(
            size(config, MAX_BODY_BYTES, 256L << 20),
            size(config, MAX_EXPANDED_BYTES, 2L << 30),
            (int) Math.min(Integer.MAX_VALUE, ConfigValues.text(config, MAX_FILES).map(UploadSettings::number).orElse(20_000L)),
            size(config, MAX_FILE_BYTES, 512L << 20),
            size(config, MAX_REFERENCED_BYTES, 64L << 20),
            ConfigValues.text(config, INFRASTRUCTURE_FAILURE_RATIO).map(UploadSettings::ratio).orElse(0.8),
            ConfigValues.text(config, TRANSACTION_TIMEOUT).map(ConfigValues::duration).orElse(Duration.ofMinutes(10)));
    }

    /** What must be fixed; each problem names its key. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        check(problems, MAX_BODY_BYTES, maxBodyBytes >= 1024);
        check(problems, MAX_EXPANDED_BYTES, maxExpandedBytes >= 1024);
        check(problems, MAX_FILES, maxFiles >= 1);
        check(problems, MAX_FILE_BYTES, maxFileBytes >= 1024);
        check(problems, MAX_REFERENCED_BYTES, maxReferencedBytes >= 0);
        if (!(infrastructureFailureRatio > 0 && infrastructureFailureRatio <= 1)) {
            problems.add(INFRASTRUCTURE_FAILURE_RATIO + " must be a share above 0 and at most 1, e.g. 0.8");
        }
        if (transactionTimeout.compareTo(Duration.ofSeconds(10)) < 0 || transactionTimeout.compareTo(Duration.ofHours(1)) > 0) {
            problems.add(TRANSACTION_TIMEOUT + " must be a duration from 10s to 1h, e.g. 10m");
        }
        return problems;
    }

    /** The limits the bundle is read with. */
    public BundleLimits bundleLimits() {
        return new BundleLimits(maxExpandedBytes, maxFiles, maxFileBytes, maxReferencedBytes);
    }

    /** The limits each report is parsed with. */
    public ParseLimits parseLimits() {
        ParseLimits d = ParseLimits.DEFAULT;
        return new ParseLimits(maxFileBytes, d.maxDepth(), d.maxAttributeChars(), d.maxTextChars());
    }

    private static void check(List<String> problems, String key, boolean ok) {
        if (!ok) {
            problems.add(key + " is too small, or not a size such as 256MiB");
        }
    }

    private static long size(Config config, String key, long otherwise) {
        return ConfigValues.text(config, key).map(text -> {
            Matcher m = SIZE.matcher(text.strip());
            if (!m.matches()) {
                return -1L;
            }
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "B" : m.group(2);
            return switch (unit) {
                case "KiB" -> n << 10;
                case "MiB" -> n << 20;
                case "GiB" -> n << 30;
                default -> n;
            };
        }).orElse(otherwise);
    }

    private static long number(String text) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static double ratio(String text) {
        try {
            return Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
