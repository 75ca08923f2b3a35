package dev.mainstay.flaky.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mainstay.flaky.Monitor;
import dev.mainstay.flaky.Status;
import dev.mainstay.flaky.Verdict;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class BacktestTest {

    private static Replay.TestResult result(String test, int executions, Integer flakyAfter, Integer brokenAfter) {
        return new Replay.TestResult("acme/web", test, executions, Verdict.INITIAL,
            flakyAfter == null ? OptionalInt.empty() : OptionalInt.of(flakyAfter),
            brokenAfter == null ? OptionalInt.empty() : OptionalInt.of(brokenAfter),
            flakyAfter == null ? Map.of() : Map.of(Monitor.PASS_ON_RETRY, flakyAfter));
    }

    @Test
    void scores_each_call_against_the_labels() throws Exception {
        Replay.Result replay = new Replay.Result(List.of(
            result("flaky-found", 60, 12, null),
            result("flaky-found-late", 80, 70, null),
            result("flaky-missed", 60, null, null),
            result("healthy-called-flaky", 60, 30, null),
            result("broken", 60, null, 3),
            result("unlabelled", 10, null, null)), 2, java.time.Instant.EPOCH);
        List<Label> labels = Label.read(new StringReader("""
            {"test":"flaky-found","truth":"flaky","flake_rate":0.2}
            {"test":"flaky-found-late","truth":"flaky","flake_rate":0.05}
            {"test":"flaky-missed","truth":"flaky","flake_rate":0.01}
            {"test":"healthy-called-flaky","truth":"healthy"}
            {"test":"broken","truth":"broken"}
            {"test":"gone","truth":"healthy"}
            """));

        Backtest.Report report = Backtest.score(replay, labels);

        assertEquals(3, report.flaky().called());
        assertEquals(2, report.flaky().correct());
        assertEquals(OptionalDouble.of(2.0 / 3), report.flaky().precision());
        assertEquals(OptionalDouble.of(2.0 / 3), report.flaky().recall());
        assertEquals(OptionalInt.of(12), report.flaky().medianLatency());
        assertEquals(OptionalInt.of(70), report.flaky().p90Latency());
        assertEquals(OptionalDouble.of(0.5), report.recallAt50(), "of the two flaking at least 5 %, one was found within 50 runs");
        assertEquals(2, report.recallAt50Eligible());
        assertEquals(OptionalDouble.of(1.0), report.broken().recall());
        assertEquals(1, report.healthyCalledFlaky());
        assertEquals(0, report.brokenCalledFlaky());
        assertEquals(1, report.unlabelledTests());
        assertEquals(1, report.labelsWithoutHistory());
    }

    @Test
    void a_label_with_an_unknown_truth_names_its_line() {
        HistoryException e = assertThrows(HistoryException.class,
            () -> Label.read(new StringReader("{\"test\":\"a\",\"truth\":\"flaky\"}\n{\"test\":\"b\",\"truth\":\"weird\"}\n")));

        assertEquals("line 2: truth: status must be healthy, flaky or broken, not 'weird'", e.getMessage());
        assertEquals(Status.FLAKY, Status.of("flaky"));
    }
}
