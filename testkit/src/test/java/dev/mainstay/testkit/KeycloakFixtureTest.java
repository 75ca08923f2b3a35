package dev.mainstay.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Page;
import com.sun.net.httpserver.HttpServer;
import dev.mainstay.devservices.MainstayRealm;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith({KeycloakExtension.class, BrowserFixture.class})
class KeycloakFixtureTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static HttpServer callback;
    private static volatile CompletableFuture<String> code = new CompletableFuture<>();

    @BeforeAll
    static void catchAuthorizationCodes(KeycloakFixture keycloak) throws IOException {
        callback = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        callback.createContext("/callback", exchange -> {
            String query = exchange.getRequestURI().getRawQuery();
            byte[] body = "signed in".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
            code.complete(query);
        });
        callback.start();
        keycloak.admin().setRedirectUris(List.of(redirectUri()), List.of("http://127.0.0.1:" + callback.getAddress().getPort() + "/"));
    }

    @AfterAll
    static void restoreClient(KeycloakFixture keycloak) {
        keycloak.admin().pointClientAt(URI.create("https://localhost:8443"));
        callback.stop(0);
    }

    @Test
    void a_demo_user_signs_in_to_keycloaks_account_console(KeycloakFixture keycloak, Page page) {
        page.navigate(keycloak.accountConsole().toString());

        keycloak.signIn(page, TestUser.MAINTAINER);

        // Signed in: back at the account console with a Keycloak session for the realm. What the console's own
        // single-page app then renders is Keycloak's: with Chromium 156 its account REST calls are answered 401,
        // which is Keycloak's and the browser's business, not the fixture's (noted for follow-up).
        page.waitForURL(u -> u.startsWith(keycloak.accountConsole().toString()), new Page.WaitForURLOptions().setTimeout(90_000));
        assertTrue(page.context().cookies().stream().anyMatch(c -> c.name.equals("KEYCLOAK_SESSION")),
            "Keycloak holds a session for the signed-in demo user: " + page.context().cookies().stream().map(c -> c.name).toList());
    }

    @Test
    void the_mainstay_client_asks_for_a_one_time_code_and_refuses_a_wrong_one(KeycloakFixture keycloak, Page page) {
        page.navigate(authorizationRequest(keycloak, "unused-challenge-unused-challenge-unused-chall"));
        page.locator("input[name=username]").fill(TestUser.AUDITOR.username());
        page.locator("input[name=password]").fill(TestUser.AUDITOR.password());
        page.waitForNavigation(() -> page.locator("#kc-login").click());
        assertTrue(page.locator("input[name=otp]").isVisible(), "minimum acr mfa makes the step-up flow ask for a code");
        String right = Totp.code(TestUser.AUDITOR.otpSecret(), Instant.now());
        String wrong = right.equals("123456") ? "654321" : "123456";

        page.locator("input[name=otp]").fill(wrong);
        page.waitForNavigation(() -> page.locator("#kc-login").click());

        assertTrue(page.content().contains("Invalid authenticator code."), "Keycloak says why: " + page.content());
        assertTrue(page.locator("input[name=otp]").isVisible(), "the user is asked again");
    }

    @Test
    void the_id_token_of_a_browser_login_carries_acr_mfa_groups_and_roles(KeycloakFixture keycloak, Page page) throws Exception {
        JsonNode idToken = codeFlow(keycloak, page, () -> keycloak.signIn(page, TestUser.ADMIN));

        assertEquals(MainstayRealm.ACR_MFA, idToken.path("acr").asText(), "password and OTP make level 2: " + idToken);
        assertEquals("[\"/orgs/acme\"]", idToken.path("groups").toString(), "full group paths");
        assertEquals("[\"admin\"]", idToken.path("roles").toString(), "the mainstay client roles, flat");
        assertEquals("admin", idToken.path("preferred_username").asText());
        assertEquals("admin@acme.example", idToken.path("email").asText());
        assertEquals("Ada Admin", idToken.path("name").asText());
        assertEquals(keycloak.issuer().toString(), idToken.path("iss").asText());
    }

    @Test
    void a_newcomer_must_enroll_an_authenticator_before_getting_in(KeycloakFixture keycloak, Page page) throws Exception {
        keycloak.admin().removeOtpCredentials(TestUser.NEWCOMER.username());

        JsonNode idToken = codeFlow(keycloak, page, () -> {
            page.locator("input[name=username]").fill(TestUser.NEWCOMER.username());
            page.locator("input[name=password]").fill(TestUser.NEWCOMER.password());
            page.waitForNavigation(() -> page.locator("#kc-login").click());
            assertTrue(page.content().contains("Mobile Authenticator Setup"), "the setup page is shown: " + page.content());
            String secret = keycloak.enrollOtp(page);
            assertEquals(32, secret.length(), "Keycloak's secrets are 20 bytes, 32 base32 characters: " + secret);
        });

        assertEquals(1, keycloak.admin().otpCredentialCount(TestUser.NEWCOMER.username()), "the authenticator is registered");
        assertEquals("[\"member\"]", idToken.path("roles").toString());
        assertEquals(MainstayRealm.ACR_MFA, idToken.path("acr").asText(), "enrolling and using the code counts as level 2: " + idToken);
    }

    @Test
    void a_test_can_bind_the_password_only_flow_to_obtain_a_level_one_token(KeycloakFixture keycloak, Page page) throws Exception {
        KeycloakAdmin admin = keycloak.admin();
        admin.removeClientAttribute("minimum.acr.value");
        admin.bindBrowserFlow(MainstayRealm.PASSWORD_ONLY_FLOW);
        try {
            JsonNode idToken = codeFlow(keycloak, page, () -> keycloak.signIn(page, TestUser.OUTSIDER));
            assertEquals(MainstayRealm.ACR_PASSWORD, idToken.path("acr").asText(), "no second factor, level 1: " + idToken);
            assertEquals("[\"/orgs/globex\"]", idToken.path("groups").toString());
        } finally {
            admin.unbindBrowserFlow();
            admin.setClientAttribute("minimum.acr.value", MainstayRealm.ACR_MFA);
        }
        assertEquals(MainstayRealm.ACR_MFA, admin.clientAttribute("minimum.acr.value"), "the client is restored");
    }

    /** Runs an authorization code flow with PKCE in the browser and returns the ID token's claims. */
    private static JsonNode codeFlow(KeycloakFixture keycloak, Page page, Runnable login) throws Exception {
        code = new CompletableFuture<>();
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
            MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        page.navigate(authorizationRequest(keycloak, challenge));
        login.run();
        String query = code.get(30, TimeUnit.SECONDS);
        assertTrue(query.contains("state=s1"), query);
        String authorizationCode = query.replaceAll(".*[?&]?code=([^&]+).*", "$1");
        assertNotEquals(query, authorizationCode, "the callback carries a code: " + query);

        HttpResponse<String> token = HttpClient.newHttpClient().send(HttpRequest.newBuilder(keycloak.tokenEndpoint())
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                (keycloak.clientId() + ":" + keycloak.clientSecret()).getBytes(StandardCharsets.UTF_8)))
            .POST(HttpRequest.BodyPublishers.ofString("grant_type=authorization_code&code=" + authorizationCode
                + "&redirect_uri=" + encode(redirectUri()) + "&code_verifier=" + verifier))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, token.statusCode(), token.body());
        String idToken = JSON.readTree(token.body()).path("id_token").asText();
        return JSON.readTree(Base64.getUrlDecoder().decode(idToken.split("\\.")[1]));
    }

    private static String authorizationRequest(KeycloakFixture keycloak, String challenge) {
        return keycloak.authorizationEndpoint() + "?response_type=code&scope=openid&client_id=" + keycloak.clientId()
            + "&redirect_uri=" + encode(redirectUri()) + "&state=s1&nonce=n1&code_challenge=" + challenge
            + "&code_challenge_method=S256";
    }

    private static String redirectUri() {
        return "http://127.0.0.1:" + callback.getAddress().getPort() + "/callback";
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
