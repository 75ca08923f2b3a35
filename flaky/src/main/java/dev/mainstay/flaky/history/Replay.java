package dev.mainstay.flaky.history;

import dev.mainstay.flaky.DetectionSettings;
import dev.mainstay.flaky.Detector;
import dev.mainstay.flaky.Execution;
import dev.mainstay.flaky.InfrastructureFailure;
import dev.mainstay.flaky.Monitor;
import dev.mainstay.flaky.Outcome;
import dev.mainstay.flaky.Status;
import dev.mainstay.flaky.Verdict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Runs the detector over a history as the appliance would have: each test's executions in time
 * order, a verdict after every one of them (each from the one before, so hysteresis works as on
 * the server), then a last verdict as of the newest execution in the whole history. Uploads that
 * the infrastructure-failure rule flags are left out first, as the server leaves them out.
 */
public final class Replay {

    /**
     * What replaying one test found.
     *
     * @param executions   its executions that detection saw (after infrastructure failures were left out)
     * @param verdict      the verdict as of the newest execution in the history
     * @param flakyAfter   how many of its executions it took to first call it flaky
     * @param brokenAfter  how many to first call it broken
     * @param monitorAfter per monitor, how many it took to first make that monitor active
     */
    public record TestResult(String repo, String test, int executions, Verdict verdict, OptionalInt flakyAfter,
                             OptionalInt brokenAfter, Map<Monitor, Integer> monitorAfter) {

        /** How many executions it took to first call the test flaky or broken. */
        public OptionalInt detectedAfter() {
            if (flakyAfter.isEmpty()) {
                return brokenAfter;
            }
            return brokenAfter.isEmpty() ? flakyAfter : OptionalInt.of(Math.min(flakyAfter.getAsInt(), brokenAfter.getAsInt()));
        }
    }

    /** The replay of a whole history: per test, in the order tests first appear, and how many uploads were left out. */
    public record Result(List<TestResult> tests, int infrastructureUploads, Instant asOf) {
    }

    private Replay() {
    }

    public static Result run(List<HistoryLine> lines, DetectionSettings settings, double infrastructureRatio) {
        Set<String> infrastructure = infrastructureUploads(lines, infrastructureRatio);
        Map<String, List<Execution>> byTest = new LinkedHashMap<>();
        Map<String, String[]> names = new HashMap<>();
        Instant asOf = Instant.EPOCH;
        for (HistoryLine line : lines) {
            String upload = uploadKey(line);
            if (upload != null && infrastructure.contains(upload)) {
                continue;
            }
            String key = line.repo() + "\u0000" + line.test();
            byTest.computeIfAbsent(key, k -> new ArrayList<>()).add(line.execution());
            names.putIfAbsent(key, new String[] {line.repo(), line.test()});
            if (line.execution().at().isAfter(asOf)) {
                asOf = line.execution().at();
            }
        }
        List<TestResult> results = new ArrayList<>(byTest.size());
        for (Map.Entry<String, List<Execution>> e : byTest.entrySet()) {
            String[] name = names.get(e.getKey());
            results.add(replay(name[0], name[1], e.getValue(), settings, asOf));
        }
        return new Result(results, infrastructure.size(), asOf);
    }

    static TestResult replay(String repo, String test, List<Execution> executions, DetectionSettings settings, Instant asOf) {
        List<Execution> ordered = new ArrayList<>(executions);
        ordered.sort(Execution.CHRONOLOGICAL);
        Verdict verdict = Verdict.INITIAL;
        Integer flakyAfter = null;
        Integer brokenAfter = null;
        Map<Monitor, Integer> monitorAfter = new EnumMap<>(Monitor.class);
        int from = 0;
        for (int i = 0; i < ordered.size(); i++) {
            Instant now = ordered.get(i).at();
            // Executions that fell out of the window never come back: skip them for good.
            while (!ordered.get(from).at().isAfter(now.minus(settings.window()))) {
                from++;
            }
            verdict = Detector.classify(ordered.subList(from, i + 1), verdict, settings, now);
            if (flakyAfter == null && verdict.status() == Status.FLAKY) {
                flakyAfter = i + 1;
            }
            if (brokenAfter == null && verdict.status() == Status.BROKEN) {
                brokenAfter = i + 1;
            }
            for (Monitor m : verdict.monitors()) {
                monitorAfter.putIfAbsent(m, i + 1);
            }
        }
        verdict = Detector.classify(ordered.subList(from, ordered.size()), verdict, settings, asOf);
        return new TestResult(repo, test, ordered.size(), verdict, optional(flakyAfter), optional(brokenAfter), monitorAfter);
    }

    private static OptionalInt optional(Integer value) {
        return value == null ? OptionalInt.empty() : OptionalInt.of(value);
    }

    private static Set<String> infrastructureUploads(List<HistoryLine> lines, double ratio) {
        Map<String, long[]> counts = new HashMap<>();
        for (HistoryLine line : lines) {
            Outcome outcome = line.execution().outcome();
            String upload = uploadKey(line);
            if (outcome == Outcome.SKIPPED || upload == null) {
                continue;
            }
            long[] c = counts.computeIfAbsent(upload, k -> new long[2]);
            c[0] += outcome.failing() ? 1 : 0;
            c[1]++;
        }
        Set<String> flagged = new HashSet<>();
        counts.forEach((upload, c) -> {
            if (InfrastructureFailure.probable(c[0], c[1], ratio)) {
                flagged.add(upload);
            }
        });
        return flagged;
    }

    /** The upload a line came in: its {@code upload} field, else its repository's CI run; null when it names neither. */
    private static String uploadKey(HistoryLine line) {
        if (line.upload() != null) {
            return "u\u0000" + line.upload();
        }
        return line.execution().run().isEmpty() ? null : "r\u0000" + line.repo() + "\u0000" + line.execution().run();
    }
}
