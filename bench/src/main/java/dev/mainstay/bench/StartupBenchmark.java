package dev.mainstay.bench;

import dev.mainstay.testkit.ApplianceProcess;
import dev.mainstay.testkit.TempDirs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Time from JVM start to ready of {@code ./mainstay dev} on a data directory whose embedded
 * PostgreSQL is already initialised (the goal: under 10 s), as the appliance itself logs it.
 * One unmeasured start initialises the data directory; then {@code runs} measured starts.
 *
 * <p>Run: {@code ./mvnw -pl bench -am install -DskipTests && ./mvnw -pl bench exec:exec@startup -Dbench.runs=5}
 */
public final class StartupBenchmark {

    private StartupBenchmark() {
    }

    /** Prints the first (cold data directory) start and min/median/max of the warm ones. */
    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path dataDir = TempDirs.create("mainstay-startup-bench-");
        Map<String, String> props = Map.of("mainstay.http.port", "0", "mainstay.dev.postgres-port", "0");
        long cold = startAndStop(dataDir, props, "cold");
        System.out.printf("cold start (initdb + migrations): %d ms%n", cold);
        List<Long> warm = new ArrayList<>();
        for (int i = 1; i <= runs; i++) {
            long ms = startAndStop(dataDir, props, "warm-" + i);
            warm.add(ms);
            System.out.printf("warm start %d/%d: %d ms%n", i, runs, ms);
        }
        Collections.sort(warm);
        System.out.printf("warm start to ready over %d runs: min %d ms, median %d ms, max %d ms (goal: < 10000 ms)%n",
            runs, warm.get(0), warm.get(warm.size() / 2), warm.get(warm.size() - 1));
    }

    private static long startAndStop(Path dataDir, Map<String, String> props, String name) {
        try (ApplianceProcess appliance = ApplianceProcess.startAndAwaitReady(dataDir.resolve(name + ".log"), props,
            Duration.ofMinutes(3), "dev", "--data-dir", dataDir.toString())) {
            return appliance.reportedStartup().toMillis();
        }
    }
}
