package dev.mainstay.platform.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.testkit.ApplianceProcess;
import dev.mainstay.testkit.TempDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code ./mainstay dev} on one data directory, started, stopped, killed and started again. */
class DevModeRestartTest {

    private static final Duration READY = Duration.ofSeconds(120);
    private static final Pattern INSTALLATION = Pattern.compile("Installation (\\S+) \\(since [^)]+\\), start #(\\d+)");
    private static final Pattern JDBC_URL = Pattern.compile("Database\\s+(jdbc:postgresql://\\S+)");

    @Test
    void a_row_written_through_jpa_in_one_dev_run_is_read_back_after_a_restart_and_after_kill_9() throws Exception {
        Path dataDir = TempDirs.create("mainstay-dev-restart-");
        Map<String, String> props = SignInStub.with(Map.of("mainstay.http.port", "0", "mainstay.dev.postgres-port", "0"));

        String installationId;
        try (ApplianceProcess first = ApplianceProcess.startAndAwaitReady(dataDir.resolve("run1.log"), props, READY,
            "dev", "--data-dir", dataDir.toString())) {
            Matcher m = find(INSTALLATION, first.output());
            installationId = m.group(1);
            assertEquals("1", m.group(2), "first start of a new data directory");
            assertTrue(first.output().contains("Mainstay " + Main.version() + " is ready (dev mode"), "banner:\n" + first.output());
            assertTrue(first.reportedStartup().toMillis() > 0, "the time to ready is logged");
            first.stop(Duration.ofSeconds(60));
        }
        assertTrue(Files.isDirectory(dataDir.resolve("transactions")), "the transaction log lives in the data directory");
        assertFalse(Files.exists(Path.of("ObjectStore")) || Files.exists(Path.of("PutObjectStoreDirHere")),
            "nothing is written to the working directory " + Path.of("").toAbsolutePath());

        ApplianceProcess second = ApplianceProcess.startAndAwaitReady(dataDir.resolve("run2.log"), props, READY,
            "dev", "--data-dir", dataDir.toString());
        try {
            Matcher m = find(INSTALLATION, second.output());
            assertEquals(installationId, m.group(1), "the installation row written in the first run is read back");
            assertEquals("2", m.group(2));
            // What a user sees with psql at the JDBC URL from the banner.
            String url = find(JDBC_URL, second.output()).group(1);
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT id, start_count FROM installation")) {
                assertTrue(rs.next(), "one installation row");
                assertEquals(installationId, rs.getString("id"));
                assertEquals(2, rs.getLong("start_count"));
            }
        } finally {
            // A crash: the JVM dies and leaves its PostgreSQL running on the data directory.
            second.kill();
        }

        try (ApplianceProcess third = ApplianceProcess.startAndAwaitReady(dataDir.resolve("run3.log"), props, READY,
            "dev", "--data-dir", dataDir.toString())) {
            Matcher m = find(INSTALLATION, third.output());
            assertEquals(installationId, m.group(1), "data survives a kill -9");
            assertEquals("3", m.group(2));
        }
    }

    private static Matcher find(Pattern pattern, String output) {
        Matcher m = pattern.matcher(output);
        assertTrue(m.find(), "expected " + pattern + " in:\n" + output);
        return m;
    }
}
