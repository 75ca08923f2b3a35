package dev.mainstay.cli.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.cli.CliRun;
import dev.mainstay.cli.Corpus;
import dev.mainstay.cli.upload.RecordingServer.Answer;
import dev.mainstay.reports.bundle.BundleLimits;
import dev.mainstay.reports.bundle.BundleReader;
import dev.mainstay.reports.bundle.UploadMetadata;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mainstay upload} against an appliance stand-in that records what it gets: the request
 * docs/uploads.md describes, no retry of a refusal, and the exact text and exit code the user gets
 * for each answer. {@link RetryHttpTest} has the answers that are retried.
 */
class UploadHttpTest {

    static final String SHA = "4f1c2d0e9b8a7f6e5d4c3b2a1908f7e6d5c4b3a2";
    static final String TOKEN = "msy_0123456789abcdef0123456789abcdef";
    static final String CREATED = """
        {"id":"8d0c5e1a","repo":"acme/shop","commit":"%s","received_at":"2026-11-22T09:13:02.114Z",
         "files":[{"name":"TEST-a.xml","format":"junit","cases":6,"passed":1,"failed":4,"errors":0,"skipped":1,"attempts":6}],
         "cases":6,"passed":1,"failed":4,"errors":0,"skipped":1,"attempts":6,"infrastructure_failure":false}""".formatted(SHA);

    @TempDir
    Path dir;

    @BeforeEach
    void aJobWithOneReport() throws IOException {
        Files.copy(Corpus.file("junit/dorny/jest-junit.xml"), dir.resolve("TEST-a.xml"));
    }

    private CliRun.Result upload(RecordingServer server, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("upload", "--url", server.url(), "--junit", "TEST-a.xml", "--repo", "acme/shop",
            "--commit", SHA));
        args.addAll(List.of(more));
        return CliRun.in(dir).env("MAINSTAY_TOKEN", TOKEN).run(args.toArray(String[]::new));
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void a_created_upload_is_posted_as_the_contract_says_and_summarised() throws Exception {
        try (RecordingServer server = RecordingServer.http().answering(Answer.json(201, CREATED))) {
            CliRun.Result r = upload(server);

            assertEquals(0, r.code(), r.both());
            assertEquals("mainstay: uploaded 1 report as upload 8d0c5e1a: 6 cases (1 passed, 4 failed, 0 errors, 1 skipped), 6 attempts\n",
                r.out(), "the summary a person reads");
            assertTrue(r.err().matches("(?s)mainstay: sending [0-9.]+ KiB to " + server.url() + "/api/v1/uploads\nmainstay: sent [0-9.]+ KiB in [0-9.]+ s\n"),
                "a start and a finish line off a terminal: " + r.err());
            RecordingServer.Request request = server.requests().get(0);
            assertEquals("POST", request.method());
            assertEquals("/api/v1/uploads", request.uri().getPath());
            assertEquals("Bearer " + TOKEN, request.header("Authorization"));
            assertEquals("application/gzip", request.header("Content-Type"));
            assertEquals(sha256(request.body()), request.header("Idempotency-Key"), "the key is the SHA-256 of the bundle's bytes");
            try (BundleReader bundle = new BundleReader(new ByteArrayInputStream(request.body()), BundleLimits.DEFAULT)) {
                assertEquals(UploadMetadata.of("acme/shop", SHA), bundle.metadata());
                assertEquals("TEST-a.xml", bundle.nextReport().orElseThrow().name());
                assertTrue(bundle.nextReport().isEmpty());
            }
            assertFalse(r.both().contains(TOKEN), "the token is never printed");
        }
    }

    @Test
    void a_422_is_not_retried_and_its_problem_is_printed_with_file_and_line() throws Exception {
        try (RecordingServer server = RecordingServer.http().answering(Answer.problem(422, """
            {"type":"about:blank","title":"Unprocessable Content","status":422,"detail":"DTDs are not accepted","file":"TEST-a.xml","line":3}"""))) {
            CliRun.Result r = upload(server);

            assertEquals(1, r.code(), r.both());
            assertEquals(1, server.requests().size(), "a refusal is final");
            assertTrue(r.err().endsWith("mainstay: upload refused (422): TEST-a.xml:3: DTDs are not accepted\n"), r.err());
            assertEquals("", r.out());
        }
    }

    @Test
    void each_refusal_has_its_exit_code() throws Exception {
        record Case(Answer answer, int code, String message) {
        }
        List<Case> cases = List.of(
            new Case(Answer.problem(401, "{\"detail\":\"unknown, expired or revoked token\"}"), 4,
                "mainstay: the token was refused (401): unknown, expired or revoked token"),
            new Case(Answer.problem(403, "{\"detail\":\"the token lacks uploads:write\"}"), 4,
                "mainstay: the token was refused (403): the token lacks uploads:write"),
            new Case(Answer.problem(413, "{\"detail\":\"the body is larger than 104857600 bytes\"}"), 5,
                "mainstay: upload refused (413): the body is larger than 104857600 bytes"),
            new Case(Answer.problem(400, "{\"detail\":\"no Idempotency-Key\"}"), 3,
                "mainstay: the appliance answered unexpectedly (400 Bad Request): no Idempotency-Key"),
            new Case(new Answer(404, Map.of("Content-Type", "text/html"), "<html>Not here</html>"), 3,
                "mainstay: the appliance answered unexpectedly (404 Not Found): <html>Not here</html>; is --url the appliance's address?"),
            new Case(new Answer(302, Map.of("Location", "https://sso.example/login"), ""), 3,
                "mainstay: the appliance answered unexpectedly (302 Found) (Location: https://sso.example/login)"));
        for (Case c : cases) {
            try (RecordingServer server = RecordingServer.http().answering(c.answer())) {
                CliRun.Result r = upload(server);
                assertEquals(c.code(), r.code(), r.both());
                assertEquals(1, server.requests().size(), "never retried: " + c);
                assertTrue(r.err().endsWith(c.message() + "\n"), r.err());
            }
        }
    }

    @Test
    void json_prints_the_appliance_answer_as_it_came() throws Exception {
        try (RecordingServer server = RecordingServer.http().answering(Answer.json(201, CREATED))) {
            CliRun.Result r = upload(server, "--json");
            assertEquals(0, r.code(), r.both());
            assertEquals(CREATED.strip() + "\n", r.out());
        }
    }

    @Test
    void a_replay_and_an_infrastructure_failure_are_said_so() throws Exception {
        String infra = CREATED.replace("\"infrastructure_failure\":false", "\"infrastructure_failure\":true");
        try (RecordingServer server = RecordingServer.http().answering(
            new Answer(200, Map.of("Content-Type", "application/json", "Idempotent-Replayed", "true"), infra))) {
            CliRun.Result r = upload(server);
            assertEquals(0, r.code(), r.both());
            assertEquals("mainstay: this bundle was uploaded before, as upload 8d0c5e1a: 6 cases (1 passed, 4 failed, 0 errors, 1 skipped),"
                + " 6 attempts\n", r.out());
            assertTrue(r.err().endsWith("mainstay: warning: most cases that ran failed or ended in an error; the appliance marked this upload"
                + " an infrastructure failure (a broken runner, not broken tests), and flaky-test detection ignores it\n"), r.err());
        }
    }

    @Test
    void on_a_terminal_progress_is_one_line_redrawn_up_to_100_percent() throws Exception {
        try (RecordingServer server = RecordingServer.http().answering(Answer.json(201, CREATED))) {
            CliRun.Result r = CliRun.in(dir).env("MAINSTAY_TOKEN", TOKEN).interactive().run("upload", "--url", server.url(),
                "--junit", "TEST-a.xml", "--repo", "acme/shop", "--commit", SHA);
            assertEquals(0, r.code(), r.both());
            assertTrue(r.err().startsWith("\rmainstay: sending "), r.err());
            assertTrue(r.err().matches("(?s).*\rmainstay: sending ([0-9.]+ KiB) / \\1 \\(100%\\)\n"), r.err());
        }
    }

    @Test
    void a_missing_url_or_token_is_a_usage_error() {
        CliRun.Result noUrl = CliRun.in(dir).env("MAINSTAY_TOKEN", TOKEN).run("upload", "--junit", "TEST-a.xml");
        assertEquals(2, noUrl.code());
        assertEquals("mainstay: --url is required: the appliance's address, e.g. --url https://mainstay.example.internal\n"
            + "mainstay: see 'mainstay help upload'\n", noUrl.err());
        CliRun.Result noToken = CliRun.in(dir).run("upload", "--url", "https://mainstay.example.internal", "--junit", "TEST-a.xml");
        assertEquals(2, noToken.code());
        assertNotNull(noToken.err());
        assertTrue(noToken.err().startsWith("mainstay: a token is required: set MAINSTAY_TOKEN (or pass --token)"), noToken.err());
    }
}
