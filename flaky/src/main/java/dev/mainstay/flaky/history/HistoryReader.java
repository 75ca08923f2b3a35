package dev.mainstay.flaky.history;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.mainstay.flaky.Execution;
import dev.mainstay.flaky.Outcome;
import java.io.IOException;
import java.io.Reader;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads a history file: JSON Lines, one execution per line —
 * {@code {"repo":"acme/web", "test":"…", "commit":"…", "branch":"main", "job":"unit", "run":"…",
 * "attempt":1, "status":"passed|failed|error|skipped", "at":"2026-10-01T12:00:00Z",
 * "duration_ms":123, "upload":"…"}}. {@code repo}, {@code test}, {@code commit}, {@code branch},
 * {@code status} and {@code at} are required; {@code attempt} defaults to 1; other fields, known or
 * not, are read past. Blank lines are skipped. The first bad line stops the read with its number
 * and what is wrong.
 */
public final class HistoryReader {

    private static final JsonFactory JSON = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).maxStringLength(JsonLines.MAX_LINE_CHARS).build()).build();

    private final Map<String, String> strings = new HashMap<>();

    /** Hands every line of {@code in} to {@code sink}, in file order. */
    public void read(Reader in, Consumer<HistoryLine> sink) throws IOException, HistoryException {
        JsonLines.forEach(in, (line, number) -> sink.accept(parse(line, number)));
    }

    private HistoryLine parse(String line, long number) throws IOException, HistoryException {
        String repo = null;
        String test = null;
        String commit = null;
        String branch = null;
        String run = "";
        String job = "";
        String upload = null;
        String status = null;
        String at = null;
        long attempt = 1;
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new HistoryException(number, "not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "repo" -> repo = text(p, value, field, number);
                    case "test" -> test = text(p, value, field, number);
                    case "commit" -> commit = text(p, value, field, number);
                    case "branch" -> branch = text(p, value, field, number);
                    case "job" -> job = value == JsonToken.VALUE_NULL ? "" : text(p, value, field, number);
                    case "run" -> run = value == JsonToken.VALUE_NULL ? "" : scalar(p, value, field, number);
                    case "upload" -> upload = value == JsonToken.VALUE_NULL ? null : scalar(p, value, field, number);
                    case "status" -> status = text(p, value, field, number);
                    case "at" -> at = text(p, value, field, number);
                    case "attempt" -> {
                        if (value != JsonToken.VALUE_NUMBER_INT) {
                            throw new HistoryException(number, "attempt must be a whole number, not " + p.getText());
                        }
                        attempt = p.getLongValue();
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw new HistoryException(number, "more than one JSON value on the line");
            }
        } catch (JsonProcessingException e) {
            throw new HistoryException(number, "not valid JSON: " + e.getOriginalMessage());
        }
        require(repo, "repo", number);
        require(test, "test", number);
        require(commit, "commit", number);
        require(branch, "branch", number);
        require(status, "status", number);
        require(at, "at", number);
        if (attempt < 1 || attempt > Integer.MAX_VALUE) {
            throw new HistoryException(number, "attempt must be at least 1: " + attempt);
        }
        Outcome outcome;
        Instant when;
        try {
            outcome = Outcome.of(status);
            when = Instant.parse(at);
        } catch (IllegalArgumentException e) {
            throw new HistoryException(number, e.getMessage());
        } catch (DateTimeParseException e) {
            throw new HistoryException(number, "at must be an ISO-8601 instant like 2026-10-01T12:00:00Z, not '" + at + "'");
        }
        String runKey = job.isEmpty() ? run : job + "\u0000" + run;
        Execution execution = new Execution("line:" + number, intern(commit), intern(branch), intern(runKey), (int) attempt, outcome,
            when);
        return new HistoryLine(intern(repo), test, upload == null ? null : intern(upload), execution);
    }

    private String intern(String s) {
        return strings.computeIfAbsent(s, k -> k);
    }

    private static String text(JsonParser p, JsonToken value, String field, long line) throws IOException, HistoryException {
        if (value != JsonToken.VALUE_STRING) {
            throw new HistoryException(line, field + " must be a string, not " + p.getText());
        }
        return p.getText();
    }

    private static String scalar(JsonParser p, JsonToken value, String field, long line) throws IOException, HistoryException {
        if (value != JsonToken.VALUE_STRING && value != JsonToken.VALUE_NUMBER_INT) {
            throw new HistoryException(line, field + " must be a string or a whole number, not " + p.getText());
        }
        return p.getText();
    }

    private static void require(String value, String field, long line) throws HistoryException {
        if (value == null || value.isEmpty()) {
            throw new HistoryException(line, "missing \"" + field + "\"");
        }
    }
}
