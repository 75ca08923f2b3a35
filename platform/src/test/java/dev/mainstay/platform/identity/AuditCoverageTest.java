package dev.mainstay.platform.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import dev.mainstay.platform.auditing.Audited;
import dev.mainstay.reports.bundle.UploadMetadata;
import dev.mainstay.testkit.BrowserFixture;
import dev.mainstay.testkit.KeycloakFixture;
import dev.mainstay.testkit.TestUser;
import dev.mainstay.testkit.github.SimulatedRepository;
import dev.mainstay.testkit.github.Webhooks;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Walks every endpoint that declares {@link Audited} actions, performs a real change through it as
 * a signed-in org admin, and finds each declared action in the audit trail, by that admin, written
 * by that request. An endpoint without a walk here fails the test, so a new one cannot slip by.
 */
@ExtendWith(BrowserFixture.class)
class AuditCoverageTest {

    /** One change made through one endpoint. */
    @FunctionalInterface
    private interface Walk {
        void run() throws Exception;
    }

    private SignedInAppliance appliance;
    /** The audited endpoints by "METHOD path", found once: the scan reads every compiled class. */
    private Map<String, HttpEndpoints.Endpoint> audited;
    private SignedInAppliance.Session admin;

    @Test
    void every_audited_endpoint_writes_its_declared_actions_to_the_trail(BrowserContext context) throws Exception {
        appliance = SignedInAppliance.shared();
        KeycloakFixture keycloak = KeycloakFixture.shared();
        List<String> problems = new ArrayList<>();
        audited = new LinkedHashMap<>();
        HttpEndpoints.all().stream().filter(e -> e.method().isAnnotationPresent(Audited.class))
            .forEach(e -> audited.put(e.toString(), e));

        long before = head();
        admin = appliance.signIn(context, keycloak, TestUser.ADMIN);
        check("GET /auth/callback", before, TestUser.ADMIN.username(), problems);

        Map<String, Walk> walks = new LinkedHashMap<>();
        walks.put("POST /orgs/{org}/tokens", () -> expect(201, form("/orgs/acme/tokens",
            "name=coverage-form&scope=identity%3Aread&days=1")));
        walks.put("POST /orgs/{org}/tokens/{id}/revoke", () -> expect(303, form("/orgs/acme/tokens/" + tokenId("coverage-form")
            + "/revoke", "")));
        walks.put("POST /api/v1/orgs/{org}/tokens", () -> expect(201, json("POST", "/api/v1/orgs/acme/tokens",
            "{\"name\": \"coverage-api\", \"scopes\": [\"identity:read\"], \"days\": 1}")));
        walks.put("DELETE /api/v1/orgs/{org}/tokens/{id}", () -> expect(200, json("DELETE", "/api/v1/orgs/acme/tokens/"
            + tokenId("coverage-api"), null)));
        walks.put("POST /orgs/{org}/members/end-sessions", () -> expect(200, form("/orgs/acme/members/end-sessions",
            "email=nobody%40example.com")));
        // Running a job now is a step-up action too.
        walks.put("POST /api/v1/jobs/{job}/run", () -> expect(202, json("POST", "/api/v1/jobs/job-run-retention/run", null)));
        walks.put("POST /jobs/{job}/run", () -> expect(303, form("/jobs/job-run-retention/run", "")));
        // Queue settings are a step-up action: walked early, while the admin's sign-in is recent.
        walks.put("PUT /api/v1/orgs/{org}/queues/{owner}/{name}/settings", () -> expect(200, json("PUT",
            "/api/v1/orgs/acme/queues/acme/coverage/settings?branch=main", "{\"concurrency\": 2}")));
        walks.put("POST /orgs/{org}/queues/{owner}/{name}/settings", () -> expect(303, form(
            "/orgs/acme/queues/acme/coverage/settings?branch=main", "concurrency=3&merge_method=squash")));
        walks.put("POST /audit/verify", () -> expect(303, form("/audit/verify", "")));
        // Uploads come from a token, which acts under its own name.
        Map<String, String> actors = new LinkedHashMap<>();
        actors.put("POST /api/v1/uploads", "coverage-upload");
        walks.put("POST /api/v1/uploads", () -> expect(201, upload(appliance.token(admin, "coverage-upload", List.of("uploads:write")))));
        walks.put("PUT /api/v1/orgs/{org}/flaky/settings", () -> expect(200, json("PUT", "/api/v1/orgs/acme/flaky/settings?repo=acme/coverage",
            "{\"window_days\": 14}")));
        walks.put("PUT /api/v1/orgs/{org}/quarantine/{test}", () -> expect(200, json("PUT", "/api/v1/orgs/acme/quarantine/" + coverageTest(),
            "{\"reason\": \"coverage\"}")));
        walks.put("DELETE /api/v1/orgs/{org}/quarantine/{test}", () -> expect(204, json("DELETE", "/api/v1/orgs/acme/quarantine/"
            + coverageTest(), null)));
        walks.put("PUT /api/v1/orgs/{org}/quarantine-policy", () -> expect(200, json("PUT",
            "/api/v1/orgs/acme/quarantine-policy?repo=acme/coverage", "{\"auto_quarantine\": false}")));
        String formHook = "https://localhost:9/coverage-form";
        String apiHook = "https://localhost:9/coverage-api";
        walks.put("POST /orgs/{org}/webhooks", () -> expect(201, form("/orgs/acme/webhooks",
            "url=" + URLEncoder.encode(formHook, StandardCharsets.UTF_8) + "&event=flaky.status_changed")));
        walks.put("POST /orgs/{org}/webhooks/{id}/test", () -> expect(303, form("/orgs/acme/webhooks/" + webhookId(formHook) + "/test", "")));
        walks.put("POST /orgs/{org}/webhooks/{id}/delete", () -> expect(303, form("/orgs/acme/webhooks/" + webhookId(formHook)
            + "/delete", "")));
        walks.put("POST /api/v1/orgs/{org}/webhooks", () -> expect(201, json("POST", "/api/v1/orgs/acme/webhooks",
            "{\"url\": \"" + apiHook + "\", \"events\": [\"quarantine.changed\"]}")));
        walks.put("PATCH /api/v1/orgs/{org}/webhooks/{id}", () -> expect(200, json("PATCH", "/api/v1/orgs/acme/webhooks/"
            + webhookId(apiHook), "{\"enabled\": false}")));
        walks.put("POST /api/v1/orgs/{org}/webhooks/{id}/test", () -> expect(202, json("POST", "/api/v1/orgs/acme/webhooks/"
            + webhookId(apiHook) + "/test", null)));
        walks.put("DELETE /api/v1/orgs/{org}/webhooks/{id}", () -> expect(200, json("DELETE", "/api/v1/orgs/acme/webhooks/"
            + webhookId(apiHook), null)));
        // Reading the clusters reveals failure text (of the failing test the upload above sent), which is audited.
        walks.put("GET /api/v1/orgs/{org}/flaky/clusters", () -> expect(200, json("GET", "/api/v1/orgs/acme/flaky/clusters?repo=acme/coverage",
            null)));
        walks.put("GET /orgs/{org}/flaky", () -> expect(200, get("/orgs/acme/flaky?repo=acme/coverage")));
        walks.put("GET /orgs/{org}/flaky/tests/{test}", () -> expect(200, get("/orgs/acme/flaky/tests/" + failingCoverageTest())));
        walks.put("POST /orgs/{org}/flaky/tests/{test}/quarantine", () -> expect(303, form("/orgs/acme/flaky/tests/" + coverageTest()
            + "/quarantine", "reason=coverage&days=1")));
        walks.put("POST /orgs/{org}/flaky/tests/{test}/lift", () -> expect(303, form("/orgs/acme/flaky/tests/" + coverageTest() + "/lift", "")));
        walks.put("POST /orgs/{org}/flaky/settings/thresholds", () -> expect(303, form("/orgs/acme/flaky/settings/thresholds",
            "repo=acme%2Fcoverage&window_days=21&rate_activate=")));
        walks.put("POST /orgs/{org}/flaky/settings/quarantine-policy", () -> expect(303, form("/orgs/acme/flaky/settings/quarantine-policy",
            "repo=acme%2Fcoverage&expiry_days=7")));
        // Queue requests by token act under the token's name; GitHub lets the admin who made it push.
        SimulatedRepository queued = SignedInAppliance.github().createRepository("acme", "coverage-" + UUID.randomUUID().toString()
            .substring(0, 8));
        queued.collaborator(TestUser.ADMIN.username(), "write");
        int pr = queued.openPullRequest("coverage", "Coverage", Map.of("coverage.txt", "coverage\n"));
        String entries = "/api/v1/queues/" + queued.fullName() + "/entries";
        String queueToken = appliance.token(admin, "coverage-queue", List.of("queue:write"));
        actors.put("POST /api/v1/queues/{owner}/{name}/entries", "coverage-queue");
        actors.put("DELETE /api/v1/queues/{owner}/{name}/entries/{number}", "coverage-queue");
        walks.put("POST /api/v1/queues/{owner}/{name}/entries", () -> expect(202, bearer(queueToken, "POST", entries,
            "{\"pull_request\": " + pr + "}")));
        walks.put("DELETE /api/v1/queues/{owner}/{name}/entries/{number}", () -> expect(202, bearer(queueToken, "DELETE",
            entries + "/" + pr, null)));
        actors.put("POST /api/v1/impacted-targets", "coverage-queue");
        walks.put("POST /api/v1/impacted-targets", () -> expect(201, bearer(queueToken, "POST", "/api/v1/impacted-targets",
            "{\"repository\": \"" + queued.fullName() + "\", \"pull_request\": " + pr + ", \"head\": \""
                + queued.branchSha("coverage") + "\", \"targets\": [\"//coverage\"]}")));
        // From the queue page, a maintainer (GitHub lets them push too) queues and removes it.
        queued.collaborator(TestUser.MAINTAINER_GITHUB_LOGIN, "write");
        SignedInAppliance.Session maintainer = appliance.signIn(context, keycloak, TestUser.MAINTAINER);
        String page = "/orgs/acme/queues/" + queued.fullName();
        actors.put("POST /orgs/{org}/queues/{owner}/{name}/entries", TestUser.MAINTAINER.username());
        actors.put("POST /orgs/{org}/queues/{owner}/{name}/entries/{number}/remove", TestUser.MAINTAINER.username());
        walks.put("POST /orgs/{org}/queues/{owner}/{name}/entries", () -> expect(303, formAs(maintainer, page + "/entries?branch=main",
            "pull_request=" + pr)));
        walks.put("POST /orgs/{org}/queues/{owner}/{name}/entries/{number}/remove", () -> expect(303, formAs(maintainer,
            page + "/entries/" + pr + "/remove?branch=main", "")));
        // The maintainer, signed in just now (a step-up action), pauses, drains and resumes the queue the walks above started.
        String controls = "/api/v1/orgs/acme/queues/" + queued.fullName();
        for (String control : List.of("pause", "drain", "resume")) {
            actors.put("POST /api/v1/orgs/{org}/queues/{owner}/{name}/" + control, TestUser.MAINTAINER.username());
            walks.put("POST /api/v1/orgs/{org}/queues/{owner}/{name}/" + control, () -> expect(202, appliance.json(maintainer, "POST",
                controls + "/" + control + "?branch=main", "{\"reason\": \"coverage\"}")));
            actors.put("POST /orgs/{org}/queues/{owner}/{name}/" + control, TestUser.MAINTAINER.username());
            walks.put("POST /orgs/{org}/queues/{owner}/{name}/" + control, () -> expect(303, formAs(maintainer,
                page + "/" + control + "?branch=main", "reason=coverage")));
        }
        // GitHub's deliveries act as GitHub, authenticated by their signature.
        actors.put("POST /webhooks/github", "GitHub");
        walks.put("POST /webhooks/github", () -> expect(202, github("{\"zen\": \"coverage " + UUID.randomUUID() + "\", \"hook_id\": 1}")));
        walks.put("POST /auth/logout", () -> expect(303, form("/auth/logout", "")));

        List<String> declared = List.copyOf(audited.keySet());
        List<String> walked = new ArrayList<>(walks.keySet());
        walked.add("GET /auth/callback");
        assertEquals(new TreeSet<>(declared), new TreeSet<>(walked), "every audited endpoint is walked, and only those");

        for (var walk : walks.entrySet()) {
            long mark = head();
            walk.getValue().run();
            check(walk.getKey(), mark, actors.getOrDefault(walk.getKey(), TestUser.ADMIN.username()), problems);
        }
        assertEquals(List.of(), problems);
    }

    /**
     * Finds the endpoint's declared actions among the admin's events after {@code mark}, and no
     * others. Other people's sessions, from other tests, may be closed meanwhile, and Keycloak's
     * own events ({@code keycloak.*}) are pulled in on a schedule, not written by a request.
     */
    private void check(String endpoint, long mark, String actor, List<String> problems) throws SQLException {
        HttpEndpoints.Endpoint e = audited.get(endpoint);
        List<String> written = new ArrayList<>();
        try (Connection c = appliance.database();
             PreparedStatement s = c.prepareStatement("SELECT action || ' by ' || actor_name FROM audit_event WHERE seq > ? AND actor_name = ?"
                 + " AND action NOT LIKE 'keycloak.%' ORDER BY seq")) {
            s.setLong(1, mark);
            s.setString(2, actor);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    written.add(rs.getString(1));
                }
            }
        }
        for (String action : e.method().getAnnotation(Audited.class).value()) {
            if (!written.contains(action + " by " + actor)) {
                problems.add(endpoint + " declares " + action + " but the trail got " + written);
            }
        }
        if (!Arrays.asList(e.method().getAnnotation(Audited.class).value()).containsAll(
            written.stream().map(w -> w.substring(0, w.indexOf(" by "))).distinct().toList())) {
            problems.add(endpoint + " wrote actions it does not declare: " + written);
        }
    }

    /** Sends {@code body} (none when null) as JSON with {@code method} to {@code path} under the API {@code token}. */
    private HttpResponse<String> bearer(String token, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(appliance.url(path))).header("Authorization", "Bearer " + token);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return appliance.http().send(request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Delivers {@code body} as a signed GitHub ping. */
    private HttpResponse<String> github(String body) throws Exception {
        String signature = Webhooks.sign(body.getBytes(StandardCharsets.UTF_8),
            SignedInAppliance.GITHUB_WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8));
        return appliance.http().send(HttpRequest.newBuilder(URI.create(appliance.url("/webhooks/github")))
            .header("X-GitHub-Event", "ping").header("X-GitHub-Delivery", UUID.randomUUID().toString())
            .header("X-Hub-Signature-256", signature).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    /** The id of the failing test the upload walk sent, once detection has scored it. */
    private String failingCoverageTest() throws Exception {
        return appliance.await("the coverage upload's failing test, scored", "SELECT DISTINCT test_id FROM test_execution"
            + " WHERE repo = 'acme/coverage' AND status IN ('failed', 'error') AND test_id IN (SELECT test_id FROM flaky_test"
            + " WHERE repo = 'acme/coverage')");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return appliance.http().send(HttpRequest.newBuilder(URI.create(appliance.url(path))).header("Cookie", admin.cookie()).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    }

    /** The id of a test the upload walk sent, once detection has scored it. */
    private String coverageTest() throws Exception {
        return appliance.await("the coverage upload's tests, scored",
            "SELECT test_id FROM flaky_test WHERE repo = 'acme/coverage' ORDER BY test_id LIMIT 1");
    }

    private long head() throws SQLException {
        try (Connection c = appliance.database(); PreparedStatement s = c.prepareStatement("SELECT seq FROM audit_head");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private String tokenId(String name) throws SQLException {
        try (Connection c = appliance.database();
             PreparedStatement s = c.prepareStatement("SELECT id::text FROM identity_api_token WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next(), "token " + name + " was made");
                return rs.getString(1);
            }
        }
    }

    private String webhookId(String url) throws SQLException {
        try (Connection c = appliance.database();
             PreparedStatement s = c.prepareStatement("SELECT id::text FROM flaky_webhook WHERE url = ? ORDER BY created_at DESC")) {
            s.setString(1, url);
            try (ResultSet rs = s.executeQuery()) {
                assertTrue(rs.next(), "webhook to " + url + " was made");
                return rs.getString(1);
            }
        }
    }

    private HttpResponse<String> form(String path, String body) throws Exception {
        return formAs(admin, path, body);
    }

    /** Posts form {@code body} to {@code path} in {@code session}, with its anti-CSRF field. */
    private HttpResponse<String> formAs(SignedInAppliance.Session session, String path, String body) throws Exception {
        String withCsrf = (body.isEmpty() ? "" : body + "&") + "_csrf=" + URLEncoder.encode(session.csrf(), StandardCharsets.UTF_8);
        return appliance.http().send(HttpRequest.newBuilder(URI.create(appliance.url(path)))
            .header("Cookie", session.cookie()).header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(withCsrf)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> json(String method, String path, String body) throws Exception {
        return appliance.json(admin, method, path, body);
    }

    /** Uploads a bundle of a passing and a failing test with {@code token}, so that there is a failure cluster to view. */
    private HttpResponse<String> upload(String token) throws Exception {
        return appliance.upload(token, java.util.UUID.randomUUID().toString(),
            UploadMetadata.of("acme/coverage", "0123456789abcdef0123456789abcdef01234567"),
            java.util.Map.of("TEST-c.xml", ("<testsuite><testcase classname=\"c\" name=\"t\"/><testcase classname=\"c\" name=\"u\">"
                + "<failure message=\"coverage failure\"/></testcase></testsuite>").getBytes(StandardCharsets.UTF_8)));
    }

    private static void expect(int status, HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), response.request().method() + " " + response.uri() + ": " + response.body());
    }
}
