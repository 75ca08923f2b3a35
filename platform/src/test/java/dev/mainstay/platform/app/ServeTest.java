package dev.mainstay.platform.app;

import static dev.mainstay.platform.app.ServeConfigs.kekFileSettings;
import static dev.mainstay.platform.app.ServeConfigs.newKek;
import static dev.mainstay.platform.app.ServeConfigs.proxiedConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.platform.crypto.CryptoProviders;
import dev.mainstay.platform.crypto.DataKeys;
import dev.mainstay.platform.crypto.KekSource;
import dev.mainstay.testkit.ApplianceProcess;
import dev.mainstay.testkit.MainstayDatabase;
import dev.mainstay.testkit.SoftHsm;
import dev.mainstay.testkit.SoftHsmToken;
import dev.mainstay.testkit.TempDirs;
import dev.mainstay.testkit.TestDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code ./mainstay serve --config FILE}: production mode, as an operator starts it. */
@MainstayDatabase
@ExtendWith(SoftHsm.class)
class ServeTest {

    private static final Duration QUICK = Duration.ofSeconds(60);

    @Test
    void serve_without_tls_material_exits_non_zero_naming_the_missing_key(TestDatabase db) throws IOException {
        Path dir = TempDirs.create("mainstay-serve-notls-");
        Path config = Files.writeString(dir.resolve("mainstay.properties"), "mainstay.db.url=" + db.jdbcUrl() + "\nmainstay.tx.log-dir=" + dir.resolve("tx") + "\n");
        ApplianceProcess.Completed run = ApplianceProcess.runToCompletion(dir.resolve("out.log"), Map.of(), QUICK,
            "serve", "--config", config.toString());
        assertEquals(Main.EXIT_CONFIG, run.exitCode(), run.output());
        assertTrue(run.output().contains("mainstay.tls.certificate is not set"), run.output());
        assertTrue(run.output().contains("mainstay.tls.private-key is not set"), run.output());
        assertTrue(run.output().contains("mainstay.oidc.issuer is not set"), "sign-in settings are checked too: " + run.output());
        assertTrue(run.output().contains("mainstay.session.secret is not set"), run.output());
        assertTrue(run.output().contains("no key-encryption key is configured: set mainstay.crypto.kek.keystore"), run.output());
        assertTrue(run.output().contains("mainstay.audit.signing-key is not set"), run.output());
        assertFalse(run.output().contains("Mainstay ready"), "nothing was started");
    }

    @Test
    void serve_with_a_missing_configuration_file_says_which_file() {
        Path dir = TempDirs.create("mainstay-serve-nofile-");
        ApplianceProcess.Completed run = ApplianceProcess.runToCompletion(dir.resolve("out.log"), Map.of(), QUICK,
            "serve", "--config", dir.resolve("absent.yaml").toString());
        assertEquals(Main.EXIT_CONFIG, run.exitCode(), run.output());
        assertTrue(run.output().contains("configuration file " + dir.resolve("absent.yaml") + " does not exist"), run.output());
    }

    @Test
    void an_unknown_command_prints_usage_and_exits_2() {
        Path dir = TempDirs.create("mainstay-usage-");
        ApplianceProcess.Completed run = ApplianceProcess.runToCompletion(dir.resolve("out.log"), Map.of(), QUICK, "srve");
        assertEquals(Main.EXIT_USAGE, run.exitCode(), run.output());
        assertTrue(run.output().contains("mainstay: unknown command 'srve'"), run.output());
        assertTrue(run.output().contains("Usage: mainstay <command>"), run.output());
    }

    @Test
    void behind_a_tls_proxy_x_forwarded_proto_is_believed_only_from_trusted_addresses_and_env_selects_json_logs(TestDatabase db)
        throws Exception {
        Path dir = TempDirs.create("mainstay-serve-proxy-");
        Path config = proxiedConfig(db, dir, newKek(dir));
        // The environment overrides the file: logs come out as JSON.
        try (ApplianceProcess appliance = ApplianceProcess.startAndAwaitReady(dir.resolve("out.log"), SignInStub.with(Map.of()),
            Map.of("MAINSTAY_LOG_FORMAT", "json"), QUICK, "serve", "--config", config.toString())) {
            int port = appliance.baseUri().getPort();

            String trustedHttps = rawGet("127.0.0.1", port, "/openapi", "X-Forwarded-Proto: https");
            assertTrue(trustedHttps.startsWith("HTTP/1.1 200"), trustedHttps);
            assertTrue(trustedHttps.contains("Strict-Transport-Security: max-age=31536000; includeSubDomains"), trustedHttps);

            String spoofed = rawGet("127.0.0.2", port, "/openapi", "X-Forwarded-Proto: https");
            assertTrue(spoofed.startsWith("HTTP/1.1 308"), "an untrusted client cannot claim HTTPS:\n" + spoofed);
            assertTrue(spoofed.contains("Location: https://"), spoofed);

            String trustedHttp = rawGet("127.0.0.1", port, "/openapi", "X-Forwarded-Proto: http");
            assertTrue(trustedHttp.startsWith("HTTP/1.1 308"), "plain HTTP through the proxy is sent to HTTPS:\n" + trustedHttp);

            String probe = rawGet("127.0.0.2", port, "/health/ready", "X-Forwarded-Proto: https");
            assertTrue(probe.startsWith("HTTP/1.1 200"), "probes reach the pod directly:\n" + probe);
            assertFalse(probe.contains("Strict-Transport-Security"), "no HSTS on a response that was not HTTPS");

            for (String line : appliance.output().strip().split("\n")) {
                assertTrue(line.startsWith("{\"time\":\"") && line.endsWith("}"), "a JSON log line: " + line);
            }
        }
    }

    @Test
    void serve_refuses_to_start_when_the_configured_kek_cannot_unwrap_the_stored_data_keys(TestDatabase db) {
        Path dir = TempDirs.create("mainstay-serve-wrongkek-");
        Path original = newKek(dir.resolve("original"));
        DataKeys keys = new DataKeys(db::connect, KekSource.load(kekFileSettings(original), CryptoProviders.standard()),
            CryptoProviders.standard(), Clock.systemUTC());
        UUID stored = keys.rotate("serve-test-org", "serve-test");
        ApplianceProcess.Completed run;
        try {
            run = ApplianceProcess.runToCompletion(dir.resolve("out.log"), SignInStub.with(Map.of()), QUICK,
                "serve", "--config", proxiedConfig(db, dir, newKek(dir.resolve("other"))).toString());
        } finally {
            // The database is shared by this class's tests: a destroyed key is not checked at startup.
            keys.destroy("serve-test-org", "test over");
        }

        assertEquals(Main.EXIT_CONFIG, run.exitCode(), run.output());
        assertTrue(run.output().contains("cannot unwrap data key " + stored), run.output());
        assertFalse(run.output().contains("Mainstay ready"), "nothing was started");
    }

    @Test
    void serve_refuses_to_start_with_a_job_schedule_that_is_not_a_cron_expression_naming_the_key(TestDatabase db) throws IOException {
        Path dir = TempDirs.create("mainstay-serve-badcron-");
        Path config = proxiedConfig(db, dir, newKek(dir));
        Files.writeString(config, Files.readString(config) + "  jobs:\n    queue-retention:\n      schedule: every hour\n");
        ApplianceProcess.Completed run = ApplianceProcess.runToCompletion(dir.resolve("out.log"), SignInStub.with(Map.of()), QUICK,
            "serve", "--config", config.toString());

        assertEquals(Main.EXIT_CONFIG, run.exitCode(), run.output());
        assertTrue(run.output().contains("mainstay.jobs.queue-retention.schedule is not a cron expression"), run.output());
        assertFalse(run.output().contains("Mainstay ready"), "nothing was started");
    }

    @Test
    void serve_refuses_to_start_when_the_database_has_a_column_the_data_inventory_does_not_list(TestDatabase db) throws SQLException {
        Path dir = TempDirs.create("mainstay-serve-inventory-");
        ApplianceProcess.Completed run;
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE installation ADD COLUMN operator_notes text");
            try {
                run = ApplianceProcess.runToCompletion(dir.resolve("out.log"), SignInStub.with(Map.of()), QUICK,
                    "serve", "--config", proxiedConfig(db, dir, newKek(dir)).toString());
            } finally {
                s.execute("ALTER TABLE installation DROP COLUMN operator_notes");
            }
        }

        assertEquals(Main.EXIT_CONFIG, run.exitCode(), run.output());
        assertTrue(run.output().contains("the database and the data inventory disagree; Mainstay will not start:\n"
            + "  installation.operator_notes exists in the database but policies/data-inventory.yaml (built in) does not list it"),
            run.output());
        assertFalse(run.output().contains("Mainstay ready"), "nothing was started");
    }

    @Test
    void serve_takes_its_kek_from_an_hsm_with_the_pin_from_the_environment_and_refuses_a_wrong_pin(TestDatabase db,
        SoftHsmToken token) {
        token.createAesKey("mainstay-kek");
        Path dir = TempDirs.create("mainstay-serve-hsm-");
        Path hsm = token.providerConfig();
        Path config = proxiedConfig(db, dir, List.of("pkcs11-config: " + hsm, "password: not-the-pin"));

        ApplianceProcess.Completed refused = ApplianceProcess.runToCompletion(dir.resolve("refused.log"), SignInStub.with(Map.of()),
            QUICK, "serve", "--config", config.toString());
        assertEquals(Main.EXIT_CONFIG, refused.exitCode(), refused.output());
        assertTrue(refused.output().contains(hsm + ": the token refused the PIN (CKR_PIN_INCORRECT); check"
            + " mainstay.crypto.kek.password or mainstay.crypto.kek.password-file"), refused.output());
        assertFalse(refused.output().contains("Mainstay ready"), "nothing was started");

        // The environment overrides the file, as an operator should pass the PIN.
        try (ApplianceProcess appliance = ApplianceProcess.startAndAwaitReady(dir.resolve("out.log"), SignInStub.with(Map.of()),
            Map.of("MAINSTAY_CRYPTO_KEK_PASSWORD", token.pin()), QUICK, "serve", "--config", config.toString())) {
            assertTrue(appliance.output().contains("key-encryption key pkcs11:mainstay-kek:"), appliance.output());
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    /** A request over a socket bound to {@code from}, as a proxy at that address would send it. */
    private static String rawGet(String from, int port, String path, String header) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: mainstay.example\r\n" + header + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            int contentLength = 0;
            for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
                head.append(line).append('\n');
                if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    contentLength = Integer.parseInt(line.substring(15).strip());
                }
            }
            return head + "\n" + new String(in.readNBytes(contentLength), StandardCharsets.UTF_8);
        }
    }
}
