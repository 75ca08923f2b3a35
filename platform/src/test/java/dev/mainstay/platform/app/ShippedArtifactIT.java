package dev.mainstay.platform.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mainstay.testkit.HttpClients;
import dev.mainstay.testkit.TempDirs;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The first hour of a new user, on what users run: the {@code ./mainstay} launcher of the checkout
 * starting the packaged appliance jar ({@code platform/target/mainstay-platform.jar} with its
 * {@code libs/}) in dev mode on a fresh data directory, with its own embedded PostgreSQL and
 * Keycloak; {@code ./mainstay tokens create}; and the packaged CLI jar uploading real reports
 * from the shared corpus. Run by failsafe after {@code package}, so class-path order, the
 * manifest and packaging are what is tested, which the in-module tests (on {@code target/classes})
 * never see.
 *
 * <p>The launcher runs with {@code MAINSTAY_BUILD=never}: it must run the jar Maven just packaged,
 * never build another one in the middle of the build.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShippedArtifactIT {

    private static final Duration START = Duration.ofMinutes(6);
    private static final Pattern READY = Pattern.compile("Mainstay ready at (\\S+) in");
    /** A test that fails once and passes on its retry inside one report: Surefire's flakyFailure. */
    private static final String FLAKY_REPORT = "junit/mikepenz/maven_surefire_flaky_surefire-report.xml";
    private static final String FLAKY_TEST = "createWebhook";
    /** Nine tests, one of which (testCase9) fails. */
    private static final String BROKEN_REPORT = "junit/dorny/external_java_junit4-basic.xml";
    private static final String BROKEN_TEST = "testCase9";
    private static final int UPLOADS = 12;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CHECKOUT = Path.of("..").toAbsolutePath().normalize();
    private static final String REPO = "acme/first-hour-" + UUID.randomUUID().toString().substring(0, 8);

    private static Path dataDir;
    private static Map<String, String> environment;
    private static Process appliance;
    private static Path applianceLog;
    private static URI base;
    private static String token;
    private static HttpClient http;

    @BeforeAll
    static void startTheLauncher() throws Exception {
        assertTrue(Files.isRegularFile(CHECKOUT.resolve("platform/target/mainstay-platform.jar")),
            "run after package: the appliance jar is missing");
        dataDir = TempDirs.create("mainstay-first-hour-").resolve("data");
        environment = new HashMap<>();
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        environment.put("MAINSTAY_BUILD", "never");
        environment.put("MAINSTAY_HTTP_PORT", Integer.toString(freePort()));
        environment.put("MAINSTAY_DEV_POSTGRES_PORT", Integer.toString(freePort()));
        environment.put("MAINSTAY_DEV_KEYCLOAK_PORT", Integer.toString(freePort()));
        environment.put("MAINSTAY_JAVA_OPTS", "-Xmx768m");
        applianceLog = dataDir.resolveSibling("appliance.log");
        start();
    }

    @AfterAll
    static void stop() {
        if (appliance != null) {
            appliance.destroy();
            try {
                if (!appliance.waitFor(60, TimeUnit.SECONDS)) {
                    appliance.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Regression: two artifacts named jaxb-core-4.0.3.jar were copied to one file, and the manifest named it twice. */
    @Test
    @Order(0)
    void the_jars_class_path_names_each_jar_of_libs_once_and_only_those() throws IOException {
        Path jar = CHECKOUT.resolve("platform/target/mainstay-platform.jar");
        List<String> classPath;
        try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile())) {
            classPath = List.of(file.getManifest().getMainAttributes().getValue("Class-Path").trim().split("\\s+"));
        }
        List<String> libs;
        try (var files = Files.list(jar.resolveSibling("libs"))) {
            libs = files.map(f -> "libs/" + f.getFileName()).sorted().toList();
        }
        assertEquals(libs, classPath.stream().sorted().toList(), "Class-Path entries vs. the files in libs/");
    }

    @Test
    @Order(1)
    void an_operator_mints_an_upload_token_that_is_printed_alone_on_standard_output() throws Exception {
        Run made = launcher(List.of("tokens", "create", "--data-dir", dataDir.toString(), "--org", "acme", "--name", "first hour",
            "--scopes", "uploads:write,tests:read", "--expires", "7d"));
        assertEquals(0, made.exit(), made.all());
        assertTrue(made.out().matches("msy_[0-9A-Za-z]{38}\n"), "standard output is the token and nothing else: " + made.out());
        token = made.out().strip();
        assertTrue(made.err().contains("made token 'first hour'"), made.err());

        Run refused = launcher(List.of("tokens", "create", "--data-dir", dataDir.toString(), "--org", "acme", "--name", "x",
            "--scopes", "uploads:write,tokens:manage"));
        assertEquals(2, refused.exit(), refused.all());
        assertEquals("", refused.out(), "no token on a refusal");
        assertTrue(refused.err().contains("--scopes: 'tokens:manage' is not a token scope"), refused.err());
    }

    @Test
    @Order(2)
    void twelve_uploads_of_real_reports_make_one_test_flaky_and_one_broken() throws Exception {
        for (int i = 1; i <= UPLOADS; i++) {
            Run upload = launcher(List.of("upload", "--url", base.toString(), "--ca-cert", dataDir.resolve("tls/cert.pem").toString(),
                "--junit", corpus(FLAKY_REPORT), "--junit", corpus(BROKEN_REPORT), "--repo", REPO, "--branch", "main",
                "--commit", sha(i)), Map.of("MAINSTAY_TOKEN", token));
            assertEquals(0, upload.exit(), "upload " + i + ":\n" + upload.all() + "\nappliance:\n" + tail());
            assertTrue(upload.out().contains("uploaded 2 reports"), upload.all());
        }
        Map<String, String> statuses = awaitStatuses(Map.of(FLAKY_TEST, "flaky", BROKEN_TEST, "broken"));
        assertEquals("flaky", statuses.get(FLAKY_TEST), "it passed on its retry: " + statuses);
        assertEquals("broken", statuses.get(BROKEN_TEST), "it failed on every commit of main: " + statuses);
        assertEquals("healthy", statuses.get("testCase8"), "it always passed: " + statuses);
    }

    @Test
    @Order(3)
    void the_data_and_the_token_survive_a_restart() throws Exception {
        appliance.destroy();
        assertTrue(appliance.waitFor(90, TimeUnit.SECONDS), "the appliance stops on SIGTERM");
        start();
        Map<String, String> statuses = tests();
        assertEquals("flaky", statuses.get(FLAKY_TEST), statuses.toString());
        assertEquals("broken", statuses.get(BROKEN_TEST), statuses.toString());
    }

    @Test
    @Order(4)
    void help_lists_the_appliance_and_the_cli_commands() throws Exception {
        Run help = launcher(List.of("help"));
        assertEquals(0, help.exit(), help.all());
        for (String command : List.of("dev", "serve", "tokens create", "keycloak bootstrap", "audit export", "upload", "test",
            "validate", "reports", "queue", "flaky")) {
            assertTrue(help.out().contains("  " + command) || help.out().contains("mainstay " + command), "help names " + command
                + ":\n" + help.out());
        }
    }

    @Test
    @Order(5)
    void operator_commands_work_on_a_stopped_dev_installation_and_the_token_is_in_its_audit_trail() throws Exception {
        appliance.destroy();
        assertTrue(appliance.waitFor(90, TimeUnit.SECONDS), "the appliance stops on SIGTERM");
        Path export = dataDir.resolveSibling("trail.jsonl");
        Run exported = launcher(List.of("audit", "export", "--data-dir", dataDir.toString(), "--from", "2020-01-01", "--to", "2100-01-01",
            "--out", export.toString()));
        assertEquals(0, exported.exit(), exported.all());
        assertTrue(exported.err().contains("the dev appliance is not running; starting its database"), exported.all());
        String trail = Files.readString(export);
        assertTrue(trail.contains("\"token.create\"") && trail.contains("\"operator\""), "tokens create is an operator's action in the trail");

        Run publicKey = launcher(List.of("audit", "public-key", "--data-dir", dataDir.toString()));
        assertEquals(0, publicKey.exit(), publicKey.all());
        Path key = dataDir.resolveSibling("audit-public.pem");
        Files.writeString(key, publicKey.out());
        Run verified = launcher(List.of("audit", "verify", "--file", export.toString(), "--public-key", key.toString()));
        assertEquals(0, verified.exit(), "the export verifies against the installation's public key:\n" + verified.all());
    }

    private static void start() throws IOException, InterruptedException {
        Files.deleteIfExists(applianceLog);
        ProcessBuilder builder = new ProcessBuilder(CHECKOUT.resolve("mainstay").toString(), "dev", "--data-dir", dataDir.toString())
            .directory(CHECKOUT.toFile())
            .redirectErrorStream(true)
            .redirectOutput(applianceLog.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().putAll(environment);
        appliance = builder.start();
        long deadline = System.nanoTime() + START.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher ready = READY.matcher(Files.exists(applianceLog) ? Files.readString(applianceLog) : "");
            if (ready.find()) {
                base = URI.create(ready.group(1));
                return;
            }
            if (!appliance.isAlive()) {
                fail("./mainstay dev exited with " + appliance.exitValue() + " before it was ready:\n" + tail());
            }
            Thread.sleep(500);
        }
        fail("./mainstay dev was not ready within " + START + ":\n" + tail());
    }

    /** Waits (bounded) until re-scoring has given each test its expected status; returns every test's status. */
    private static Map<String, String> awaitStatuses(Map<String, String> expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        Map<String, String> statuses = tests();
        while (System.nanoTime() < deadline && !statuses.entrySet().containsAll(expected.entrySet())) {
            Thread.sleep(500);
            statuses = tests();
        }
        return statuses;
    }

    /** Each test of the repository by name, with its status, through the API with the token. */
    private static Map<String, String> tests() throws Exception {
        if (http == null) {
            // The data directory's certificate, made at the first start and kept across restarts.
            http = HttpClients.trusting(dataDir.resolve("tls/cert.pem"));
        }
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/orgs/acme/tests?repo=" + REPO))
            .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        Map<String, String> statuses = new HashMap<>();
        for (JsonNode test : JSON.readTree(answer.body()).path("tests")) {
            statuses.put(test.path("name").asText(), test.path("status").asText());
        }
        return statuses;
    }

    private record Run(int exit, String out, String err) {
        String all() {
            return "exit " + exit + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    private static Run launcher(List<String> args) throws Exception {
        return launcher(args, Map.of());
    }

    private static Run launcher(List<String> args, Map<String, String> extra) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(CHECKOUT.resolve("mainstay").toString());
        command.addAll(args);
        Path out = Files.createTempFile("launcher", ".out");
        Path err = Files.createTempFile("launcher", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).directory(CHECKOUT.toFile())
            .redirectOutput(out.toFile()).redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().putAll(environment);
        builder.environment().putAll(extra);
        Process p = builder.start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail(command + " did not finish within 3 minutes:\n" + Files.readString(err));
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static String corpus(String report) {
        return Path.of(System.getProperty("mainstay.corpus")).resolve("reports").resolve(report).toString();
    }

    /** A commit SHA of its own for upload {@code i}. */
    private static String sha(int i) {
        byte[] b = new byte[20];
        b[19] = (byte) i;
        b[0] = (byte) 0xe2;
        return HexFormat.of().formatHex(b);
    }

    private static String tail() {
        try {
            String log = Files.readString(applianceLog);
            return log.length() > 20_000 ? log.substring(log.length() - 20_000) : log;
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
