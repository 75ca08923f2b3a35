package dev.mainstay.flaky;

import java.util.Locale;

/** What detection says about a test. The same names are used in the database, the API and the UI. */
public enum Status {
    /** No monitor has evidence, and it is not consistently failing. */
    HEALTHY,
    /** At least one monitor has evidence that it fails and passes on the same code. */
    FLAKY,
    /** Its latest runs on a protected branch all fail: consistently failing, which is never called flaky. */
    BROKEN;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The status named {@code key}.
     *
     * @throws IllegalArgumentException when {@code key} is not {@code healthy}, {@code flaky} or {@code broken}
     */
    public static Status of(String key) {
        return switch (key) {
            case "healthy" -> HEALTHY;
            case "flaky" -> FLAKY;
            case "broken" -> BROKEN;
            default -> throw new IllegalArgumentException("status must be healthy, flaky or broken, not '" + key + "'");
        };
    }
}
