package dev.mainstay.reports;

/**
 * Bounds that keep a hostile or broken report from taking the server's memory or time. A report
 * beyond {@code maxBytes}, {@code maxDepth} or {@code maxAttributeChars} is rejected; texts
 * (messages, stack traces, output) longer than {@code maxTextChars} are cut to an excerpt, and the
 * rest is read past without being kept.
 *
 * @param maxBytes          the most bytes one report may have (after decompression)
 * @param maxDepth          the deepest nesting of elements or JSON values
 * @param maxAttributeChars the longest attribute value or JSON string that is not a kept text
 * @param maxTextChars      the longest excerpt kept of a message, stack trace or output
 */
public record ParseLimits(long maxBytes, int maxDepth, int maxAttributeChars, int maxTextChars) {

    /** 512 MiB, depth 64, 1 MiB attributes (Surefire writes whole assertion messages into one), 64 KiB excerpts. */
    public static final ParseLimits DEFAULT = new ParseLimits(512L << 20, 64, 1 << 20, 64 << 10);

    public ParseLimits {
        if (maxBytes < 1 || maxDepth < 2 || maxAttributeChars < 256 || maxTextChars < 256) {
            throw new IllegalArgumentException("limits too small: " + maxBytes + " bytes, depth " + maxDepth + ", attributes "
                + maxAttributeChars + ", texts " + maxTextChars);
        }
    }
}
