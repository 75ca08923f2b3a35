package dev.mainstay.flaky.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.flaky.DetectionSettings;
import dev.mainstay.flaky.InfrastructureFailure;
import dev.mainstay.flaky.Monitor;
import dev.mainstay.flaky.Status;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ReplayTest {

    /** A history where one upload holds {@code tests} executions of tests t0..t(n-1), all passing except those named. */
    private static final class History {
        private final StringBuilder lines = new StringBuilder();
        private int upload;
        private Instant at = Instant.parse("2026-10-01T00:00:00Z");

        History upload(int tests, String commit, String... failing) {
            upload++;
            at = at.plusSeconds(3600);
            for (int i = 0; i < tests; i++) {
                String test = "t" + i;
                String status = List.of(failing).contains(test) ? "failed" : "passed";
                lines.append("{\"repo\":\"acme/web\",\"test\":\"").append(test).append("\",\"commit\":\"").append(commit)
                    .append("\",\"branch\":\"main\",\"run\":\"").append(upload).append("\",\"status\":\"").append(status)
                    .append("\",\"at\":\"").append(at).append("\",\"upload\":\"u").append(upload).append("\"}\n");
            }
            return this;
        }

        Replay.Result replay() throws Exception {
            List<HistoryLine> read = new ArrayList<>();
            new HistoryReader().read(new StringReader(lines.toString()), read::add);
            return Replay.run(read, DetectionSettings.DEFAULTS, InfrastructureFailure.DEFAULT_RATIO);
        }
    }

    private static Replay.TestResult test(Replay.Result result, String name) {
        return result.tests().stream().filter(t -> t.test().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void an_upload_where_most_tests_failed_is_left_out_as_an_infrastructure_failure() throws Exception {
        History history = new History().upload(5, "c1").upload(5, "c2", "t0", "t1", "t2", "t3").upload(5, "c2");

        Replay.Result result = history.replay();

        assertEquals(1, result.infrastructureUploads(), "4 of 5 failed: 80 %");
        assertEquals(Status.HEALTHY, test(result, "t0").verdict().status(), "the outage's failure is not contradicted by the re-run");
        assertEquals(2, test(result, "t0").executions());
    }

    @Test
    void counts_the_executions_it_took_to_call_a_test_flaky() throws Exception {
        History history = new History().upload(10, "c1").upload(10, "c2").upload(10, "c3", "t7").upload(10, "c3");

        Replay.TestResult t7 = test(history.replay(), "t7");

        assertEquals(OptionalInt.of(4), t7.flakyAfter(), "the fourth execution passed on the commit the third failed on");
        assertEquals(OptionalInt.of(4), t7.detectedAfter());
        assertEquals(4, t7.monitorAfter().get(Monitor.PASS_ON_RETRY));
        assertEquals(Status.FLAKY, t7.verdict().status());
        assertTrue(test(history.replay(), "t1").detectedAfter().isEmpty());
    }
}
