package dev.mainstay.platform.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import dev.mainstay.testkit.BrowserFixture;
import dev.mainstay.testkit.KeycloakFixture;
import dev.mainstay.testkit.TestUser;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every HTTP endpoint × every caller (anonymous, each role of org acme, an admin of another org,
 * and an API token with every scope) against what policies/access.yaml says. Callers sign in
 * through the real Keycloak; requests are then plain HTTP with their session cookie.
 */
@ExtendWith(BrowserFixture.class)
class AuthorizationMatrixTest {

    private static final String ORG = "acme";

    /** A caller: how to authenticate, and what the policy lets it do in org acme. */
    private record Caller(String name, Map<String, String> headers, Optional<String> csrf, Set<String> roles, String org,
                          boolean machine) {
    }

    private enum Outcome { ALLOWED, DENIED }

    @Test
    void every_endpoint_answers_every_caller_as_the_access_policy_says(BrowserContext context) throws Exception {
        SignedInAppliance appliance = SignedInAppliance.shared();
        KeycloakFixture keycloak = KeycloakFixture.shared();
        AccessPolicy access = AccessPolicy.read("access.yaml", new StringReader(Files.readString(Path.of("..", "policies", "access.yaml"))));

        List<Caller> callers = new ArrayList<>();
        callers.add(new Caller("anonymous", Map.of(), Optional.empty(), Set.of(), "", false));
        Caller admin = signedIn(context, keycloak, appliance, TestUser.ADMIN);
        // Made at once: making a token is a step-up action, and the admin's sign-in ages while the others sign in.
        Caller token = tokenWithEveryScope(appliance, admin, access);
        callers.add(admin);
        for (TestUser user : List.of(TestUser.MAINTAINER, TestUser.MEMBER, TestUser.AUDITOR, TestUser.OUTSIDER)) {
            callers.add(signedIn(context, keycloak, appliance, user));
        }
        callers.add(token);

        String assets = assetVersion(appliance);
        long trailBefore = trailHead(appliance);
        List<String> refusals = new ArrayList<>();
        List<String> mismatches = new ArrayList<>();
        int checked = 0;
        for (HttpEndpoints.Endpoint endpoint : HttpEndpoints.all()) {
            if (endpoint.path().equals("/auth/logout") || endpoint.path().equals("/webhooks/github")) {
                // Sign-out is checked below; GitHub deliveries authenticate by signature, not as a person or token, and
                // GitHubWebhookReceiverTest refuses them unsigned to every kind of caller.
                continue;
            }
            Optional<String> permission = EndpointAccess.declaredPermission(endpoint.method());
            for (Caller caller : callers) {
                Outcome expected = expected(permission, caller, endpoint, access);
                HttpResponse<String> response = send(appliance, endpoint, caller, assets);
                Outcome actual = outcome(response);
                checked++;
                if (response.statusCode() >= 500) {
                    mismatches.add(endpoint + " as " + caller.name() + ": failed with " + response.statusCode() + " " + response.body());
                } else if (expected != actual) {
                    mismatches.add(endpoint + " as " + caller.name() + ": expected " + expected + ", got " + response.statusCode()
                        + " " + response.headers().firstValue("Location").orElse(""));
                } else if (actual == Outcome.DENIED && !caller.name().equals("anonymous")) {
                    refusals.add((caller.machine() ? "matrix" : caller.name()) + " " + endpoint.httpMethod() + " "
                        + response.request().uri().getPath());
                }
            }
        }
        assertEquals(List.of(), mismatches);
        assertTrue(checked >= 10 * callers.size(), "checked " + checked + " endpoint × caller pairs");

        // Each refusal of a known caller is in the audit trail, once, naming the caller and the request.
        List<String> recorded = deniedSince(appliance, trailBefore);
        assertTrue(refusals.size() >= 10, "known callers were refused: " + refusals);
        assertEquals(refusals.stream().sorted().toList(), recorded.stream().sorted().toList());

        // A forged request (no anti-CSRF token, or sent from another site) is refused and recorded with its reason.
        long beforeForged = trailHead(appliance);
        for (Map<String, String> forged : List.of(Map.<String, String>of(), Map.of("Origin", "https://evil.example"))) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(appliance.url("/orgs/" + ORG + "/members/end-sessions")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("email=member%40acme.example"));
            admin.headers().forEach(request::header);
            forged.forEach(request::header);
            assertEquals(403, appliance.http().send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        }
        assertEquals(List.of("admin acme POST /orgs/acme/members/end-sessions missing-csrf-token",
                "admin acme POST /orgs/acme/members/end-sessions cross-site"),
            appliance.column("SELECT actor_name || ' ' || org || ' ' || target_id || ' ' || (details::jsonb ->> 'reason')"
                + " FROM audit_event WHERE action = 'access.denied' AND seq > ? ORDER BY seq", beforeForged));

        // Signing out is public; each person's sign-out ends only their own session.
        HttpEndpoints.Endpoint logout = HttpEndpoints.all().stream().filter(e -> e.path().equals("/auth/logout")).findFirst().orElseThrow();
        for (Caller caller : callers) {
            HttpResponse<String> response = send(appliance, logout, caller, assets);
            assertEquals(303, response.statusCode(), "sign-out as " + caller.name());
        }
    }

    private static long trailHead(SignedInAppliance appliance) throws Exception {
        return Long.parseLong(appliance.column("SELECT seq FROM audit_head").getFirst());
    }

    /** The {@code access.denied} events after {@code seq}: actor name, method and path. */
    private static List<String> deniedSince(SignedInAppliance appliance, long seq) throws Exception {
        return appliance.column("SELECT actor_name || ' ' || target_id FROM audit_event WHERE action = 'access.denied'"
            + " AND outcome = 'denied' AND seq > ? ORDER BY seq", seq);
    }

    private static Outcome expected(Optional<String> permission, Caller caller, HttpEndpoints.Endpoint endpoint, AccessPolicy access) {
        if (permission.isEmpty()) {
            return Outcome.ALLOWED;
        }
        if (caller.name().equals("anonymous")) {
            return Outcome.DENIED;
        }
        if (endpoint.path().contains("{org}") && !caller.org().equals(ORG)) {
            return Outcome.DENIED;
        }
        boolean granted = caller.machine()
            ? access.tokenScopes().contains(permission.get())
            : access.grants(caller.roles(), permission.get());
        return granted ? Outcome.ALLOWED : Outcome.DENIED;
    }

    /**
     * Denied: 401, 403, a redirect to sign in (not a step-up, which comes after authorization),
     * or the 404 that hides another org.
     */
    private static Outcome outcome(HttpResponse<String> response) {
        int status = response.statusCode();
        String location = response.headers().firstValue("Location").orElse("");
        boolean stepUp = location.contains("step-up=true")
            || response.headers().firstValue("WWW-Authenticate").orElse("").contains("insufficient_user_authentication");
        if (stepUp) {
            return Outcome.ALLOWED;
        }
        if (status == 401 || status == 403 || (status == 303 && URI.create(location).getPath().equals("/auth/login"))
            || (status == 404 && response.body().contains("that you belong to"))) {
            return Outcome.DENIED;
        }
        return Outcome.ALLOWED;
    }

    private static HttpResponse<String> send(SignedInAppliance appliance, HttpEndpoints.Endpoint endpoint, Caller caller, String assets)
        throws Exception {
        String path = endpoint.path().replace("{org}", ORG).replace("{id}", UUID.randomUUID().toString())
            .replace("{version}", assets).replace("{file}", "mainstay.css").replace("{test}", "0".repeat(32))
            .replace("{owner}", ORG).replace("{name}", "web").replace("{number}", "1").replace("{job}", "job-run-retention");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(appliance.url(path)));
        caller.headers().forEach(request::header);
        String body = "";
        if (endpoint.consumes().isPresent()) {
            request.header("Content-Type", endpoint.consumes().get());
            body = endpoint.consumes().get().contains("json") ? "{}" : caller.csrf().map(c -> "_csrf=" + c).orElse("");
        }
        if (!endpoint.httpMethod().equals("GET")) {
            caller.csrf().ifPresent(c -> request.header(AccessFilter.CSRF_HEADER, c));
        }
        request.method(endpoint.httpMethod(), endpoint.httpMethod().equals("GET") ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
        return appliance.http().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Caller signedIn(BrowserContext context, KeycloakFixture keycloak, SignedInAppliance appliance, TestUser user) {
        SignedInAppliance.Session session = appliance.signIn(context, keycloak, user);
        return new Caller(user.username(), Map.of("Cookie", session.cookie()), Optional.of(session.csrf()), Set.of(user.role()),
            user.org(), false);
    }

    private static Caller tokenWithEveryScope(SignedInAppliance appliance, Caller admin, AccessPolicy access) throws Exception {
        String token = appliance.token(new SignedInAppliance.Session(admin.headers().get("Cookie"), admin.csrf().orElseThrow()), "matrix",
            access.tokenScopes());
        return new Caller("token", Map.of("Authorization", "Bearer " + token), Optional.empty(), Set.of(), ORG, true);
    }

    private static String assetVersion(SignedInAppliance appliance) throws Exception {
        HttpResponse<String> home = appliance.http().send(HttpRequest.newBuilder(URI.create(appliance.url("/"))).build(),
            HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("/static/([0-9a-f]+)/mainstay.css").matcher(home.body());
        assertTrue(m.find(), home.body());
        return m.group(1);
    }
}
