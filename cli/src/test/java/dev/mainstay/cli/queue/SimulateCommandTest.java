package dev.mainstay.cli.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateCommandTest {

    @TempDir
    Path dir;

    private CliRun cli;

    /** A small repository: two hours of pull requests, ten-minute CI, every kind of trouble. */
    @BeforeEach
    void writeScenario() throws IOException {
        cli = CliRun.in(dir);
        Files.writeString(dir.resolve("small.json"), """
            {"name": "small", "seed": 5, "hours": 2, "prs_per_hour": 20, "ci_minutes": {"median": 10, "p95": 15}, "ci_slots": 4,
             "true_failure_rate": 0.1, "flake_rate": 0.1, "conflict_rate": 0.05, "lanes": 2, "settings": {"batch_size": 2}}
            """);
    }

    @Test
    void json_prints_one_object_per_strategy_in_the_order_asked_the_same_every_time() {
        CliRun.Result r = cli.run("queue", "simulate", "--scenario", "small.json", "--strategies", "oracle,mainstay", "--json");

        assertEquals(0, r.code(), r.both());
        assertTrue(r.out().startsWith("[{\"strategy\":\"oracle\",\"merged\":"), r.out());
        assertTrue(r.out().contains("},{\"strategy\":\"mainstay\",\"merged\":"), r.out());
        assertTrue(r.out().contains("\"invariant_violations\":0}"), r.out());
        assertEquals(r.out(), cli.run("queue", "simulate", "--scenario", "small.json", "--strategies", "oracle,mainstay", "--json").out());
    }

    @Test
    void seed_overrides_the_scenarios_seed() {
        String five = cli.run("queue", "simulate", "--scenario", "small.json", "--json").out();

        assertEquals(five, cli.run("queue", "simulate", "--scenario", "small.json", "--seed", "5", "--json").out());
        assertNotEquals(five, cli.run("queue", "simulate", "--scenario", "small.json", "--seed", "6", "--json").out());
    }

    @Test
    void without_json_a_table_has_a_row_per_strategy() {
        CliRun.Result r = cli.run("queue", "simulate", "--scenario", "small.json");

        assertEquals(0, r.code(), r.both());
        assertTrue(r.out().startsWith("strategy   merged   merged/h*   p50 min"), r.out());
        for (String strategy : new String[] {"mainstay", "serial", "github", "oracle"}) {
            assertTrue(r.out().contains("\n" + strategy + " "), strategy + " in\n" + r.out());
        }
    }

    @Test
    void an_invalid_scenario_exits_1_naming_the_file_and_the_key() throws IOException {
        Files.writeString(dir.resolve("bad.json"), Files.readString(dir.resolve("small.json")).replace("\"batch_size\"", "\"batch\""));

        CliRun.Result r = cli.run("queue", "simulate", "--scenario", "bad.json");

        assertEquals(1, r.code(), r.both());
        assertTrue(r.err().startsWith("mainstay queue simulate: "), r.err());
        assertTrue(r.err().contains("bad.json: unknown key 'settings.batch' (known: batch_size, "), r.err());
    }

    @Test
    void a_missing_file_an_unknown_strategy_or_a_bad_seed_is_a_usage_error() {
        assertEquals(2, cli.run("queue", "simulate", "--scenario", "none.json").code());
        CliRun.Result strategy = cli.run("queue", "simulate", "--scenario", "small.json", "--strategies", "mainstay,zuul");
        assertEquals(2, strategy.code());
        assertTrue(strategy.err().contains("unknown strategy 'zuul' (known: mainstay, serial, github, oracle)"), strategy.err());
        assertEquals(2, cli.run("queue", "simulate", "--scenario", "small.json", "--seed", "x").code());
        assertEquals(2, cli.run("queue", "simulate").code());
    }
}
