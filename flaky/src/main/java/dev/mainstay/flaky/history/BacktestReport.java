package dev.mainstay.flaky.history;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.mainstay.flaky.Monitor;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/** A {@link Backtest.Report} as {@code mainstay flaky backtest} prints it: a table, or JSON with {@code --json}. */
public final class BacktestReport {

    private static final JsonFactory JSON = new JsonFactory();

    private BacktestReport() {
    }

    /** The report as one JSON object on one line. */
    public static String json(Backtest.Report r) {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(text)) {
            g.writeStartObject();
            g.writeNumberField("tests", r.tests());
            g.writeNumberField("labelled", r.labelled());
            g.writeNumberField("unlabelled_tests", r.unlabelledTests());
            g.writeNumberField("labels_without_history", r.labelsWithoutHistory());
            g.writeNumberField("infrastructure_uploads", r.infrastructureUploads());
            g.writeFieldName("overall");
            score(g, r.flaky());
            g.writeObjectFieldStart("monitors");
            for (Monitor m : Monitor.values()) {
                g.writeFieldName(m.key());
                score(g, r.monitors().get(m));
            }
            g.writeEndObject();
            g.writeFieldName("broken");
            score(g, r.broken());
            g.writeObjectFieldStart("recall_at_" + Backtest.RECALL_AFTER_RUNS + "_runs");
            number(g, "recall", r.recallAt50());
            g.writeNumberField("tests", r.recallAt50Eligible());
            g.writeNumberField("min_flake_rate", Backtest.RECALL_MIN_FLAKE_RATE);
            g.writeEndObject();
            g.writeNumberField("broken_called_flaky", r.brokenCalledFlaky());
            g.writeNumberField("healthy_called_flaky", r.healthyCalledFlaky());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e);
        }
        return text.toString();
    }

    private static void score(JsonGenerator g, Backtest.Score s) throws IOException {
        g.writeStartObject();
        g.writeNumberField("called", s.called());
        g.writeNumberField("correct", s.correct());
        g.writeNumberField("truth", s.truth());
        number(g, "precision", s.precision());
        number(g, "recall", s.recall());
        whole(g, "median_latency_runs", s.medianLatency());
        whole(g, "p90_latency_runs", s.p90Latency());
        g.writeEndObject();
    }

    private static void number(JsonGenerator g, String name, OptionalDouble value) throws IOException {
        g.writeFieldName(name);
        if (value.isPresent()) {
            g.writeNumber(round(value.getAsDouble()));
        } else {
            g.writeNull();
        }
    }

    private static void whole(JsonGenerator g, String name, OptionalInt value) throws IOException {
        g.writeFieldName(name);
        if (value.isPresent()) {
            g.writeNumber(value.getAsInt());
        } else {
            g.writeNull();
        }
    }

    /** The report as a table for people. */
    public static String text(Backtest.Report r) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%d tests, %d labelled (%d tests without a label, %d labels without a test)%n",
            r.tests(), r.labelled(), r.unlabelledTests(), r.labelsWithoutHistory()));
        out.append(String.format(Locale.ROOT, "%-16s %9s %9s %8s %8s %14s%n", "", "precision", "recall", "called", "truth",
            "latency p50/p90"));
        out.append(row("flaky (overall)", r.flaky()));
        for (Monitor m : Monitor.values()) {
            out.append(row("  " + m.key(), r.monitors().get(m)));
        }
        out.append(row("broken", r.broken()));
        out.append(String.format(Locale.ROOT, "recall within %d runs, flake rate >= %.0f%%: %s over %d tests%n",
            Backtest.RECALL_AFTER_RUNS, Backtest.RECALL_MIN_FLAKE_RATE * 100, percent(r.recallAt50()), r.recallAt50Eligible()));
        out.append(String.format(Locale.ROOT, "broken tests called flaky: %d; healthy tests called flaky: %d", r.brokenCalledFlaky(),
            r.healthyCalledFlaky()));
        return out.toString();
    }

    private static String row(String name, Backtest.Score s) {
        return String.format(Locale.ROOT, "%-16s %9s %9s %8d %8d %14s%n", name, percent(s.precision()), percent(s.recall()), s.called(),
            s.truth(), (s.medianLatency().isPresent() ? s.medianLatency().getAsInt() : "-") + "/"
                + (s.p90Latency().isPresent() ? s.p90Latency().getAsInt() : "-"));
    }

    private static String percent(OptionalDouble value) {
        return value.isPresent() ? String.format(Locale.ROOT, "%.1f%%", value.getAsDouble() * 100) : "-";
    }

    /** Six decimals: enough to compare, and the same on every JVM. */
    public static double round(double value) {
        return Math.round(value * 1e6) / 1e6;
    }
}
