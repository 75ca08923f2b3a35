package dev.mainstay.platform.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import dev.mainstay.testkit.BrowserFixture;
import dev.mainstay.testkit.KeycloakAdmin;
import dev.mainstay.testkit.KeycloakFixture;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code keycloak bootstrap} against the real Keycloak: it sets up an empty realm so that people
 * sign in with a second factor (a new person enrolls OTP; a person with a security key uses it),
 * a second run changes nothing, and the dev realm already is what the bootstrap makes.
 */
@ExtendWith(BrowserFixture.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealmBootstrapTest {

    private static final URI PUBLIC_URL = URI.create("https://mainstay.bootstrap.test");
    private static final String SECRET = "bootstrap-test-client-secret-0123456789";
    private static final String USER = "wendy";
    private static final String PASSWORD = "wendy-Pa55-test";

    private static KeycloakFixture keycloak;
    private static String realm;
    private static KeycloakAdmin realmAdmin;
    private static AccessPolicy access;
    private static AuthenticationPolicy authentication;

    @BeforeAll
    static void start() throws IOException {
        keycloak = KeycloakFixture.shared();
        realm = "bootstrap-" + UUID.randomUUID().toString().substring(0, 8);
        realmAdmin = keycloak.admin().forRealm(realm);
        Path policies = Path.of("..", "policies");
        access = AccessPolicy.read("access.yaml", new StringReader(Files.readString(policies.resolve("access.yaml"))));
        authentication = AuthenticationPolicy.read("authentication.yaml",
            new StringReader(Files.readString(policies.resolve("authentication.yaml"))), access);
    }

    @AfterAll
    static void deleteRealm() {
        if (realmAdmin != null) {
            realmAdmin.deleteRealm();
        }
    }

    private static IdentitySettings settings(URI issuer, URI publicUrl, String clientSecret) {
        return new IdentitySettings(Optional.of(publicUrl), Optional.of(issuer), "mainstay", Optional.of(clientSecret),
            Optional.empty(), Optional.empty());
    }

    private static Policies policies() {
        return new Policies(access, authentication);
    }

    private static KeycloakAdminSettings admin() {
        return new KeycloakAdminSettings("master", "admin-cli", Optional.empty(),
            Optional.of(KeycloakFixture.ADMIN_USERNAME), Optional.of(KeycloakFixture.ADMIN_PASSWORD));
    }

    private static List<String> bootstrap(RealmBootstrap.Mode mode) {
        URI issuer = URI.create(keycloak.baseUri() + "/realms/" + realm);
        return RealmBootstrap.run(settings(issuer, PUBLIC_URL, SECRET), admin(), policies(), mode, Clock.systemUTC(),
            System.out::println);
    }

    @Test
    @Order(1)
    void the_dev_realm_already_has_every_setting_the_bootstrap_applies() {
        IdentitySettings devRealm = settings(keycloak.issuer(), URI.create(keycloak.admin().clientRootUrl()),
            keycloak.clientSecret());
        List<String> changes = RealmBootstrap.run(devRealm, admin(), policies(), RealmBootstrap.Mode.CHECK, Clock.systemUTC(),
            System.out::println);
        assertEquals(List.of(), changes, "the dev realm file and the bootstrap have drifted apart");
    }

    @Test
    @Order(2)
    void bootstrap_sets_up_an_empty_keycloak_and_a_second_run_changes_nothing() {
        List<String> check = bootstrap(RealmBootstrap.Mode.CHECK);
        assertEquals(List.of("realm " + realm + ": create it"), check, "check mode reports and changes nothing");

        List<String> first = bootstrap(RealmBootstrap.Mode.APPLY);
        assertTrue(first.contains("client mainstay: create it"), first.toString());
        assertTrue(first.contains("realm " + realm + ": brute-force detection -> on"), first.toString());
        assertTrue(first.contains("browser flow 'mainstay browser': create it"), first.toString());
        assertTrue(first.contains("user profile: declare the 'github_login' attribute (set by administrators)"), first.toString());

        assertEquals(List.of(), bootstrap(RealmBootstrap.Mode.APPLY), "the second run has nothing left to change");
        assertEquals(List.of(), bootstrap(RealmBootstrap.Mode.CHECK));
    }

    @Test
    @Order(3)
    void bootstrap_puts_back_what_an_administrator_changed() {
        realmAdmin.setClientAttribute("minimum.acr.value", "password");
        realmAdmin.setRedirectUris(List.of("https://elsewhere.test/*"), List.of("+"));

        List<String> check = bootstrap(RealmBootstrap.Mode.CHECK);
        assertTrue(check.contains("client mainstay: redirect URIs -> [" + PUBLIC_URL + "/auth/callback]"), check.toString());
        assertTrue(check.contains("client mainstay: attribute minimum.acr.value -> mfa"), check.toString());

        assertEquals(check, bootstrap(RealmBootstrap.Mode.APPLY));
        assertEquals("mfa", realmAdmin.clientAttribute("minimum.acr.value"));
        assertEquals(List.of(), bootstrap(RealmBootstrap.Mode.CHECK));
    }

    @Test
    @Order(4)
    void in_the_bootstrapped_realm_a_new_person_enrolls_otp_and_later_signs_in_with_a_security_key(BrowserContext context) {
        realmAdmin.createUser(USER, PASSWORD, "/orgs/acme", "admin", List.of("webauthn-register"));
        Page page = context.newPage();
        CDPSession cdp = context.newCDPSession(page);
        cdp.send("WebAuthn.enable");
        JsonObject options = new JsonObject();
        options.addProperty("protocol", "ctap2");
        options.addProperty("transport", "usb");
        options.addProperty("hasResidentKey", true);
        options.addProperty("hasUserVerification", true);
        options.addProperty("isUserVerified", true);
        options.addProperty("automaticPresenceSimulation", true);
        JsonObject authenticator = new JsonObject();
        authenticator.add("options", options);
        cdp.send("WebAuthn.addVirtualAuthenticator", authenticator);

        // First sign-in: password, then Keycloak makes the person set up an OTP app, then register a security key.
        SignInAttempt first = new SignInAttempt(page);
        page.locator("input[name=username]").fill(USER);
        page.locator("input[name=password]").fill(PASSWORD);
        page.waitForNavigation(() -> page.locator("#kc-login").click());
        keycloak.enrollOtp(page);
        assertTrue(page.content().contains("Passkey") || page.content().contains("Security"),
            "after OTP, Keycloak asks to register a security key: " + page.url());
        page.locator("#registerWebAuthn").click();
        first.finish();
        assertEquals(Set.of("password", "otp", "webauthn"), Set.copyOf(realmAdmin.credentialTypes(USER)));

        // Without the OTP app, the security key alone is the second factor.
        realmAdmin.removeOtpCredentials(USER);
        realmAdmin.logOutUser(USER);
        context.clearCookies();
        SignInAttempt second = new SignInAttempt(page);
        page.locator("input[name=username]").fill(USER);
        page.locator("input[name=password]").fill(PASSWORD);
        page.waitForNavigation(() -> page.locator("#kc-login").click());
        assertEquals(0, page.locator("input[name=otp]").count(), "no OTP form for a person whose second factor is a key");
        page.locator("#authenticateWebAuthnButton").click();
        second.finish();
    }

    /**
     * One sign-in through Mainstay's OIDC client: the authorization request Mainstay makes, the
     * browser's arrival at Mainstay's redirect URI (answered here: the appliance is not running),
     * and Mainstay's code exchange and token checks.
     */
    private final class SignInAttempt {
        private final Page page;
        private final OidcClient oidc;
        private final String verifier = UUID.randomUUID() + "-" + UUID.randomUUID();
        private final String nonce = UUID.randomUUID().toString();
        private final AtomicReference<String> callback = new AtomicReference<>();

        SignInAttempt(Page page) {
            this.page = page;
            URI issuer = URI.create(keycloak.baseUri() + "/realms/" + realm);
            this.oidc = new OidcClient(settings(issuer, PUBLIC_URL, SECRET), Clock.systemUTC());
            page.route(PUBLIC_URL + "/**", route -> {
                callback.set(route.request().url());
                route.fulfill(new com.microsoft.playwright.Route.FulfillOptions().setStatus(200).setBody("signed in"));
            });
            page.navigate(oidc.authorizationUri("state-1", nonce, SignIn.challenge(verifier), authentication.requiredAcr(),
                Optional.empty()).toString());
        }

        void finish() {
            page.waitForURL(url -> url.startsWith(PUBLIC_URL.toString()));
            String code = null;
            for (String param : URI.create(callback.get()).getRawQuery().split("&")) {
                if (param.startsWith("code=")) {
                    code = URLDecoder.decode(param.substring(5), StandardCharsets.UTF_8);
                }
            }
            assertFalse(code == null, "Keycloak redirected with a code: " + callback.get());
            IdToken token = oidc.exchange(code, verifier, nonce).idToken();
            assertEquals(Optional.of("mfa"), token.acr(), "the sign-in reached level 2");
            assertEquals(Optional.empty(), token.refusal(authentication), "Mainstay accepts the session");
            assertEquals(List.of("acme"), token.orgs());
            assertEquals(List.of("admin"), token.roles());
            page.unrouteAll();
        }
    }
}
