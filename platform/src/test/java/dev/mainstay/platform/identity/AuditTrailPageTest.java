package dev.mainstay.platform.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.mainstay.testkit.BrowserFixture;
import dev.mainstay.testkit.KeycloakFixture;
import dev.mainstay.testkit.TestUser;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The audit trail page, as an org's auditor and as an admin of another org see it, in real Chromium. */
@ExtendWith(BrowserFixture.class)
class AuditTrailPageTest {

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
    void an_auditor_filters_the_orgs_events_and_has_the_trail_verified(BrowserContext context) {
        Page admin = context.newPage();
        signIn(admin, TestUser.ADMIN, "/orgs/acme/tokens");
        admin.locator("#token-name").fill("seen by the auditor");
        admin.locator("#scope-identity-read").check();
        admin.waitForNavigation(() -> admin.locator("form.stacked button[type=submit]").click());
        context.clearCookies();

        Page page = context.newPage();
        signIn(page, TestUser.AUDITOR, "/audit");
        assertEquals("Audit trail", page.locator("h1").innerText());
        assertTrue(page.locator("nav.side-nav").innerText().contains("Audit trail"), "the auditor's navigation offers the page");
        Locator made = page.locator("#audit-events tr", new Page.LocatorOptions().setHasText("token.create"))
            .filter(new Locator.FilterOptions().setHasText("name=seen by the auditor"));
        assertEquals(1, made.count(), page.content());
        assertTrue(made.innerText().contains("admin"), made.innerText());
        assertTrue(made.innerText().contains("acme"), made.innerText());

        page.locator("#f-action").fill("session.*");
        page.waitForNavigation(() -> page.locator("form.filters button[type=submit]").click());
        List<String> actions = page.locator("#audit-events tbody td:nth-child(4)").allInnerTexts();
        assertFalse(actions.isEmpty(), page.content());
        assertTrue(actions.stream().allMatch(a -> a.startsWith("session.")), actions.toString());
        assertTrue(page.url().contains("action=session.*"), "filters live in the URL, so a view can be shared: " + page.url());

        page.waitForNavigation(() -> page.locator("#verification button[type=submit]").click());
        String status = page.locator("#verification").innerText();
        assertTrue(status.contains("Intact"), status);
        page.locator("#f-action").fill("audit.verify");
        page.locator("#f-actor").fill("auditor");
        page.waitForNavigation(() -> page.locator("form.filters button[type=submit]").click());
        assertTrue(page.locator("#audit-events tbody tr").first().innerText().contains("intact=true"),
            "the verification is itself in the trail: " + page.locator("#audit-events").innerText());
    }

    @Test
    void an_admin_of_another_org_sees_none_of_acmes_events(Page page) {
        signIn(page, TestUser.OUTSIDER, "/audit");

        List<String> orgs = page.locator("#audit-events tbody td:nth-child(6)").allInnerTexts();
        assertTrue(orgs.stream().noneMatch(o -> o.equals("acme")), orgs.toString());
        page.navigate(appliance.url("/audit?org=acme"));
        assertTrue(page.locator("p.notice-error").innerText().contains("you do not belong to an org 'acme'"), page.content());
        assertEquals(0, page.locator("#audit-events tbody tr", new Page.LocatorOptions().setHasText("token.")).count());
    }
}
