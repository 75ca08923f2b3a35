package dev.mainstay.platform.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.BrowserContext;
import dev.mainstay.platform.identity.SignedInAppliance;
import dev.mainstay.testkit.BrowserFixture;
import dev.mainstay.testkit.KeycloakFixture;
import dev.mainstay.testkit.TestUser;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every refusal of the API is RFC 9457 problem+json, including those made before a resource
 * method runs: a body that is not the JSON the endpoint takes, and a session request without its
 * anti-CSRF token. Before, the first answered in plain text and the second with an HTML page.
 */
@ExtendWith(BrowserFixture.class)
class ProblemAnswersTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final SignedInAppliance appliance = SignedInAppliance.shared();

    @Test
    void a_body_that_is_not_json_and_a_missing_csrf_token_are_problems_too(BrowserContext context) throws Exception {
        SignedInAppliance.Session admin = appliance.signIn(context, KeycloakFixture.shared(), TestUser.ADMIN);

        HttpResponse<String> cut = post(admin, true, "{\"name\": ");
        assertEquals(400, cut.statusCode(), cut.body());
        assertEquals("application/problem+json", cut.headers().firstValue("Content-Type").orElse(""), cut.body());
        JsonNode problem = JSON.readTree(cut.body());
        assertEquals("Invalid JSON", problem.path("title").asText(), cut.body());
        assertTrue(problem.path("detail").asText().startsWith("the request body is not the JSON this endpoint takes"), cut.body());

        HttpResponse<String> unknown = post(admin, true, "{\"name\": \"x\", \"scopes\": [\"uploads:write\"], \"days\": 1, \"colour\": \"red\"}");
        assertEquals(400, unknown.statusCode(), unknown.body());
        assertTrue(JSON.readTree(unknown.body()).path("detail").asText().contains("colour"), "the unknown field is named: " + unknown.body());

        HttpResponse<String> forged = post(admin, false, "{}");
        assertEquals(403, forged.statusCode(), forged.body());
        assertEquals("application/problem+json", forged.headers().firstValue("Content-Type").orElse(""), forged.body());
        assertEquals("Anti-CSRF token missing", JSON.readTree(forged.body()).path("title").asText());
    }

    private HttpResponse<String> post(SignedInAppliance.Session session, boolean withCsrf, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(appliance.url("/api/v1/orgs/acme/tokens")))
            .header("Cookie", session.cookie()).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
        if (withCsrf) {
            request.header("X-CSRF-Token", session.csrf());
        }
        return appliance.http().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
