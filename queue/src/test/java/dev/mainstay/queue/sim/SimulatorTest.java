package dev.mainstay.queue.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The simulator on small scenarios: seconds, not minutes. */
class SimulatorTest {

    private static final List<Strategy> ALL = List.of(Strategy.values());

    /** Two hours of a small repository with every kind of trouble: bad changes, flakes, conflicts, two lanes. */
    static Scenario small(long seed, int lanes) {
        return ScenarioJson.read("""
            {"seed": %d, "hours": 2, "prs_per_hour": 20, "ci_minutes": {"median": 10, "p95": 15}, "ci_slots": 4,
             "true_failure_rate": 0.1, "flake_rate": 0.1, "conflict_rate": 0.1, "lanes": %d}
            """.formatted(seed, lanes));
    }

    @Test
    void the_same_seed_gives_the_same_results_to_the_digit() {
        String first = Simulator.json(Simulator.run(small(7, 2), ALL));
        String second = Simulator.json(Simulator.run(small(7, 2), ALL));

        assertEquals(first, second);
    }

    @Test
    void another_seed_gives_other_results() {
        assertNotEquals(Simulator.json(Simulator.run(small(7, 2), ALL)), Simulator.json(Simulator.run(small(8, 2), ALL)));
    }

    @Test
    void a_strategy_gives_the_same_result_alone_as_beside_the_others() {
        Result alone = Simulator.run(small(3, 1), List.of(Strategy.GITHUB)).getFirst();
        Result beside = Simulator.run(small(3, 1), ALL).get(2);

        assertEquals(alone, beside, "each strategy draws from its own generator: the order they run in does not matter");
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void no_strategy_ever_breaks_the_queue_invariant(long seed) {
        for (int lanes : new int[] {1, 3}) {
            for (Result r : Simulator.run(small(seed, lanes), ALL)) {
                assertEquals(0, r.invariantViolations(), r.strategy() + ", seed " + seed + ", " + lanes + " lanes: " + r.violations());
                assertFalse(r.stoppedAtCap(), r.toString());
                assertTrue(r.merged() > 0, r.toString());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void the_oracle_merges_at_least_as_fast_as_any_strategy(long seed) {
        List<Result> results = Simulator.run(small(seed, 1), ALL);
        Result oracle = results.get(3);

        for (Result r : results) {
            assertTrue(oracle.throughputPerHour() >= r.throughputPerHour(), oracle + " against " + r);
        }
        assertEquals(0, oracle.falseEjections(), "the oracle never sees a flake");
    }

    @Test
    void serial_tests_one_pull_request_at_a_time_and_github_ejects_flakes() {
        Scenario flaky = ScenarioJson.read("""
            {"seed": 11, "hours": 2, "prs_per_hour": 10, "ci_minutes": {"median": 5, "p95": 8}, "ci_slots": 4,
             "true_failure_rate": 0, "flake_rate": 0.3, "conflict_rate": 0, "lanes": 1}
            """);
        List<Result> results = Simulator.run(flaky, List.of(Strategy.SERIAL, Strategy.GITHUB, Strategy.MAINSTAY));

        assertTrue(results.get(0).ciRunsPerMerge() >= 1, "serial tests each pull request once at least: " + results.get(0));
        assertTrue(results.get(1).falseEjections() > 0, "without retries a flake ejects a good pull request: " + results.get(1));
        assertTrue(results.get(2).falseEjections() < results.get(1).falseEjections(),
            "anti-flake, retries and pending failures keep good pull requests in: " + results.get(2));
    }

    @Test
    void results_are_a_json_array_with_one_object_per_strategy_in_the_order_asked() {
        String json = Simulator.json(Simulator.run(small(1, 1), List.of(Strategy.ORACLE, Strategy.SERIAL)));

        assertTrue(json.startsWith("[{\"strategy\":\"oracle\",\"merged\":"), json);
        assertTrue(json.contains("},{\"strategy\":\"serial\",\"merged\":"), json);
        for (String key : List.of("throughput_per_hour", "ttm_p50_min", "ttm_p95_min", "ci_runs_per_merge", "false_ejections",
            "invariant_violations")) {
            assertTrue(json.contains("\"" + key + "\":"), key + " in " + json);
        }
        assertFalse(json.contains("stopped_at_cap"), json);
    }
}
