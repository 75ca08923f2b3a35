package dev.mainstay.flaky;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Detection settings as a flat JSON object, the form a repository's overrides are stored and
 * edited in and {@code mainstay flaky classify --config} reads: every key optional, a missing
 * one keeps its {@linkplain DetectionSettings#DEFAULTS default}, an unknown one is an error (a
 * misspelt threshold must not be ignored silently).
 */
public final class SettingsJson {

    /** The keys, in the order {@link #write} puts them. */
    public static final List<String> KEYS = List.of("protected_branches", "window_days", "max_executions", "retry_min_commits",
        "rate_activate", "rate_resolve", "rate_min_sample", "score_activate", "score_resolve", "prior_flaky", "prior_rate",
        "prior_weight", "noise_rate", "broken_min_failures", "broken_significance");

    private static final JsonFactory JSON = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(4).maxStringLength(10_000).build()).build();

    private SettingsJson() {
    }

    /**
     * {@code base} with the values that {@code json} sets.
     *
     * @throws IllegalArgumentException naming the key when the JSON is malformed, a key is unknown, a value has the
     *                                  wrong type, or a value is out of its range
     */
    public static DetectionSettings read(String json, DetectionSettings base) {
        List<String> branches = base.protectedBranches();
        double[] v = {base.window().toDays(), base.maxExecutions(), base.retryMinCommits(), base.rateActivate(), base.rateResolve(),
            base.rateMinSample(), base.scoreActivate(), base.scoreResolve(), base.priorFlaky(), base.priorRate(), base.priorWeight(),
            base.noiseRate(), base.brokenMinFailures(), base.brokenSignificance()};
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("detection settings must be a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken value = p.nextToken();
                int index = KEYS.indexOf(key);
                if (index < 0) {
                    throw new IllegalArgumentException("unknown detection setting '" + key + "' (known: " + String.join(", ", KEYS) + ")");
                }
                if (index == 0) {
                    branches = strings(p, key, value);
                } else if (value.isNumeric()) {
                    v[index - 1] = p.getDoubleValue();
                    boolean whole = List.of(1, 2, 3, 6, 13).contains(index);
                    if (whole && v[index - 1] != Math.rint(v[index - 1])) {
                        throw new IllegalArgumentException(key + " must be a whole number: " + p.getText());
                    }
                } else {
                    throw new IllegalArgumentException(key + " must be a number, not " + p.getText());
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new IllegalArgumentException("detection settings must be one JSON object");
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("detection settings are not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new DetectionSettings(branches, Duration.ofDays((long) v[0]), (int) v[1], (int) v[2], v[3], v[4], (int) v[5], v[6],
            v[7], v[8], v[9], v[10], v[11], (int) v[12], v[13]);
    }

    private static List<String> strings(JsonParser p, String key, JsonToken value) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            throw new IllegalArgumentException(key + " must be an array of branch globs");
        }
        List<String> out = new ArrayList<>();
        while (p.nextToken() == JsonToken.VALUE_STRING) {
            out.add(p.getText());
        }
        if (p.currentToken() != JsonToken.END_ARRAY) {
            throw new IllegalArgumentException(key + " must hold strings only");
        }
        return out;
    }

    /** {@code settings} as a JSON object with every key. */
    public static String write(DetectionSettings settings) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("protected_branches");
            for (String b : settings.protectedBranches()) {
                g.writeString(b);
            }
            g.writeEndArray();
            g.writeNumberField("window_days", settings.window().toDays());
            g.writeNumberField("max_executions", settings.maxExecutions());
            g.writeNumberField("retry_min_commits", settings.retryMinCommits());
            g.writeNumberField("rate_activate", settings.rateActivate());
            g.writeNumberField("rate_resolve", settings.rateResolve());
            g.writeNumberField("rate_min_sample", settings.rateMinSample());
            g.writeNumberField("score_activate", settings.scoreActivate());
            g.writeNumberField("score_resolve", settings.scoreResolve());
            g.writeNumberField("prior_flaky", settings.priorFlaky());
            g.writeNumberField("prior_rate", settings.priorRate());
            g.writeNumberField("prior_weight", settings.priorWeight());
            g.writeNumberField("noise_rate", settings.noiseRate());
            g.writeNumberField("broken_min_failures", settings.brokenMinFailures());
            g.writeNumberField("broken_significance", settings.brokenSignificance());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
