package dev.mainstay.reports.xcresult;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import dev.mainstay.reports.LimitedInputStream;
import dev.mainstay.reports.ParseLimits;
import dev.mainstay.reports.ReportException;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.util.OptionalLong;

/**
 * Jackson's streaming parser under a report's {@link ParseLimits}, and what its failures mean
 * for the report: depth, string and name length are Jackson's own constraints, the byte count is
 * a {@link LimitedInputStream}. Strings the parser skips are read past without being kept, so
 * only the strings it reads count against {@code maxAttributeChars}.
 */
final class JsonInput {

    /** The longest number, in characters: an int64 needs 20, so anything near this is broken or hostile. */
    private static final int MAX_NUMBER_CHARS = 1000;

    private JsonInput() {
    }

    /** A parser over {@code in}, bounded by {@code limits}; closing it leaves {@code in} open (the caller owns it). */
    static JsonParser open(InputStream in, ParseLimits limits) throws IOException {
        JsonFactory factory = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(limits.maxDepth())
                .maxStringLength(limits.maxAttributeChars())
                .maxNameLength(limits.maxAttributeChars())
                .maxNumberLength(MAX_NUMBER_CHARS)
                .build())
            // Names are not interned: millions of distinct names in a hostile file would grow, or overflow, the symbol table.
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .build();
        return factory.createParser(new LimitedInputStream(in, limits.maxBytes()));
    }

    /**
     * What a failure while reading means: the report is too large, beyond a limit, not in a
     * readable encoding or not valid JSON (a {@link ReportException} naming the line); any other
     * I/O failure is the stream's and is rethrown.
     *
     * @param json the parser, for the line; null when it failed while opening
     */
    static ReportException failure(String report, JsonParser json, ParseLimits limits, IOException e) throws IOException {
        if (e instanceof LimitedInputStream.TooLarge tooLarge) {
            return new ReportException(report, OptionalLong.empty(), "larger than the limit of " + tooLarge.max() + " bytes");
        }
        if (e instanceof CharConversionException) {
            return new ReportException(report, line(json == null ? null : json.currentLocation()),
                "not in a readable encoding (UTF-8, UTF-16 or UTF-32): " + e.getMessage(), e);
        }
        if (e instanceof StreamConstraintsException limit) {
            return new ReportException(report, line(json == null ? null : json.currentLocation()), "beyond a limit: " + limit(limit, limits), e);
        }
        if (e instanceof JsonProcessingException invalid) {
            JsonLocation at = invalid.getLocation() != null ? invalid.getLocation() : json == null ? null : json.currentLocation();
            String what = e instanceof JsonEOFException ? "truncated JSON: " : "not valid JSON: ";
            return new ReportException(report, line(at), what + withoutSource(invalid.getOriginalMessage()), e);
        }
        throw e;
    }

    /** Which limit was passed, in the limits' own terms (Jackson's message counts characters as it happened to buffer them). */
    private static String limit(StreamConstraintsException e, ParseLimits limits) {
        String message = String.valueOf(e.getOriginalMessage());
        if (message.contains("NestingDepth")) {
            return "nested deeper than " + limits.maxDepth() + " levels";
        }
        if (message.contains("StringLength") || message.contains("NameLength")) {
            return "a string longer than " + limits.maxAttributeChars() + " characters";
        }
        if (message.contains("NumberLength")) {
            return "a number longer than " + MAX_NUMBER_CHARS + " characters";
        }
        return message;
    }

    /** Jackson names a position as {@code [Source: REDACTED (…); line: 1, column: 1]}; the report's name is given apart. */
    private static String withoutSource(String message) {
        return String.valueOf(message).replaceAll("\\[Source: [^;\\]]*(?:\\([^)]*\\))?; line: (\\d+), column: (\\d+)\\]", "line $1, column $2");
    }

    /** The line of {@code location}, when known. */
    static OptionalLong line(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? OptionalLong.empty() : OptionalLong.of(location.getLineNr());
    }

    /** The current scalar as text (a string, number or boolean); null for null, and for an object or array, which is skipped. */
    static String scalar(JsonParser json) throws IOException {
        JsonToken token = json.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token != null && token.isScalarValue()) {
            return json.getText();
        }
        json.skipChildren();
        return null;
    }

    /** What a token is, for messages: {@code an array}, {@code a string}, … */
    static String kind(JsonToken token) {
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
