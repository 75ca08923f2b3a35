package dev.mainstay.platform.flaky;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.BrowserContext;
import dev.mainstay.platform.identity.SignedInAppliance;
import dev.mainstay.reports.bundle.UploadMetadata;
import dev.mainstay.testkit.BrowserFixture;
import dev.mainstay.testkit.KeycloakFixture;
import dev.mainstay.testkit.TestUser;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Uploads to the running appliance turn into verdicts, off the request path: a test that failed
 * and then passed on retry is flaky; one that always fails on main is broken and never flaky.
 * Each test uses a repository of its own, so verdicts from other tests cannot leak in.
 */
@ExtendWith(BrowserFixture.class)
class FlakyDetectionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static String token;

    private final SignedInAppliance appliance = SignedInAppliance.shared();

    @Test
    void a_test_that_failed_then_passed_on_retry_in_one_surefire_report_becomes_flaky(BrowserContext context) throws Exception {
        String repo = "acme/cart-" + UUID.randomUUID();
        String report = """
            <testsuite name="com.acme.CartTest" tests="2" failures="0" errors="0" skipped="0">
              <testcase classname="com.acme.CartTest" name="adds" time="0.4">
                <flakyFailure message="expected 2 but was 1" type="java.lang.AssertionError">
                  <stackTrace>java.lang.AssertionError: expected 2 but was 1
                at com.acme.CartTest.adds(CartTest.java:31)</stackTrace>
                </flakyFailure>
              </testcase>
              <testcase classname="com.acme.CartTest" name="removes" time="0.1"/>
            </testsuite>
            """;

        HttpResponse<String> response = upload(context, repo, "main", "c1", report);
        assertEquals(201, response.statusCode(), response.body());
        String upload = response.body().replaceAll("(?s).*\"id\":\"([0-9a-f-]{36})\".*", "$1");

        assertEquals("flaky", awaitStatus(repo, "adds"), "a failure and a pass on one commit");
        assertEquals("healthy", awaitStatus(repo, "removes"));
        assertEquals(List.of("pass_on_retry"), appliance.column(
            "SELECT unnest(monitors) FROM flaky_test WHERE repo = ? AND name = 'adds'", repo));
        assertEquals(List.of("healthy -> flaky " + upload + "/2," + upload + "/1"), appliance.column(
            "SELECT t.from_status || ' -> ' || t.to_status || ' ' || array_to_string(t.evidence, ',') FROM flaky_transition t"
                + " JOIN flaky_test f ON f.org = t.org AND f.test_id = t.test_id WHERE f.repo = ? AND f.name = 'adds'", repo),
            "the transition names the pass and the failure it contradicts");
        assertEquals(List.of(), appliance.column("SELECT upload_id FROM flaky_rescore WHERE upload_id = ?::uuid", upload),
            "the upload left the re-scoring queue");
    }

    @Test
    void a_test_that_always_fails_on_main_becomes_broken_and_is_never_called_flaky(BrowserContext context) throws Exception {
        String repo = "acme/checkout-" + UUID.randomUUID();
        for (int commit = 1; commit <= 5; commit++) {
            String report = """
                <testsuite name="com.acme.CheckoutTest">
                  <testcase classname="com.acme.CheckoutTest" name="pays"><failure message="payment gateway returned 500"/></testcase>
                  <testcase classname="com.acme.CheckoutTest" name="ships"/>
                  <testcase classname="com.acme.CheckoutTest" name="totals"/>
                </testsuite>
                """;
            HttpResponse<String> response = upload(context, repo, "main", "c" + commit, report);
            assertEquals(201, response.statusCode(), response.body());
            if (commit < 5) {
                assertEquals("healthy", awaitStatus(repo, "pays"), "not judged while its failing streak is short, commit " + commit);
            }
        }

        assertEquals("broken", awaitStatus(repo, "pays", "broken"), "five commits in a row fail on main");
        assertEquals(List.of("healthy -> broken"), appliance.column("SELECT t.from_status || ' -> ' || t.to_status FROM flaky_transition t"
            + " JOIN flaky_test f ON f.org = t.org AND f.test_id = t.test_id WHERE f.repo = ? AND f.name = 'pays' ORDER BY t.id", repo));
        assertEquals(List.of("healthy", "healthy"), appliance.column(
            "SELECT status FROM flaky_test WHERE repo = ? AND name <> 'pays' ORDER BY name", repo));
    }

    @Test
    void an_upload_flagged_as_an_infrastructure_failure_is_not_scored(BrowserContext context) throws Exception {
        String repo = "acme/net-" + UUID.randomUUID();
        upload(context, repo, "main", "c1", "<testsuite><testcase classname=\"N\" name=\"a\"/></testsuite>");
        assertEquals("healthy", awaitStatus(repo, "a"));

        HttpResponse<String> outage = upload(context, repo, "main", "c1",
            "<testsuite><testcase classname=\"N\" name=\"a\"><error message=\"connection refused\"/></testcase></testsuite>");

        assertTrue(outage.body().contains("\"infrastructure_failure\":true"), outage.body());
        assertEquals(List.of(), appliance.column("SELECT upload_id FROM flaky_rescore r JOIN ingest_upload u ON u.id = r.upload_id"
            + " WHERE u.repo = ?", repo), "never queued");
        upload(context, repo, "main", "c2", "<testsuite><testcase classname=\"N\" name=\"a\"/></testsuite>");
        awaitQueueEmpty(repo);
        assertEquals(List.of("healthy"), appliance.column("SELECT status FROM flaky_test WHERE repo = ?", repo),
            "the outage's error on c1 is not a failure that the pass on c1 contradicts");
    }

    @Test
    void a_repository_s_thresholds_are_changed_through_the_api_and_apply_to_its_next_upload(BrowserContext context) throws Exception {
        String repo = "acme/strict-" + UUID.randomUUID();
        SignedInAppliance.Session admin = appliance.signIn(context, KeycloakFixture.shared(), TestUser.ADMIN);

        HttpResponse<String> misspelt = settings(admin, "PUT", repo, "{\"retry_min_comits\": 2}");
        assertEquals(422, misspelt.statusCode(), misspelt.body());
        assertTrue(misspelt.body().contains("unknown detection setting 'retry_min_comits'"), misspelt.body());

        HttpResponse<String> saved = settings(admin, "PUT", repo, "{\"retry_min_commits\": 2, \"rate_min_sample\": 1000, \"score_activate\": 0.99}");
        assertEquals(200, saved.statusCode(), saved.body());
        HttpResponse<String> shown = settings(admin, "GET", repo, null);
        JsonNode body = JSON.readTree(shown.body());
        assertEquals(JSON.readTree("{\"retry_min_commits\": 2, \"rate_min_sample\": 1000, \"score_activate\": 0.99}"),
            body.get("overrides"), shown.body());
        assertEquals(2, body.get("effective").get("retry_min_commits").asInt(), shown.body());
        assertEquals(0.05, body.get("effective").get("rate_activate").asDouble(), "defaults fill the rest: " + shown.body());

        upload(context, repo, "main", "c1",
            "<testsuite name=\"T\"><testcase classname=\"T\" name=\"retried\"><flakyFailure message=\"timeout\"/></testcase></testsuite>");
        assertEquals("healthy", awaitStatus(repo, "retried"), "one retried commit is not enough for this repository");
    }

    private HttpResponse<String> settings(SignedInAppliance.Session session, String method, String repo, String body) throws Exception {
        return appliance.json(session, method, "/api/v1/orgs/" + TestUser.ADMIN.org() + "/flaky/settings?repo=" + repo, body);
    }

    private HttpResponse<String> upload(BrowserContext context, String repo, String branch, String commit, String report)
        throws Exception {
        UploadMetadata metadata = new UploadMetadata(repo, commit.repeat(20).substring(0, 40).replace('c', 'a'), branch,
            OptionalInt.empty(), "", "unit", "", "", "run-" + UUID.randomUUID(), OptionalInt.empty(), "", Optional.empty(), Optional.empty());
        return appliance.upload(token(context), UUID.randomUUID().toString(), metadata,
            Map.of("TEST-report.xml", report.getBytes(StandardCharsets.UTF_8)));
    }

    private String awaitStatus(String repo, String name) throws Exception {
        return awaitStatus(repo, name, null);
    }

    /** The test's status once its uploads are all re-scored (and, if given, once it is {@code expected}); fails after 30 s. */
    private String awaitStatus(String repo, String name, String expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            awaitQueueEmpty(repo);
            List<String> status = appliance.column("SELECT status FROM flaky_test WHERE repo = ? AND name = ?", repo, name);
            if (!status.isEmpty() && (expected == null || status.getFirst().equals(expected))) {
                return status.getFirst();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no verdict" + (expected == null ? "" : " '" + expected + "'") + " for " + name + " in " + repo
                    + " after 30 s: " + status);
            }
            Thread.sleep(100);
        }
    }

    private void awaitQueueEmpty(String repo) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!appliance.column("SELECT r.upload_id FROM flaky_rescore r JOIN ingest_upload u ON u.id = r.upload_id WHERE u.repo = ?",
            repo).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("uploads of " + repo + " still queued for re-scoring after 30 s");
            }
            Thread.sleep(100);
        }
    }

    private String token(BrowserContext context) throws Exception {
        synchronized (FlakyDetectionTest.class) {
            if (token == null) {
                token = appliance.token(context, KeycloakFixture.shared(), "flaky-test", "uploads:write");
            }
            return token;
        }
    }
}
