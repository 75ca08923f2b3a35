package dev.mainstay.cli.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.cli.CliRun;
import dev.mainstay.reports.TestExecution;
import dev.mainstay.reports.TestIdentity;
import dev.mainstay.reports.TestStatus;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mainstay test} and {@code upload --test-process-exit-code}: when the run's outcome stands,
 * when quarantine turns it green, and that every doubt keeps the tests' own exit code.
 */
class TestCommandTest {

    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    private static final String FAILING = """
        <testsuite name="S"><testcase classname="com.acme.S" name="flaky"><failure message="boom"/></testcase>
        <testcase classname="com.acme.S" name="fine"/></testsuite>
        """;
    private static final String PASSING = "<testsuite name=\"S\"><testcase classname=\"com.acme.S\" name=\"fine\"/></testsuite>";

    @TempDir
    Path dir;

    private CliRun cli() {
        return CliRun.in(dir).env("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin")).env("MAINSTAY_TOKEN", "msk_test");
    }

    private static String closedUrl() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + s.getLocalPort();
        }
    }

    private CliRun.Result test(String url, String report, int exit, String... more) throws Exception {
        Files.writeString(dir.resolve("report.xml"), report);
        Files.createDirectories(dir.resolve("build"));
        List<String> args = new java.util.ArrayList<>(List.of("test", "--url", url, "--junit", "build/TEST-*.xml", "--repo", "acme/web",
            "--commit", SHA, "--branch", "main", "--retries", "0"));
        args.addAll(List.of(more));
        args.addAll(List.of("--", "sh", "-c", "cp report.xml build/TEST-s.xml; echo ran the tests; exit " + exit));
        return cli().run(args.toArray(String[]::new));
    }

    @Test
    void a_green_run_stays_green_when_the_appliance_cannot_be_reached() throws Exception {
        CliRun.Result r = test(closedUrl(), PASSING, 0);
        assertEquals(0, r.code(), r.both());
        assertTrue(r.out().contains("ran the tests"), "the tests' output is shown: " + r.both());
        assertTrue(r.err().contains("the reports were not uploaded"), r.both());
    }

    @Test
    void a_red_run_stays_red_when_the_quarantine_list_cannot_be_read() throws Exception {
        CliRun.Result r = test(closedUrl(), FAILING, 1);
        assertEquals(1, r.code(), r.both());
        assertTrue(r.err().contains("the quarantine list could not be read: could not reach the appliance"), r.both());
        assertTrue(r.err().contains("failing safe with the tests' own exit code 1"), r.both());
    }

    @Test
    void reports_older_than_the_run_are_not_judged() throws Exception {
        Files.createDirectories(dir.resolve("build"));
        Path old = Files.writeString(dir.resolve("build/TEST-old.xml"), FAILING);
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        CliRun.Result r = cli().run("test", "--url", closedUrl(), "--junit", "build/TEST-*.xml", "--repo", "acme/web", "--commit", SHA,
            "--branch", "main", "--", "sh", "-c", "exit 2");
        assertEquals(2, r.code(), r.both());
        assertTrue(r.err().contains("left out 1 report older than this run"), r.both());
        assertTrue(r.err().contains("no report says which tests failed; failing safe with the tests' own exit code 2"), r.both());
    }

    @Test
    void a_command_that_cannot_start_exits_127_and_a_missing_command_is_a_usage_error() throws Exception {
        CliRun.Result missing = cli().run("test", "--url", closedUrl(), "--junit", "build/*.xml", "--repo", "acme/web", "--commit", SHA);
        assertEquals(2, missing.code(), missing.both());
        assertTrue(missing.err().contains("name the test command after --"), missing.both());
        CliRun.Result cannot = cli().run("test", "--url", closedUrl(), "--junit", "build/*.xml", "--repo", "acme/web", "--commit", SHA,
            "--", "./no-such-test-runner");
        assertEquals(127, cannot.code(), cannot.both());
        assertTrue(cannot.err().contains("cannot run './no-such-test-runner'"), cannot.both());
    }

    @Test
    void only_quarantined_failures_exit_0_and_the_signed_cache_stands_in_for_the_appliance_until_it_expires() throws Exception {
        String id = failingTestId();
        String list = "{\"org\":\"acme\",\"repo\":\"acme/web\",\"tests\":[{\"test_id\":\"" + id + "\",\"classname\":\"com.acme.S\","
            + "\"name\":\"flaky\",\"reason\":\"WEB-7\",\"owner\":\"web-team\",\"expires_at\":null}]}";
        String url;
        try (RecordingServer appliance = RecordingServer.http().answering(RecordingServer.Answer.json(201, "{\"id\":\"u1\"}"),
            new RecordingServer.Answer(200, Map.of("Content-Type", "application/json", "ETag", "\"v1\""), list),
            RecordingServer.Answer.json(201, "{\"id\":\"u2\"}"), new RecordingServer.Answer(304, Map.of("ETag", "\"v1\""), ""))) {
            url = appliance.url();
            CliRun.Result first = test(url, FAILING, 1, "--quarantine-cache", "q.json");
            assertEquals(0, first.code(), first.both());
            assertTrue(first.err().contains("quarantined  S › com.acme.S › flaky (WEB-7; owner web-team)"), first.both());
            assertTrue(first.err().contains("1 test failed, and it is quarantined: exiting 0 instead of 1"), first.both());
            assertEquals("/api/v1/quarantine?repo=acme%2Fweb", appliance.requests().get(1).uri().toString());
            assertEquals("Bearer msk_test", appliance.requests().get(1).header("Authorization"));

            CliRun.Result revalidated = test(url, FAILING, 1, "--quarantine-cache", "q.json");
            assertEquals(0, revalidated.code(), revalidated.both());
            assertEquals("\"v1\"", appliance.requests().get(3).header("If-None-Match"), "the cached copy's ETag is sent");
        }

        CliRun.Result down = test(url, FAILING, 1, "--quarantine-cache", "q.json");
        assertEquals(0, down.code(), "the appliance is down, the signed copy stands in: " + down.both());
        assertTrue(down.err().contains("the quarantine list is the cached copy fetched at "), down.both());

        Path cache = dir.resolve("q.json");
        java.net.URI listUrl = java.net.URI.create(url + "/api/v1/quarantine?repo=acme%2Fweb");
        QuarantineCache.Copy copy = QuarantineCache.read(cache, listUrl, "msk_test", Instant.now());
        QuarantineCache.Unusable expired = org.junit.jupiter.api.Assertions.assertThrows(QuarantineCache.Unusable.class,
            () -> QuarantineCache.read(cache, listUrl, "msk_test", copy.expiresAt()));
        assertTrue(expired.getMessage().contains("the cached copy expired at"), expired.getMessage());
        QuarantineCache.Unusable otherToken = org.junit.jupiter.api.Assertions.assertThrows(QuarantineCache.Unusable.class,
            () -> QuarantineCache.read(cache, listUrl, "msk_other", Instant.now()));
        assertTrue(otherToken.getMessage().contains("is not signed with this token"), otherToken.getMessage());

        Files.writeString(cache, Files.readString(cache).replace("WEB-7", "WEB-8"));
        CliRun.Result tampered = test(url, FAILING, 1, "--quarantine-cache", "q.json");
        assertEquals(1, tampered.code(), tampered.both());
        assertTrue(tampered.err().contains("is not signed with this token"), tampered.both());
    }

    @Test
    void upload_with_the_test_process_exit_code_decides_after_the_fact() throws Exception {
        String list = "{\"org\":\"acme\",\"repo\":\"acme/web\",\"tests\":[]}";
        Files.writeString(dir.resolve("TEST-s.xml"), FAILING);
        try (RecordingServer appliance = RecordingServer.http().answering(RecordingServer.Answer.json(201, "{\"id\":\"u1\"}"),
            RecordingServer.Answer.json(200, list))) {
            CliRun.Result r = cli().run("upload", "--url", appliance.url(), "--junit", "TEST-s.xml", "--repo", "acme/web", "--commit", SHA,
                "--test-process-exit-code", "4");
            assertEquals(4, r.code(), "nothing is quarantined: " + r.both());
            assertTrue(r.err().contains("FAILED       S › com.acme.S › flaky"), r.both());
        }
        CliRun.Result bad = cli().run("upload", "--url", "http://127.0.0.1:1", "--junit", "TEST-s.xml", "--test-process-exit-code", "x");
        assertEquals(2, bad.code(), bad.both());
    }

    @Test
    void the_quarantine_list_is_asked_again_only_when_its_failure_can_pass() throws Exception {
        String list = "{\"org\":\"acme\",\"repo\":\"acme/web\",\"tests\":[]}";
        Files.writeString(dir.resolve("TEST-s.xml"), FAILING);
        try (RecordingServer appliance = RecordingServer.http().answering(RecordingServer.Answer.json(201, "{\"id\":\"u1\"}"),
            RecordingServer.Answer.problem(500, "{\"detail\":\"boom\"}"))) {
            CliRun.Result r = cli().run("upload", "--url", appliance.url(), "--junit", "TEST-s.xml", "--repo", "acme/web", "--commit", SHA,
                "--test-process-exit-code", "4");
            assertEquals(4, r.code(), "fails safe: " + r.both());
            assertEquals(2, appliance.requests().size(), "the upload, and the list once: a 500 is not retried");
            assertEquals(List.of(), r.waits());
            assertTrue(r.err().contains("the quarantine list could not be read: the appliance answered 500 Internal Server Error: boom;"),
                r.both());
        }
        try (RecordingServer appliance = RecordingServer.http().answering(RecordingServer.Answer.json(201, "{\"id\":\"u1\"}"),
            new RecordingServer.Answer(503, Map.of("Retry-After", "2"), ""), RecordingServer.Answer.json(200, list))) {
            CliRun.Result r = cli().run("upload", "--url", appliance.url(), "--junit", "TEST-s.xml", "--repo", "acme/web", "--commit", SHA,
                "--test-process-exit-code", "4");
            assertEquals(4, r.code(), "nothing is quarantined: " + r.both());
            assertEquals(3, appliance.requests().size(), "the upload, and the list twice: a 503 with Retry-After is retried");
            assertEquals(List.of(Duration.ofSeconds(2)), r.waits(), "after the wait Retry-After asked for");
        }
    }

    /** The failing test's id, as the appliance computes it from the same report. */
    private static String failingTestId() throws Exception {
        List<TestExecution> failed = new java.util.ArrayList<>();
        dev.mainstay.reports.Reports.parse("TEST-s.xml", new java.io.ByteArrayInputStream(FAILING.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
            dev.mainstay.reports.ParseLimits.DEFAULT, dev.mainstay.reports.ReferencedFiles.NONE, e -> {
                if (e.status() == TestStatus.FAILED) {
                    failed.add(e);
                }
            });
        return new TestIdentity.Upload("acme", "acme/web", "").of(failed.getFirst()).id();
    }
}
