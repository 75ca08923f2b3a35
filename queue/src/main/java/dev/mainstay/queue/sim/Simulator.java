package dev.mainstay.queue.sim;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs strategies on a scenario: the same pull requests for each (drawn once from the seed), the
 * real engine, a seeded model of CI. The same scenario and seed give the same results, to the digit.
 */
public final class Simulator {

    private static final JsonFactory JSON = new JsonFactory();

    private Simulator() {
    }

    /** One result per strategy, in the order given. */
    public static List<Result> run(Scenario scenario, List<Strategy> strategies) {
        Objects.requireNonNull(scenario, "scenario");
        List<Workload.Arrival> workload = Workload.draw(scenario);
        List<Result> results = new ArrayList<>();
        for (Strategy strategy : strategies) {
            results.add(new Simulation(scenario, strategy, workload).run());
        }
        return List.copyOf(results);
    }

    /**
     * The results as a JSON array, one object per strategy:
     * {@code {"strategy","merged","throughput_per_hour","ttm_p50_min","ttm_p95_min","ci_runs_per_merge","false_ejections",
     * "invariant_violations"}}, with {@code "stopped_at_cap":true} added only to a run that was stopped. A figure that
     * does not exist (a time to merge when nothing merged) is null.
     */
    public static String json(List<Result> results) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartArray();
            for (Result r : results) {
                g.writeStartObject();
                g.writeStringField("strategy", r.strategy().key());
                g.writeNumberField("merged", r.merged());
                g.writeNumberField("throughput_per_hour", r.throughputPerHour());
                number(g, "ttm_p50_min", r.ttmP50Minutes());
                number(g, "ttm_p95_min", r.ttmP95Minutes());
                number(g, "ci_runs_per_merge", r.ciRunsPerMerge());
                g.writeNumberField("false_ejections", r.falseEjections());
                g.writeNumberField("invariant_violations", r.invariantViolations());
                if (r.stoppedAtCap()) {
                    g.writeBooleanField("stopped_at_cap", true);
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e);
        }
        return out.toString();
    }

    private static void number(JsonGenerator g, String name, double value) throws IOException {
        if (Double.isNaN(value)) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, value);
        }
    }
}
