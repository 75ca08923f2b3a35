package dev.mainstay.reports;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Streaming JSON for the JSON report formats, under a report's limits, and what its failures mean.
 * Depth, string, key and number length are Jackson's own constraints, the byte count is a
 * {@link LimitedInputStream}. Strings a parser skips are read past without being kept, so only the
 * strings it reads count against {@code maxAttributeChars}.
 */
public final class JsonReports {

    /** The longest number, in characters: an int64 needs 20, so anything near this is broken or hostile. */
    private static final int MAX_NUMBER_CHARS = 64;

    /** Jackson's words for a passed constraint, e.g. {@code Document nesting depth (17) exceeds the maximum allowed (16, …}. */
    private static final Pattern CONSTRAINT = Pattern.compile(
        "^(Document nesting depth|String value length|Name length|Number value length) \\(\\d+\\) exceeds the maximum allowed \\((\\d+)");

    /** What a report parser does with the JSON parser {@link #read} opened for it. */
    @FunctionalInterface
    public interface Reading {

        /** Reads the report from {@code json}, which is at its start. */
        void read(JsonParser json) throws IOException, ReportException;
    }

    private JsonReports() {
    }

    /**
     * Opens {@code in} as JSON under {@code limits}, hands the parser to {@code reading}, and turns
     * what goes wrong into a rejection naming the report and, when known, the line. {@code in} is
     * left open: the caller owns it.
     *
     * @throws ReportException when the report is too large, beyond a limit, not in a JSON encoding
     *                         or not valid JSON, or when {@code reading} rejects it
     * @throws IOException     when {@code in} itself fails
     */
    public static void read(String report, InputStream in, ParseLimits limits, Reading reading) throws ReportException, IOException {
        JsonParser json = null;
        try {
            json = parser(in, limits);
            reading.read(json);
        } catch (IOException e) {
            throw failure(report, json == null ? null : json.currentLocation(), e);
        } finally {
            if (json != null) {
                json.close();
            }
        }
    }

    /** A streaming parser over {@code in}, bounded in bytes, nesting depth and string length; closing it leaves {@code in} open. */
    public static JsonParser parser(InputStream in, ParseLimits limits) throws IOException {
        JsonFactory factory = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(limits.maxDepth())
                .maxStringLength(limits.maxAttributeChars())
                .maxNumberLength(MAX_NUMBER_CHARS)
                .maxNameLength(Math.min(limits.maxAttributeChars(), 4096))
                .build())
            // Keys are not interned: millions of distinct keys in a hostile file would grow, or overflow, the symbol table.
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .build();
        return factory.createParser(new LimitedInputStream(in, limits.maxBytes()));
    }

    /**
     * What a failure while reading {@code report} means: too large, beyond a limit, not in a JSON
     * encoding or not valid JSON (a {@link ReportException} naming the line when the failure
     * knows it); any other I/O failure is the stream's and is rethrown. {@link #read} also names
     * the line of a failure that does not know it, from where the parser stopped.
     */
    public static ReportException failure(String report, IOException e) throws IOException {
        return failure(report, null, e);
    }

    /** {@link #failure(String, IOException)}, with the line from {@code stoppedAt} (may be null) when {@code e} has none. */
    private static ReportException failure(String report, JsonLocation stoppedAt, IOException e) throws IOException {
        if (e instanceof LimitedInputStream.TooLarge tooLarge) {
            return tooLarge.rejection(report);
        }
        OptionalLong line = line(e instanceof JsonProcessingException p && p.getLocation() != null ? p.getLocation() : stoppedAt);
        if (e instanceof StreamConstraintsException limit) {
            return new ReportException(report, line, "beyond a limit: " + limit(limit), e);
        }
        if (e instanceof CharConversionException chars) {
            return new ReportException(report, line, "not text in a JSON encoding (UTF-8, UTF-16 or UTF-32): " + chars.getMessage(), e);
        }
        if (e instanceof JsonProcessingException invalid) {
            return new ReportException(report, line, "not valid JSON: " + withoutSource(invalid.getOriginalMessage()), e);
        }
        throw e;
    }

    /**
     * Which limit was passed, in the limits' terms ("nested deeper than 16 levels"): Jackson's own
     * message names its API and counts characters as it happened to buffer them. A message not
     * known here is kept as it is.
     */
    private static String limit(StreamConstraintsException e) {
        String message = String.valueOf(e.getOriginalMessage());
        Matcher m = CONSTRAINT.matcher(message);
        if (!m.find()) {
            return message;
        }
        String max = m.group(2);
        return switch (m.group(1)) {
            case "Document nesting depth" -> "nested deeper than " + max + " levels";
            case "String value length" -> "a string longer than " + max + " characters";
            case "Name length" -> "a key longer than " + max + " characters";
            default -> "a number longer than " + max + " characters";
        };
    }

    /** Jackson names a position inside a message as {@code [Source: REDACTED (…); line: 1, column: 1]}; the report's name is given apart. */
    private static String withoutSource(String message) {
        return String.valueOf(message).replaceAll("\\[Source: [^;\\]]*(?:\\([^)]*\\))?; line: (\\d+), column: (\\d+)\\]", "line $1, column $2");
    }

    /** The line of {@code location}, when known. */
    public static OptionalLong line(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? OptionalLong.empty() : OptionalLong.of(location.getLineNr());
    }

    /** What a token is, for messages: {@code an object}, {@code a string}, … */
    public static String kind(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            case END_OBJECT, END_ARRAY, FIELD_NAME, VALUE_EMBEDDED_OBJECT, NOT_AVAILABLE -> token.asString() == null ? token.name() : token.asString();
        };
    }
}
