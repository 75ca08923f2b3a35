package dev.mainstay.cli.flaky;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlakyCommandsTest {

    @TempDir
    Path dir;

    private CliRun cli;

    /** Three tests on main over 30 runs: "retried" fails once and passes on retry, "broken" fails from run 20 on. */
    @BeforeEach
    void writeHistory() throws IOException {
        cli = CliRun.in(dir);
        StringBuilder history = new StringBuilder();
        Instant at = Instant.parse("2026-10-01T00:00:00Z");
        for (int run = 1; run <= 30; run++) {
            at = at.plusSeconds(3600);
            line(history, "steady", run, 1, "passed", at);
            line(history, "broken", run, 1, run >= 20 ? "failed" : "passed", at);
            if (run == 10) {
                line(history, "retried", run, 1, "failed", at);
                line(history, "retried", run, 2, "passed", at.plusSeconds(60));
            } else {
                line(history, "retried", run, 1, "passed", at);
            }
        }
        Files.writeString(dir.resolve("history.jsonl"), history);
        Files.writeString(dir.resolve("labels.jsonl"), """
            {"test":"steady","truth":"healthy"}
            {"test":"broken","truth":"broken"}
            {"test":"retried","truth":"flaky","flake_rate":0.05}
            """);
    }

    private static void line(StringBuilder out, String test, int run, int attempt, String status, Instant at) {
        out.append("{\"repo\":\"acme/web\",\"test\":\"").append(test).append("\",\"commit\":\"c").append(run)
            .append("\",\"branch\":\"main\",\"job\":\"unit\",\"run\":\"").append(run).append("\",\"attempt\":").append(attempt)
            .append(",\"status\":\"").append(status).append("\",\"at\":\"").append(at).append("\",\"duration_ms\":5,\"upload\":\"u")
            .append(run).append("\"}\n");
    }

    @Test
    void classify_prints_one_verdict_per_test_as_of_the_last_execution() {
        CliRun.Result r = cli.run("flaky", "classify", "--history", "history.jsonl", "--json");

        assertEquals(0, r.code(), r.both());
        assertEquals(List.of(
            "{\"repo\":\"acme/web\",\"test\":\"steady\",\"status\":\"healthy\",\"score\":3.21E-4,\"confidence\":0.025658,"
                + "\"monitors\":[],\"detected_after_runs\":null,\"executions\":30}",
            "{\"repo\":\"acme/web\",\"test\":\"broken\",\"status\":\"broken\",\"score\":5.14E-4,\"confidence\":0.029785,"
                + "\"monitors\":[],\"detected_after_runs\":22,\"executions\":30}",
            "{\"repo\":\"acme/web\",\"test\":\"retried\",\"status\":\"flaky\",\"score\":0.00906,\"confidence\":0.24765,"
                + "\"monitors\":[\"pass_on_retry\",\"failure_rate\"],\"detected_after_runs\":11,\"executions\":31}"), r.out().lines().toList());
        assertTrue(r.err().startsWith("read 91 executions of 3 tests from "), r.err());
    }

    @Test
    void backtest_scores_the_verdicts_against_the_labels() {
        CliRun.Result r = cli.run("flaky", "backtest", "--history", "history.jsonl", "--labels", "labels.jsonl", "--json");

        assertEquals(0, r.code(), r.both());
        String out = r.out();
        assertTrue(out.contains("\"overall\":{\"called\":1,\"correct\":1,\"truth\":1,\"precision\":1.0,\"recall\":1.0,"
            + "\"median_latency_runs\":11,\"p90_latency_runs\":11}"), out);
        assertTrue(out.contains("\"broken\":{\"called\":1,\"correct\":1,\"truth\":1,\"precision\":1.0,\"recall\":1.0,"
            + "\"median_latency_runs\":22,\"p90_latency_runs\":22}"), out);
        assertTrue(out.contains("\"broken_called_flaky\":0,\"healthy_called_flaky\":0"), out);

        CliRun.Result table = cli.run("flaky", "backtest", "--history", "history.jsonl", "--labels", "labels.jsonl");
        assertTrue(table.out().contains("flaky (overall)     100.0%    100.0%        1        1          11/11"), table.out());
    }

    @Test
    void a_bad_history_line_exits_1_naming_the_file_and_line() throws IOException {
        Files.writeString(dir.resolve("bad.jsonl"), Files.readString(dir.resolve("history.jsonl")) + "{\"repo\":\"acme/web\"}\n");

        CliRun.Result r = cli.run("flaky", "classify", "--history", "bad.jsonl");

        assertEquals(1, r.code());
        assertTrue(r.err().endsWith("bad.jsonl: line 92: missing \"test\"\n"), r.err());
    }

    @Test
    void missing_files_and_bad_settings_are_usage_errors() throws IOException {
        assertEquals(2, cli.run("flaky", "classify").code(), "--history is required");
        CliRun.Result missing = cli.run("flaky", "classify", "--history", "nope.jsonl");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("--history " + dir.resolve("nope.jsonl") + ": no such file"), missing.err());

        Files.writeString(dir.resolve("config.json"), "{\"rate_activate\": 2}");
        CliRun.Result config = cli.run("flaky", "classify", "--history", "history.jsonl", "--config", "config.json");
        assertEquals(1, config.code());
        assertTrue(config.err().contains("config.json: rate_activate must be above 0 and at most 1: 2.0"), config.err());
    }

    @Test
    void a_config_file_changes_the_thresholds() throws IOException {
        Files.writeString(dir.resolve("config.json"), "{\"retry_min_commits\": 2, \"rate_min_sample\": 40}");

        CliRun.Result r = cli.run("flaky", "classify", "--history", "history.jsonl", "--config", "config.json", "--json");

        assertTrue(r.out().contains("\"test\":\"retried\",\"status\":\"healthy\""), "one retried commit, and one failure in 31 runs, are not enough now: " + r.out());
    }
}
