package dev.mainstay.platform.flaky.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.mainstay.platform.identity.SignedInAppliance;
import dev.mainstay.reports.bundle.UploadMetadata;
import dev.mainstay.testkit.BrowserFixture;
import dev.mainstay.testkit.KeycloakFixture;
import dev.mainstay.testkit.TestUser;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Outbound webhooks against the running appliance and a real HTTPS receiver with a certificate from
 * the enterprise's private CA: a test turning flaky is POSTed, signed, and retried after the
 * receiver's 500 until it answers 200; a removed webhook gets nothing more; the page adds a webhook,
 * shows its secret once, pings it and lists the delivery. Each test uses repositories of its own.
 */
@ExtendWith(BrowserFixture.class)
class WebhooksTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ORG = TestUser.ADMIN.org();
    private static final String FLAKY_REPORT = """
        <testsuite name="com.acme.CartTest" tests="2" failures="0" errors="0" skipped="0">
          <testcase classname="com.acme.CartTest" name="adds" time="0.4">
            <flakyFailure message="expected 2 but was 1" type="java.lang.AssertionError"/>
          </testcase>
          <testcase classname="com.acme.CartTest" name="removes" time="0.1"/>
        </testsuite>
        """;

    private final SignedInAppliance appliance = SignedInAppliance.shared();
    private SignedReceiver receiver;

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = new SignedReceiver(appliance.caCertificate().getParent());
    }

    @AfterEach
    void stopReceiver() throws Exception {
        receiver.close();
        // Webhooks to a stopped receiver would only fail and retry in the shared appliance.
        try (var c = appliance.database(); var s = c.prepareStatement("DELETE FROM flaky_webhook WHERE url LIKE ?")) {
            s.setString(1, receiver.url("/") + "%");
            s.executeUpdate();
        }
    }

    @Test
    void a_test_turning_flaky_is_posted_signed_and_retried_after_a_500_until_the_receiver_answers_200(BrowserContext context)
        throws Exception {
        SignedInAppliance.Session admin = appliance.signIn(context, KeycloakFixture.shared(), TestUser.ADMIN);
        String repo = "acme/hooked-" + UUID.randomUUID();
        JsonNode made = make(admin, receiver.url("/status"), List.of("flaky.status_changed"));
        String secret = made.get("secret").asText();
        assertTrue(secret.matches("mswh_[A-Za-z0-9_-]{43}"), "a generated secret, shown once: " + secret);

        String token = appliance.token(admin, "webhooks-retry", List.of("uploads:write"));
        assertEquals(201, upload(token, repo, FLAKY_REPORT).statusCode());

        List<SignedReceiver.Received> attempts = receiver.await(2, r -> r.body().contains(repo));
        assertEquals(2, attempts.size(), "one delivery, attempted twice: " + attempts);
        assertEquals(List.of(500, 200), attempts.stream().map(SignedReceiver.Received::answered).toList());
        assertEquals(attempts.get(0).delivery(), attempts.get(1).delivery(), "the delivery id stays the same across retries");
        assertEquals(attempts.get(0).body(), attempts.get(1).body(), "every attempt sends the same body");
        for (SignedReceiver.Received attempt : attempts) {
            assertEquals("flaky.status_changed", attempt.event());
            assertTrue(attempt.signedWith(secret), "signed over <timestamp>.<body> with the webhook's secret: " + attempt);
            assertFalse(attempt.signedWith(secret + "x"), "the signature depends on the secret");
            long age = Math.abs(Instant.now().getEpochSecond() - Long.parseLong(attempt.timestamp()));
            assertTrue(age < 120, "X-Mainstay-Timestamp is the time of sending: " + attempt.timestamp());
        }
        JsonNode body = JSON.readTree(attempts.get(1).body());
        assertEquals("flaky.status_changed", body.get("type").asText());
        assertEquals(ORG, body.get("org").asText());
        JsonNode data = body.get("data");
        assertEquals(repo, data.get("repo").asText());
        assertEquals("adds", data.get("name").asText(), "only the test whose status changed: " + body);
        assertEquals("com.acme.CartTest", data.get("classname").asText());
        assertEquals("healthy", data.get("from").asText());
        assertEquals("flaky", data.get("to").asText());
        assertEquals("[\"pass_on_retry\"]", data.get("monitors").toString());
        assertEquals(2, data.get("evidence").size(), "the failure and the pass it contradicts: " + data);
        assertEquals(appliance.column("SELECT test_id FROM flaky_test WHERE repo = ? AND name = 'adds'", repo),
            List.of(data.get("test_id").asText()));

        assertEquals(List.of("delivered 2 200"), awaitColumn("SELECT state || ' ' || attempts || ' ' || last_status"
            + " FROM flaky_webhook_delivery WHERE id = ?::uuid", attempts.get(0).delivery(), "delivered 2 200"));
    }

    @Test
    void a_removed_webhook_gets_no_more_deliveries(BrowserContext context) throws Exception {
        SignedInAppliance.Session admin = appliance.signIn(context, KeycloakFixture.shared(), TestUser.ADMIN);
        String removed = make(admin, receiver.url("/removed"), List.of("flaky.status_changed")).get("webhook").get("id").asText();
        make(admin, receiver.url("/kept"), List.of("flaky.status_changed"));
        HttpResponse<String> deleted = appliance.json(admin, "DELETE", "/api/v1/orgs/" + ORG + "/webhooks/" + removed, null);
        assertEquals(200, deleted.statusCode(), deleted.body());
        assertEquals(404, appliance.json(admin, "DELETE", "/api/v1/orgs/" + ORG + "/webhooks/" + removed, null).statusCode(),
            "gone");

        String repo = "acme/unhooked-" + UUID.randomUUID();
        String token = appliance.token(admin, "webhooks-removed", List.of("uploads:write"));
        assertEquals(201, upload(token, repo, FLAKY_REPORT).statusCode());

        // The kept webhook's delivery (its retry included) shows the event was sent; the removed one got none.
        receiver.await(2, r -> r.body().contains(repo));
        assertEquals(List.of(), appliance.column("SELECT id FROM flaky_webhook_delivery WHERE webhook_id = ?::uuid", removed));
        List<String> kept = appliance.column("SELECT CAST(d.id AS text) FROM flaky_webhook_delivery d JOIN flaky_webhook w"
            + " ON w.id = d.webhook_id WHERE w.url = ?", receiver.url("/kept"));
        assertEquals(List.of(), receiver.received(r -> r.body().contains(repo) && !kept.contains(r.delivery())),
            "every request about the repository belongs to a delivery of the kept webhook");
        assertEquals(List.of(), appliance.column("SELECT id FROM flaky_webhook WHERE id = ?::uuid", removed));
    }

    @Test
    void bad_input_is_refused_naming_the_field(BrowserContext context) throws Exception {
        SignedInAppliance.Session admin = appliance.signIn(context, KeycloakFixture.shared(), TestUser.ADMIN);
        String path = "/api/v1/orgs/" + ORG + "/webhooks";

        HttpResponse<String> plain = appliance.json(admin, "POST", path, "{\"url\": \"http://bridge.example/hook\", \"events\": [\"flaky.status_changed\"]}");
        assertEquals(422, plain.statusCode(), plain.body());
        assertEquals("url", JSON.readTree(plain.body()).get("field").asText());
        assertTrue(plain.body().contains("https only"), plain.body());

        HttpResponse<String> unknown = appliance.json(admin, "POST", path, "{\"url\": \"https://bridge.example/hook\", \"events\": [\"flaky.changed\"]}");
        assertEquals(422, unknown.statusCode(), unknown.body());
        assertEquals("events", JSON.readTree(unknown.body()).get("field").asText());
        assertTrue(unknown.body().contains("'flaky.changed' is not a webhook event"), unknown.body());

        HttpResponse<String> credentials = appliance.json(admin, "POST", path, "{\"url\": \"https://bot:hunter2@bridge.example/hook\", \"events\": [\"quarantine.changed\"]}");
        assertEquals(422, credentials.statusCode(), credentials.body());

        assertEquals(400, appliance.json(admin, "POST", path, "").statusCode(), "no body");
        HttpResponse<String> pause = appliance.json(admin, "PATCH", path + "/" + UUID.randomUUID(), "{}");
        assertEquals(422, pause.statusCode(), pause.body());
    }

    @Test
    void the_page_adds_a_webhook_shows_its_secret_once_pings_it_and_lists_the_delivery(BrowserContext context) throws Exception {
        appliance.signIn(context, KeycloakFixture.shared(), TestUser.ADMIN);
        Page page = context.newPage();
        page.navigate(appliance.url("/orgs/" + ORG + "/webhooks"));
        assertEquals("Webhooks of " + ORG, page.locator("h1").innerText());
        assertTrue(page.locator("nav.side-nav a[href='/orgs/" + ORG + "/webhooks']").count() > 0, "the navigation links the page");

        String url = receiver.url("/page-" + UUID.randomUUID());
        page.locator("#webhook-url").fill(url);
        page.waitForNavigation(() -> page.locator("form[aria-labelledby=add-heading] button[type=submit]").click());
        String secret = page.locator("#new-secret").inputValue();
        assertTrue(secret.startsWith("mswh_"), page.content());

        page.waitForNavigation(() -> page.locator("tr:has(code:text-is('" + url + "')) form[action$='/test'] button").click());
        SignedReceiver.Received ping = receiver.await(2, r -> "ping".equals(r.event())).get(1);
        assertTrue(ping.signedWith(secret), "the ping is signed with the secret the page showed");
        awaitColumn("SELECT state FROM flaky_webhook_delivery WHERE id = ?::uuid", ping.delivery(), "delivered");

        page.navigate(appliance.url("/orgs/" + ORG + "/webhooks"));
        String row = page.locator("#delivery-" + ping.delivery()).innerText();
        assertTrue(row.contains("ping") && row.contains("delivered") && row.contains("HTTP 200") && row.contains(url), row);
        assertFalse(page.content().contains(secret), "the secret is never shown again");
    }

    private JsonNode make(SignedInAppliance.Session admin, String url, List<String> events) throws Exception {
        HttpResponse<String> made = appliance.json(admin, "POST", "/api/v1/orgs/" + ORG + "/webhooks",
            JSON.writeValueAsString(Map.of("url", url, "events", events)));
        assertEquals(201, made.statusCode(), made.body());
        return JSON.readTree(made.body());
    }

    private HttpResponse<String> upload(String token, String repo, String report) throws Exception {
        UploadMetadata metadata = new UploadMetadata(repo, "a".repeat(40), "main", OptionalInt.empty(), "", "unit", "", "",
            "run-" + UUID.randomUUID(), OptionalInt.empty(), "", Optional.empty(), Optional.empty());
        return appliance.upload(token, UUID.randomUUID().toString(), metadata, Map.of("TEST-report.xml", report.getBytes(StandardCharsets.UTF_8)));
    }

    /** The rows {@code sql} returns once the first is {@code expected}; fails after 30 s. */
    private List<String> awaitColumn(String sql, String parameter, String expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<String> rows = appliance.column(sql, parameter);
            if (!rows.isEmpty() && rows.getFirst().equals(expected)) {
                return rows;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected '" + expected + "' from " + sql + " within 30 s, got " + rows);
            }
            Thread.sleep(100);
        }
    }
}
