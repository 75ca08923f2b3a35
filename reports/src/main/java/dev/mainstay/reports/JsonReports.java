package dev.mainstay.reports;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.util.OptionalLong;

/** Streaming JSON for the JSON report formats, under a report's limits, and what its failures mean. */
public final class JsonReports {

    private JsonReports() {
    }

    /** A streaming parser over {@code in}, bounded in bytes, nesting depth and string length. */
    public static JsonParser parser(InputStream in, ParseLimits limits) throws IOException {
        JsonFactory factory = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(limits.maxDepth())
                .maxStringLength(limits.maxAttributeChars())
                .maxNumberLength(64)
                .maxNameLength(Math.min(limits.maxAttributeChars(), 4096))
                .build())
            .build();
        return factory.createParser(new LimitedInputStream(in, limits.maxBytes()));
    }

    /**
     * What a failure while reading {@code report} means: too large, beyond a limit, or not JSON (a
     * {@link ReportException} naming the line); any other I/O failure is the stream's and is rethrown.
     */
    public static ReportException failure(String report, IOException e) throws IOException {
        if (e instanceof LimitedInputStream.TooLarge tooLarge) {
            return tooLarge.rejection(report);
        }
        if (e instanceof StreamConstraintsException limit) {
            return new ReportException(report, OptionalLong.empty(), "beyond a limit: " + limit.getOriginalMessage(), e);
        }
        if (e instanceof CharConversionException chars) {
            return new ReportException(report, OptionalLong.empty(), "not text in a JSON encoding (UTF-8, UTF-16 or UTF-32): "
                + chars.getMessage(), e);
        }
        if (e instanceof JsonProcessingException json) {
            return new ReportException(report, line(json.getLocation()), "not valid JSON: " + json.getOriginalMessage(), e);
        }
        throw e;
    }

    /** The line of {@code location}, when known. */
    public static OptionalLong line(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? OptionalLong.empty() : OptionalLong.of(location.getLineNr());
    }
}
