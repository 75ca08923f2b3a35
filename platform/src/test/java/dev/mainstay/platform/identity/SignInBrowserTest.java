package dev.mainstay.platform.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Page;
import dev.mainstay.devservices.MainstayRealm;
import dev.mainstay.testkit.ApplianceProcess;
import dev.mainstay.testkit.BrowserFixture;
import dev.mainstay.testkit.KeycloakFixture;
import dev.mainstay.testkit.PlaintextScan;
import dev.mainstay.testkit.TempDirs;
import dev.mainstay.testkit.TestUser;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * People signing in through the real Keycloak login form, in real Chromium, against the
 * appliance in dev mode: second factor enforced by Mainstay, step-up for sensitive actions,
 * sign-out, and loss of access when Keycloak disables the person.
 */
@ExtendWith(BrowserFixture.class)
class SignInBrowserTest {

    private static final Pattern TOKEN = Pattern.compile("msy_[0-9A-Za-z]{38}");

    private static KeycloakFixture keycloak;
    private static SignedInAppliance appliance;

    @BeforeAll
    static void start() {
        keycloak = KeycloakFixture.shared();
        appliance = SignedInAppliance.shared();
    }

    private void signIn(Page page, TestUser user, String path) {
        appliance.signIn(page, keycloak, user, path);
    }

    @Test
    void a_new_users_first_sign_in_forces_otp_enrollment_and_then_reaches_the_ui(Page page) {
        page.navigate(appliance.url("/account"));
        page.locator("input[name=username]").fill(TestUser.NEWCOMER.username());
        page.locator("input[name=password]").fill(TestUser.NEWCOMER.password());
        page.waitForNavigation(() -> page.locator("#kc-login").click());

        assertTrue(page.locator("#kc-totp-settings-form").count() > 0,
            "Keycloak makes a new user set up an authenticator first: " + page.url());
        keycloak.enrollOtp(page);

        page.waitForURL(url -> url.startsWith(appliance.baseUri().toString()));
        assertEquals(appliance.url("/account"), page.url(), page.content());
        assertEquals("Your account", page.locator("h1").innerText());
        assertTrue(page.locator("dl.facts").innerText().contains("newcomer"), page.content());
    }

    @Test
    void password_and_otp_reach_the_account_page_and_sign_out_ends_the_session(Page page) {
        signIn(page, TestUser.ADMIN, "/account");

        assertEquals(appliance.url("/account"), page.url());
        String facts = page.locator("dl.facts").innerText();
        assertTrue(facts.contains("admin"), facts);
        assertTrue(facts.contains("acme"), "the org from the Keycloak group /orgs/acme: " + facts);
        assertTrue(facts.contains("acr " + MainstayRealm.ACR_MFA), "the second factor in use: " + facts);

        page.waitForNavigation(() -> page.locator("main form button").click());
        page.waitForURL(url -> url.endsWith("/auth/signed-out"));
        assertEquals("You are signed out", page.locator("h1").innerText());

        page.navigate(appliance.url("/account"));
        assertTrue(page.locator("input[name=username]").count() > 0,
            "the Keycloak session ended too, so Keycloak asks for credentials again: " + page.url());
    }

    @Test
    void a_signed_in_persons_name_email_and_id_token_are_in_the_database_only_encrypted(Page page) throws Exception {
        signIn(page, TestUser.MAINTAINER, "/account");
        String facts = page.locator("dl.facts").innerText();
        assertTrue(facts.contains("Max Maintainer") && facts.contains("maintainer@acme.example"),
            "the session decrypts them for the page: " + facts);

        try (Connection db = appliance.database()) {
            assertTrue(PlaintextScan.columnsContaining(db, "maintainer").contains("identity_session.username"),
                "the scan finds what is stored in plaintext (the username is)");
            assertEquals(List.of(), PlaintextScan.columnsContaining(db, "maintainer@acme.example"), "the e-mail address");
            assertEquals(List.of(), PlaintextScan.columnsContaining(db, "Max Maintainer"), "the name");
            assertEquals(List.of(), PlaintextScan.columnsContaining(db, "Maintainer"), "the last name");
            assertEquals(List.of(), PlaintextScan.columnsContaining(db, "eyJhbGciOi"), "any JWT, the ID token included");
        }
    }

    @Test
    void a_member_cannot_open_org_admin_pages(Page page) {
        signIn(page, TestUser.MEMBER, "/account");
        assertFalse(page.locator("nav").innerText().contains("API tokens"), "no link to pages the member cannot open");

        var tokens = page.navigate(appliance.url("/orgs/acme/tokens"));
        assertEquals(403, tokens.status());
        assertEquals("Not allowed", page.locator("h1").innerText());
        var members = page.navigate(appliance.url("/orgs/acme/members"));
        assertEquals(403, members.status());
    }

    @Test
    void a_sign_in_without_a_second_factor_is_refused_by_mainstay_even_when_keycloak_allows_it(Page page) {
        // Keycloak misconfigured: the client's browser flow asks for a password only, and no minimum acr.
        keycloak.admin().bindBrowserFlow(MainstayRealm.PASSWORD_ONLY_FLOW);
        String minimumAcr = keycloak.admin().clientAttribute("minimum.acr.value");
        keycloak.admin().removeClientAttribute("minimum.acr.value");
        try {
            page.navigate(appliance.url("/account"));
            page.locator("input[name=username]").fill(TestUser.MAINTAINER.username());
            page.locator("input[name=password]").fill(TestUser.MAINTAINER.password());
            page.waitForNavigation(() -> page.locator("#kc-login").click());
            page.waitForURL(url -> url.startsWith(appliance.baseUri().toString()));

            assertEquals("Second factor required", page.locator("h1").innerText(), page.content());
            assertTrue(page.locator("[role=alert]").innerText().contains("requires level 2"), page.content());
            var account = page.navigate(appliance.url("/account"));
            assertTrue(account.url().startsWith(keycloak.baseUri().toString()), "no session was granted: " + account.url());
        } finally {
            keycloak.admin().unbindBrowserFlow();
            if (minimumAcr != null) {
                keycloak.admin().setClientAttribute("minimum.acr.value", minimumAcr);
            }
        }
    }

    @Test
    void a_sensitive_action_with_an_old_sign_in_sends_the_person_to_sign_in_again(Page page) throws InterruptedException {
        signIn(page, TestUser.ADMIN, "/orgs/acme/tokens");
        page.locator("#token-name").fill("step-up pipeline");
        page.locator("#scope-uploads-write").check();
        Thread.sleep(STEP_UP_WAIT.toMillis());

        page.waitForNavigation(() -> page.locator("form.stacked button[type=submit]").click());
        assertTrue(page.url().startsWith(keycloak.baseUri().toString()) && page.url().contains("prompt=login"),
            "the old sign-in is not enough; Keycloak must ask again: " + page.url());
        assertTrue(page.locator("input[name=password]").count() > 0, "credentials are asked again, not SSO'd through");

        keycloak.signIn(page, TestUser.ADMIN);
        page.waitForURL(url -> url.startsWith(appliance.url("/continue/")));
        String kept = page.url();
        assertTrue(page.locator(".pending-form").innerText().contains("step-up pipeline"),
            "the submitted form survived the sign-in and is shown before it is sent: " + page.content());
        page.waitForNavigation(() -> page.locator("#continue-form button[type=submit]").click());
        assertTrue(TOKEN.matcher(page.locator("#new-token").inputValue()).matches(), "the token is made without filling the form again");
        assertTrue(page.locator("table").innerText().contains("step-up pipeline"), "with the name that was typed before the sign-in");

        page.navigate(kept);
        assertTrue(page.locator("[role=alert]").innerText().contains("There is no form waiting here"),
            "a kept form is offered back once, never replayed: " + page.content());
    }

    @Test
    void a_new_token_comes_with_a_copy_button_and_the_commands_to_try_it(Page page) {
        page.context().grantPermissions(List.of("clipboard-read", "clipboard-write"));
        signIn(page, TestUser.ADMIN, "/orgs/acme/tokens");
        page.locator("#token-name").fill("copied pipeline");
        page.locator("#scope-uploads-write").check();
        page.locator("#scope-tests-read").check();
        page.waitForNavigation(() -> page.locator("form.stacked button[type=submit]").click());
        String token = page.locator("#new-token").inputValue();

        page.locator("[data-copy='#new-token']").click();
        page.waitForCondition(() -> "Copied".equals(page.locator("[data-copy='#new-token']").innerText()));
        assertEquals(token, page.evaluate("navigator.clipboard.readText()"), "the button copies the token");

        String steps = page.locator("#next-steps").innerText();
        assertTrue(steps.startsWith("export MAINSTAY_TOKEN=" + token + "\n"), steps);
        // This appliance's certificate comes from a private CA, which Mainstay does not hold: no --ca-cert is
        // suggested (ClientHintsTest: dev mode's self-signed one is).
        assertTrue(steps.contains("java -jar mainstay-cli.jar upload --url " + appliance.baseUri().toString().replaceAll("/$", "")
            + " --junit '**/TEST-*.xml'\n"), steps);
        assertTrue(steps.contains("/api/v1/orgs/acme/tests?status=flaky"), "a curl line for each scope it has: " + steps);
        assertFalse(steps.contains("whoami"), "no command the token may not run: " + steps);
    }

    @Test
    void an_org_admin_revokes_a_token_in_place_and_it_stops_working(Page page) throws Exception {
        signIn(page, TestUser.ADMIN, "/orgs/acme/tokens");
        page.locator("#token-name").fill("to be revoked");
        page.locator("#scope-identity-read").check();
        page.waitForNavigation(() -> page.locator("form.stacked button[type=submit]").click());
        String token = page.locator("#new-token").inputValue();
        assertEquals(200, whoami(token).statusCode(), "the new token works");

        page.evaluate("window.mainstayTestMarker = 'same page'");
        page.onDialog(dialog -> dialog.accept());
        page.locator("tr", new Page.LocatorOptions().setHasText("to be revoked")).locator("button.danger").click();
        page.locator("tr", new Page.LocatorOptions().setHasText("to be revoked")).locator("td.state-revoked").waitFor();

        assertEquals("same page", page.evaluate("window.mainstayTestMarker"), "htmx swapped the row; the page did not reload");
        assertEquals(401, whoami(token).statusCode(), "a revoked token is refused");
        assertTrue(whoami(token).body().contains("revoked"));

        try (Connection db = appliance.database(); var s = db.prepareStatement("SELECT action, actor_type, actor_name, acr, org,"
            + " target_type, outcome, source_address <> '' AND user_agent LIKE '%Chrome%' FROM audit_event"
            + " WHERE target_id = (SELECT id::text FROM identity_api_token WHERE name = 'to be revoked') ORDER BY seq");
             var rs = s.executeQuery()) {
            List<String> rows = new java.util.ArrayList<>();
            while (rs.next()) {
                rows.add(String.join(" ", rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                    rs.getString(6), rs.getString(7), Boolean.toString(rs.getBoolean(8))));
            }
            assertEquals(List.of("token.create user admin mfa acme api-token success true",
                "token.revoke user admin mfa acme api-token success true",
                "token.use api-token to be revoked  acme api-token denied false",
                "token.use api-token to be revoked  acme api-token denied false"), rows,
                "both changes are in the audit trail, with who and from where, and so is each use of the revoked token");
        }
    }

    @Test
    void the_running_appliances_audit_trail_verifies_and_exports_a_segment_that_verifies_alone(Page page) throws Exception {
        signIn(page, TestUser.MEMBER, "/account");
        Path key = appliance.dataDir().resolve("audit-signing.pem");
        Path dir = TempDirs.create("mainstay-audit-cli-");
        ApplianceProcess.Completed verified = ApplianceProcess.runToCompletion(dir.resolve("verify.log"), Map.of(), CLI,
            "audit", "verify", "--jdbc-url", appliance.jdbcUrl(), "--public-key", key.toString());
        assertEquals(0, verified.exitCode(), verified.output());
        assertTrue(verified.output().contains("intact: "), verified.output());

        String url = appliance.jdbcUrl();
        Path config = Files.writeString(dir.resolve("mainstay.properties"), "mainstay.db.url=" + url.substring(0, url.indexOf('?'))
            + "\nmainstay.db.user=postgres\nmainstay.audit.signing-key=" + key + "\n");
        Path export = dir.resolve("trail.jsonl");
        ApplianceProcess.Completed exported = ApplianceProcess.runToCompletion(dir.resolve("export.log"), Map.of(), CLI,
            "audit", "export", "--config", config.toString(), "--from", "2020-01-01", "--to", "2100-12-31", "--out", export.toString());
        assertEquals(0, exported.exitCode(), exported.output());
        assertTrue(exported.output().contains("signed checkpoint(s) to " + export), exported.output());
        List<String> lines = Files.readAllLines(export);
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"action\":\"session.open\"") && l.contains("\"actorName\":\"member\"")),
            "the member's sign-in is in the export");
        try (Connection c = appliance.database();
             PreparedStatement s = c.prepareStatement("SELECT actor_type, target_id, details FROM audit_event WHERE action = 'audit.export'"
                 + " ORDER BY seq DESC LIMIT 1");
             ResultSet rs = s.executeQuery()) {
            assertTrue(rs.next(), "the export, a read of the whole trail, is itself recorded");
            assertEquals("operator", rs.getString(1));
            assertEquals("trail.jsonl", rs.getString(2));
            assertTrue(rs.getString(3).contains("\"from\":\"2020-01-01T00:00:00Z\""), rs.getString(3));
        }

        Path publicKey = dir.resolve("audit-public.pem");
        ApplianceProcess.Completed printed = ApplianceProcess.runToCompletion(dir.resolve("pk.log"), Map.of(), CLI,
            "audit", "public-key", "--config", config.toString());
        Files.writeString(publicKey, printed.output());
        ApplianceProcess.Completed alone = ApplianceProcess.runToCompletion(dir.resolve("verify-file.log"), Map.of(), CLI,
            "audit", "verify", "--file", export.toString(), "--public-key", publicKey.toString());
        assertEquals(0, alone.exitCode(), alone.output());

        int edited = java.util.stream.IntStream.range(0, lines.size()).filter(i -> lines.get(i).contains("\"outcome\":\"success\""))
            .findFirst().orElseThrow();
        lines.set(edited, lines.get(edited).replace("\"outcome\":\"success\"", "\"outcome\":\"denied\""));
        Files.write(export, lines);
        ApplianceProcess.Completed tampered = ApplianceProcess.runToCompletion(dir.resolve("verify-bad.log"), Map.of(), CLI,
            "audit", "verify", "--file", export.toString(), "--public-key", publicKey.toString());
        assertEquals(5, tampered.exitCode(), tampered.output());
        assertTrue(tampered.output().contains("NOT intact at seq "), tampered.output());
    }

    private static final Duration CLI = Duration.ofSeconds(60);

    private static final Duration STEP_UP_WAIT = SignedInAppliance.STEP_UP_MAX_AGE.plusSeconds(2);

    @Test
    void disabling_a_person_in_keycloak_ends_their_session_and_their_api_tokens(Page page) throws Exception {
        signIn(page, TestUser.AUDITOR, "/account");
        // The auditor cannot make tokens; the org admin makes one, and is then disabled.
        Page adminPage = page.context().browser().newContext(new com.microsoft.playwright.Browser.NewContextOptions()
            .setIgnoreHTTPSErrors(true)).newPage();
        signIn(adminPage, TestUser.OUTSIDER, "/orgs/globex/tokens");
        adminPage.locator("#token-name").fill("globex ci");
        adminPage.locator("#scope-identity-read").check();
        adminPage.waitForNavigation(() -> adminPage.locator("form.stacked button[type=submit]").click());
        Matcher made = TOKEN.matcher(adminPage.locator("#new-token").inputValue());
        assertTrue(made.matches(), adminPage.content());
        String token = made.group();
        assertEquals(200, whoami(token).statusCode(), "the token works while its creator is enabled");

        keycloak.admin().setUserEnabled(TestUser.OUTSIDER.username(), false);
        keycloak.admin().setUserEnabled(TestUser.AUDITOR.username(), false);
        try {
            Instant disabled = Instant.now();
            Duration limit = Duration.ofSeconds(60);
            boolean sessionEnded = false;
            boolean tokenStopped = false;
            while (Duration.between(disabled, Instant.now()).compareTo(limit) < 0 && !(sessionEnded && tokenStopped)) {
                Thread.sleep(1000);
                if (!sessionEnded) {
                    var response = page.navigate(appliance.url("/account"));
                    sessionEnded = !response.url().startsWith(appliance.url("/account"));
                }
                if (!tokenStopped) {
                    tokenStopped = whoami(token).statusCode() == 401;
                }
            }
            Duration took = Duration.between(disabled, Instant.now());
            assertTrue(sessionEnded, "the disabled person's UI session ended within 60 s");
            assertTrue(tokenStopped, "the disabled creator's API token stopped working within 60 s");
            assertTrue(took.compareTo(SignedInAppliance.REVALIDATE_EVERY.multipliedBy(3)) < 0,
                "access ended within the policy's revalidation interval, took " + took);
            HttpResponse<String> refused = whoami(token);
            assertTrue(refused.body().contains("disabled or no longer in its org"), refused.body());
        } finally {
            keycloak.admin().setUserEnabled(TestUser.OUTSIDER.username(), true);
            keycloak.admin().setUserEnabled(TestUser.AUDITOR.username(), true);
            adminPage.context().close();
        }
    }

    private static HttpResponse<String> whoami(String token) throws Exception {
        return appliance.http().send(HttpRequest.newBuilder(URI.create(appliance.url("/api/v1/whoami")))
            .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
