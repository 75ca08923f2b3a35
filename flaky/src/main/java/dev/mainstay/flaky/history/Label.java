package dev.mainstay.flaky.history;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.mainstay.flaky.Status;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * What a test truly is, for a backtest. Labels files are JSON Lines:
 * {@code {"test":"…", "truth":"healthy|flaky|broken"}}, optionally with {@code "repo"} (when the
 * same key names tests in several repositories) and {@code "flake_rate"} (so the backtest can
 * report recall for tests that flake at least 5 % of the time); other fields are read past.
 *
 * @param repo      the repository, or null for the test key in every repository
 * @param flakeRate how often the test flakes, when the labels say
 */
public record Label(String repo, String test, Status truth, OptionalDouble flakeRate) {

    private static final JsonFactory JSON = new JsonFactory();

    /** Every label in {@code in}; blank lines are skipped. */
    public static List<Label> read(Reader in) throws IOException, HistoryException {
        List<Label> labels = new ArrayList<>();
        JsonLines.forEach(in, (line, number) -> labels.add(parse(line, number)));
        return labels;
    }

    private static Label parse(String line, long number) throws IOException, HistoryException {
        String repo = null;
        String test = null;
        String truth = null;
        Double rate = null;
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new HistoryException(number, "not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "repo", "test", "truth" -> {
                        if (value != JsonToken.VALUE_STRING) {
                            throw new HistoryException(number, field + " must be a string, not " + p.getText());
                        }
                        switch (field) {
                            case "repo" -> repo = p.getText();
                            case "test" -> test = p.getText();
                            default -> truth = p.getText();
                        }
                    }
                    case "flake_rate" -> {
                        if (!value.isNumeric() || p.getDoubleValue() < 0 || p.getDoubleValue() > 1) {
                            throw new HistoryException(number, "flake_rate must be a number from 0 to 1, not " + p.getText());
                        }
                        rate = p.getDoubleValue();
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (JsonProcessingException e) {
            throw new HistoryException(number, "not valid JSON: " + e.getOriginalMessage());
        }
        if (test == null || test.isEmpty()) {
            throw new HistoryException(number, "missing \"test\"");
        }
        if (truth == null) {
            throw new HistoryException(number, "missing \"truth\"");
        }
        try {
            return new Label(repo, test, Status.of(truth), rate == null ? OptionalDouble.empty() : OptionalDouble.of(rate));
        } catch (IllegalArgumentException e) {
            throw new HistoryException(number, "truth: " + e.getMessage());
        }
    }
}
