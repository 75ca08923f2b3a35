package dev.mainstay.platform.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.mainstay.platform.identity.SignedInAppliance;
import dev.mainstay.reports.ParseLimits;
import dev.mainstay.reports.ReferencedFiles;
import dev.mainstay.reports.ReportException;
import dev.mainstay.reports.ReportSummary;
import dev.mainstay.reports.Reports;
import dev.mainstay.reports.bundle.BundleWriter;
import dev.mainstay.reports.bundle.UploadMetadata;
import dev.mainstay.testkit.BrowserFixture;
import dev.mainstay.testkit.KeycloakFixture;
import dev.mainstay.testkit.PlaintextScan;
import dev.mainstay.testkit.TestUser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code POST /api/v1/uploads} against the running appliance, with a real token: real reports
 * from the corpus are stored whole, their texts encrypted; a replay stores nothing twice; hostile
 * and broken uploads are refused with the status docs/uploads.md promises and store nothing.
 */
@ExtendWith(BrowserFixture.class)
class UploadsApiTest {

    private static final String SHA = "4f1c2d0e9b8a7f6e5d4c3b2a1908f7e6d5c4b3a2";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static String token;

    private final SignedInAppliance appliance = SignedInAppliance.shared();

    @Test
    void every_readable_corpus_report_is_stored_in_one_upload_with_the_counts_the_parsers_give(BrowserContext context) throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        long cases = 0;
        long attempts = 0;
        List<String> skipped = new ArrayList<>();
        try (Stream<Path> corpus = Files.walk(corpus())) {
            for (Path file : corpus.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith(".md")).sorted().toList()) {
                String name = corpus().relativize(file).toString();
                ReportSummary.Counter counter = new ReportSummary.Counter();
                try (InputStream in = Files.newInputStream(file)) {
                    Reports.parse(name, in, ParseLimits.DEFAULT, ReferencedFiles.NONE, counter);
                } catch (ReportException unreadable) {
                    skipped.add(name);
                    continue;
                }
                files.put(name, Files.readAllBytes(file));
                cases += counter.summary().cases();
                attempts += counter.summary().attempts();
            }
        }
        assertTrue(files.size() > 40, "most of the corpus is readable: " + files.size() + ", unreadable " + skipped);

        HttpResponse<String> response = upload(context, bundle(UploadMetadata.of("acme/corpus", SHA), files), "corpus-" + UUID.randomUUID());
        assertEquals(201, response.statusCode(), response.body());
        JsonNode receipt = JSON.readTree(response.body());
        assertEquals(files.size(), receipt.get("files").size(), "one count per report file");
        assertEquals(cases, receipt.get("cases").asLong());
        assertEquals(attempts, receipt.get("attempts").asLong());
        String id = receipt.get("id").asText();
        assertEquals(List.of(Long.toString(attempts)), appliance.column("SELECT count(*) FROM test_execution WHERE upload_id = ?::uuid", id),
            "every execution, retries included, is a row");
        assertEquals(List.of("upload.create success"), appliance.column("SELECT action || ' ' || outcome FROM audit_event"
            + " WHERE target_type = 'upload' AND target_id = ?", id));
    }

    @Test
    void failure_texts_are_stored_only_encrypted_and_a_replay_stores_nothing_twice(BrowserContext context) throws Exception {
        String secret = "connection refused to db-" + UUID.randomUUID() + ":5432";
        String report = "<testsuite name=\"a.ShopTest\"><testcase classname=\"a.ShopTest\" name=\"pays\" time=\"0.5\">"
            + "<failure message=\"" + secret + "\">at a.ShopTest.pays(ShopTest.java:12)</failure><system-out>" + secret
            + "</system-out></testcase><testcase classname=\"a.ShopTest\" name=\"lists\"/></testsuite>";
        byte[] bundle = bundle(UploadMetadata.of("acme/shop", SHA), Map.of("TEST-a.ShopTest.xml", report.getBytes(StandardCharsets.UTF_8)));
        String key = sha256(bundle);

        HttpResponse<String> first = upload(context, bundle, key);
        assertEquals(201, first.statusCode(), first.body());
        JsonNode receipt = JSON.readTree(first.body());
        assertEquals(2, receipt.get("cases").asLong());
        assertEquals(1, receipt.get("failed").asLong());
        assertFalse(receipt.get("infrastructure_failure").asBoolean(), "one of two failed: below 80%");
        try (Connection c = appliance.database()) {
            assertEquals(List.of(), PlaintextScan.columnsContaining(c, secret), "the message and output are stored encrypted only");
        }
        assertEquals(List.of("failed", "passed"), appliance.column("SELECT status FROM test_execution WHERE upload_id = ?::uuid ORDER BY seq",
            receipt.get("id").asText()));

        HttpResponse<String> again = upload(context, bundle, key);
        assertEquals(200, again.statusCode(), again.body());
        assertEquals("true", again.headers().firstValue("Idempotent-Replayed").orElse(""));
        assertEquals(receipt, JSON.readTree(again.body()), "a replay answers the first upload's receipt");
        assertEquals(List.of("2"), appliance.column("SELECT count(*) FROM test_execution WHERE upload_id = ?::uuid", receipt.get("id").asText()));
        assertEquals(List.of("1"), appliance.column("SELECT count(*) FROM ingest_upload WHERE idempotency_key = ?", key));

        byte[] other = bundle(UploadMetadata.of("acme/shop", SHA), Map.of("TEST-b.xml", "<testsuite/>".getBytes(StandardCharsets.UTF_8)));
        HttpResponse<String> reused = upload(context, other, key);
        assertEquals(422, reused.statusCode(), reused.body());
        assertTrue(JSON.readTree(reused.body()).get("detail").asText().startsWith("the Idempotency-Key '" + key + "' was used for another bundle"),
            reused.body());
    }

    @Test
    void an_upload_where_most_tests_failed_is_flagged_as_an_infrastructure_failure(BrowserContext context) throws Exception {
        StringBuilder report = new StringBuilder("<testsuite name=\"b.NetTest\">");
        for (int i = 0; i < 10; i++) {
            report.append("<testcase classname=\"b.NetTest\" name=\"t").append(i).append("\">")
                .append(i < 8 ? "<error message=\"runner lost its network\"/>" : "").append("</testcase>");
        }
        report.append("</testsuite>");
        HttpResponse<String> response = upload(context, bundle(UploadMetadata.of("acme/net", SHA),
            Map.of("TEST-b.xml", report.toString().getBytes(StandardCharsets.UTF_8))), "infra-" + UUID.randomUUID());
        assertEquals(201, response.statusCode(), response.body());
        JsonNode receipt = JSON.readTree(response.body());
        assertEquals(8, receipt.get("errors").asLong());
        assertTrue(receipt.get("infrastructure_failure").asBoolean(), "8 of 10 ended in an error: 80%");
    }

    @Test
    void hostile_and_broken_uploads_are_refused_with_their_reason_and_store_nothing(BrowserContext context) throws Exception {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><testsuite><testcase name=\"&x;\"/></testsuite>";
        String laughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;\">"
            + "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;\">]><testsuite><testcase name=\"&lol3;\"/></testsuite>";
        String good = "<testsuite><testcase classname=\"c\" name=\"fine\"/></testsuite>";
        long executionsBefore = executions();

        Refusal refusal = refused(upload(context, bundle(UploadMetadata.of("acme/evil", SHA), orderedFiles("TEST-good.xml", good,
            "TEST-xxe.xml", xxe)), "xxe-" + UUID.randomUUID()));
        assertEquals(422, refusal.status());
        assertEquals("TEST-xxe.xml", refusal.body().get("file").asText(), "the problem names the file");
        assertEquals("TEST-xxe.xml:1: a DOCTYPE is not accepted (JUnit reports never need one, and it could define entities)",
            refusal.detail());

        refusal = refused(upload(context, bundle(UploadMetadata.of("acme/evil", SHA), Map.of("TEST-lol.xml",
            laughs.getBytes(StandardCharsets.UTF_8))), "lol-" + UUID.randomUUID()));
        assertEquals(422, refusal.status());
        assertTrue(refusal.detail().startsWith("TEST-lol.xml"), refusal.detail());

        refusal = refused(upload(context, gzipBomb(), "bomb-" + UUID.randomUUID()));
        assertEquals(413, refusal.status());
        assertEquals("bomb.xml is 2147483648 bytes, more than the limit of 536870912 bytes per file", refusal.detail());

        // 300 MiB announced, over the 256 MiB limit: refused on Content-Length, before the body is sent.
        long oversized = 300L << 20;
        HttpResponse<String> tooLarge = appliance.http().send(HttpRequest.newBuilder(URI.create(appliance.url("/api/v1/uploads")))
            .header("Authorization", "Bearer " + token(context)).header("Idempotency-Key", "large-" + UUID.randomUUID())
            .header("Content-Type", "application/gzip").expectContinue(true)
            .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> new InputStream() {
                private long left = oversized;

                @Override
                public int read() {
                    return left-- > 0 ? 0 : -1;
                }
            }), oversized)).build(), HttpResponse.BodyHandlers.ofString());
        refusal = refused(tooLarge);
        assertEquals(413, refusal.status());
        assertEquals("the body is 314572800 bytes, larger than the limit of 268435456 bytes (mainstay.uploads.max-body-bytes)",
            refusal.detail());

        refusal = refused(upload(context, "<testsuite/>".getBytes(StandardCharsets.UTF_8), "plain-" + UUID.randomUUID()));
        assertEquals(400, refusal.status());
        assertEquals("the body is not gzip-compressed; send a .tar.gz (e.g. tar czf bundle.tgz mainstay.json reports/)", refusal.detail());

        refusal = refused(upload(context, bundle(UploadMetadata.of("acme/evil", SHA), Map.of()), "empty-" + UUID.randomUUID()));
        assertEquals(422, refusal.status());

        refusal = refused(send(context, bundle(UploadMetadata.of("acme/evil", SHA), Map.of("a.xml", good.getBytes(StandardCharsets.UTF_8))),
            null));
        assertEquals(400, refusal.status());
        assertEquals("Idempotency-Key required", refusal.body().get("title").asText());

        assertEquals(executionsBefore, executions(), "no refused upload left an execution behind");
        assertEquals(List.of("0"), appliance.column("SELECT count(*) FROM ingest_upload WHERE repo = 'acme/evil' AND state = 'stored'"));
        assertTrue(Integer.parseInt(appliance.column("SELECT count(*) FROM ingest_upload WHERE repo = 'acme/evil' AND state = 'refused'"
            + " AND problem <> ''").getFirst()) >= 3, "refusals are recorded with their reason for the Uploads page");
    }

    @Test
    void the_uploads_page_shows_each_upload_with_its_counts_and_why_one_was_refused(BrowserContext context) throws Exception {
        String repo = "acme/page-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(201, upload(context, bundle(UploadMetadata.of(repo, SHA), Map.of("TEST-p.xml",
            "<testsuite><testcase classname=\"p\" name=\"one\"/><testcase classname=\"p\" name=\"two\"><skipped/></testcase></testsuite>"
                .getBytes(StandardCharsets.UTF_8))), "page-" + UUID.randomUUID()).statusCode());
        assertEquals(422, upload(context, bundle(UploadMetadata.of(repo, SHA), Map.of("TEST-broken.xml",
            "<testsuite><testcase".getBytes(StandardCharsets.UTF_8))), "page-broken-" + UUID.randomUUID()).statusCode());

        context.clearCookies();
        Page page = context.newPage();
        appliance.signIn(page, KeycloakFixture.shared(), TestUser.MEMBER, "/orgs/acme/uploads?repo=" + repo);
        String table = page.locator("#uploads").innerText();
        assertTrue(table.contains(repo), table);
        assertTrue(page.locator("#uploads tbody tr:not(.upload-refused)").first().innerText().matches("(?s).*\\b1\\s+2\\s+1\\s+0\\s+0\\s+1\\s+2\\s+Stored.*"),
            "files, tests, passed, failed, errors, skipped, attempts: " + table);
        assertTrue(page.locator("#uploads tr.upload-refused").first().innerText().contains("Refused: TEST-broken.xml:1:"), table);
    }

    /**
     * Regression for "every upload answers 500 under ./mainstay dev": the flaky feature's insert into
     * flaky_rescore failed inside the upload's transaction, and the answer was plain text labelled JSON,
     * seen nowhere but the log. Here that insert is made to fail on purpose (a trigger), so the whole
     * failure path is exercised: problem+json with a request id, nothing stored, the failure on the
     * Uploads page and, with its request id, in the audit trail.
     */
    @Test
    void an_upload_that_fails_inside_mainstay_keeps_nothing_answers_a_problem_with_a_request_id_and_shows_on_the_page(
        BrowserContext context) throws Exception {
        String repo = "acme/fault-" + UUID.randomUUID().toString().substring(0, 8);
        long executionsBefore = executions();
        HttpResponse<String> response;
        try (Connection c = appliance.database(); Statement s = c.createStatement()) {
            s.execute("CREATE FUNCTION test_fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected fault'; END $$");
            s.execute("CREATE TRIGGER test_fault BEFORE INSERT ON flaky_rescore FOR EACH ROW EXECUTE FUNCTION test_fault()");
            try {
                response = upload(context, bundle(UploadMetadata.of(repo, SHA), Map.of("TEST-f.xml",
                    "<testsuite><testcase classname=\"f\" name=\"one\"/></testsuite>".getBytes(StandardCharsets.UTF_8))),
                    "fault-" + UUID.randomUUID());
            } finally {
                s.execute("DROP TRIGGER test_fault ON flaky_rescore");
                s.execute("DROP FUNCTION test_fault()");
            }
        }

        Refusal failed = refused(response);
        assertEquals(500, failed.status());
        String requestId = failed.body().path("requestId").asText();
        assertTrue(requestId.matches("[0-9a-f-]{36}"), failed.body().toString());
        assertTrue(failed.detail().contains(requestId), "the person is told what to quote: " + failed.detail());
        assertFalse(failed.detail().contains("injected fault"), "no internals in the answer: " + failed.detail());
        assertEquals(executionsBefore, executions(), "the upload's executions were rolled back with it");
        assertEquals(List.of("refused 500"), appliance.column("SELECT state || ' ' || problem_status FROM ingest_upload WHERE repo = ?",
            repo), "recorded as failed, not stored");
        assertEquals(List.of("failure"), appliance.column("SELECT outcome FROM audit_event WHERE action = 'request.fail'"
            + " AND details::jsonb ->> 'requestId' = ?", requestId), "the audit trail names the request id");

        context.clearCookies();
        Page page = context.newPage();
        appliance.signIn(page, KeycloakFixture.shared(), TestUser.MEMBER, "/orgs/acme/uploads?repo=" + repo);
        String row = page.locator("#uploads tr.upload-refused").first().innerText();
        assertTrue(row.contains("Failed") && row.contains(requestId), row);
    }

    @Test
    void a_token_is_never_told_to_get_a_scope_that_no_token_can_have(BrowserContext context) throws Exception {
        Refusal forPeople = refused(get(context, "/api/v1/orgs/acme/flaky/clusters"));
        assertEquals(403, forPeople.status());
        assertTrue(forPeople.detail().startsWith("this is for people signed in to Mainstay, not for API tokens"), forPeople.detail());
        assertFalse(forPeople.detail().contains("uploads:read"), "uploads:read cannot be chosen on the token form: " + forPeople.detail());

        Refusal missingScope = refused(get(context, "/api/v1/orgs/acme/tests"));
        assertEquals(403, missingScope.status());
        assertTrue(missingScope.detail().contains("do not include 'tests:read'; make a token with it"), missingScope.detail());
    }

    @Test
    void an_unknown_api_address_answers_a_problem_not_a_plain_text_404(BrowserContext context) throws Exception {
        Refusal missing = refused(get(context, "/api/v1/no-such-thing"));
        assertEquals(404, missing.status());
        assertEquals("there is nothing at this address", missing.detail());
    }

    /** A GET of {@code path} with the test's upload token. */
    private HttpResponse<String> get(BrowserContext context, String path) throws Exception {
        return appliance.http().send(HttpRequest.newBuilder(URI.create(appliance.url(path)))
            .header("Authorization", "Bearer " + token(context)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The numbers and details of a problem answer. */
    private record Refusal(int status, JsonNode body) {
        String detail() {
            return body.get("detail").asText();
        }
    }

    private static Refusal refused(HttpResponse<String> response) throws IOException {
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""), response.body());
        return new Refusal(response.statusCode(), JSON.readTree(response.body()));
    }

    private long executions() throws Exception {
        return Long.parseLong(appliance.column("SELECT count(*) FROM test_execution").getFirst());
    }

    private HttpResponse<String> upload(BrowserContext context, byte[] body, String key) throws Exception {
        return send(context, body, key);
    }

    private HttpResponse<String> send(BrowserContext context, byte[] body, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(appliance.url("/api/v1/uploads")))
            .header("Authorization", "Bearer " + token(context)).header("Content-Type", "application/gzip")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return appliance.http().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String token(BrowserContext context) throws Exception {
        synchronized (UploadsApiTest.class) {
            if (token == null) {
                token = appliance.token(context, KeycloakFixture.shared(), "uploads-test", "uploads:write");
            }
            return token;
        }
    }

    static byte[] bundle(UploadMetadata metadata, Map<String, byte[]> files) throws IOException {
        return SignedInAppliance.bundle(metadata, files);
    }

    private static Map<String, byte[]> orderedFiles(String... nameThenContent) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int i = 0; i < nameThenContent.length; i += 2) {
            files.put(nameThenContent[i], nameThenContent[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return files;
    }

    /** A real gzip bomb: a bundle holding a file of 2 GiB of zeros, about 2 MB compressed. */
    private static byte[] gzipBomb() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 1 << 16) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        }) {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            try (BundleWriter writer = new BundleWriter(head, UploadMetadata.of("acme/evil", SHA))) {
                writer.add("bomb.xml", new byte[0]);
            }
            byte[] tar;
            try (InputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(head.toByteArray()))) {
                tar = in.readAllBytes();
            }
            // The empty bomb.xml's header, made to declare 2 GiB.
            byte[] header = java.util.Arrays.copyOfRange(tar, 1024, 1536);
            System.arraycopy(String.format("%011o", 2L << 30).getBytes(StandardCharsets.US_ASCII), 0, header, 124, 11);
            for (int i = 148; i < 156; i++) {
                header[i] = ' ';
            }
            long sum = 0;
            for (byte b : header) {
                sum += b & 0xff;
            }
            System.arraycopy(String.format("%06o", sum).getBytes(StandardCharsets.US_ASCII), 0, header, 148, 6);
            header[154] = 0;
            gz.write(tar, 0, 1024);
            gz.write(header);
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 2048; i++) {
                gz.write(zeros);
            }
        }
        return out.toByteArray();
    }

    private static Path corpus() {
        return Path.of(System.getProperty("mainstay.corpus")).resolve("reports");
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
