package dev.mainstay.platform.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.mainstay.testkit.BrowserFixture;
import dev.mainstay.testkit.KeycloakFixture;
import dev.mainstay.testkit.TestUser;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An admin ends every session of a member found by e-mail address, through the blind index of the
 * encrypted address, in real Chromium against a real appliance and Keycloak.
 */
@ExtendWith(BrowserFixture.class)
class EndSessionsTest {

    private static final String EMAIL = TestUser.MEMBER.username() + "@" + TestUser.MEMBER.org() + ".example";

    @Test
    void an_admin_ends_every_session_of_a_member_found_by_email_and_no_other_org_can(BrowserContext context) throws Exception {
        KeycloakFixture keycloak = KeycloakFixture.shared();
        SignedInAppliance appliance = SignedInAppliance.shared();
        SignedInAppliance.Session laptop = appliance.signIn(context, keycloak, TestUser.MEMBER);
        context.clearCookies();
        SignedInAppliance.Session phone = appliance.signIn(context, keycloak, TestUser.MEMBER);
        context.clearCookies();
        assertEquals(200, account(appliance, laptop));
        assertEquals(200, account(appliance, phone));

        List<byte[]> indexes = new ArrayList<>();
        try (Connection c = appliance.database();
             PreparedStatement s = c.prepareStatement("SELECT email_index, position(? in email_index) FROM identity_session"
                 + " WHERE username = ? AND ended_at IS NULL")) {
            s.setBytes(1, EMAIL.getBytes(StandardCharsets.UTF_8));
            s.setString(2, TestUser.MEMBER.username());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    indexes.add(rs.getBytes(1));
                    assertEquals(0, rs.getInt(2), "the address is not in its index");
                }
            }
        }
        assertTrue(indexes.size() >= 2, "the two sessions opened here, and any left open by other tests");
        for (byte[] index : indexes) {
            assertEquals(16, index.length);
            assertArrayEquals(indexes.get(0), index, "the same address gives the same index");
        }

        Page outsider = context.newPage();
        appliance.signIn(outsider, keycloak, TestUser.OUTSIDER, "/orgs/globex/members");
        endSessions(outsider, EMAIL);
        assertTrue(outsider.locator("#end-notice").innerText().contains("No open session of " + EMAIL + " in globex"),
            outsider.content());
        assertEquals(200, account(appliance, laptop), "an admin of another org cannot end acme's member's sessions");
        context.clearCookies();

        Page admin = context.newPage();
        appliance.signIn(admin, keycloak, TestUser.ADMIN, "/orgs/acme/members");
        assertEquals("member", admin.locator("tr", new Page.LocatorOptions().setHasText(EMAIL)).locator("td:nth-child(4)").innerText(),
            "the members page lists each member's roles: " + admin.locator("table").innerText());
        endSessions(admin, "not-an-address");
        assertTrue(admin.locator("#end-error").innerText().contains("e-mail address"), admin.content());
        endSessions(admin, EMAIL.toUpperCase());
        assertEquals("Ended " + indexes.size() + " sessions of " + EMAIL.toUpperCase() + " (member).",
            admin.locator("#end-notice").innerText());

        assertEquals(303, account(appliance, laptop), "the ended session sends its holder to sign in");
        assertEquals(303, account(appliance, phone));
        assertEquals(List.of("0"), openSessionsOfMember(appliance), "none of the member's sessions is left open");
        try (Connection c = appliance.database();
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM audit_event e JOIN identity_session s"
                 + " ON e.target_id = s.id::text WHERE e.action = 'session.end' AND e.actor_name = ? AND e.org = 'acme'"
                 + " AND s.end_reason = 'ended-by-admin' AND s.username = ? AND e.details::text NOT LIKE ?")) {
            s.setString(1, TestUser.ADMIN.username());
            s.setString(2, TestUser.MEMBER.username());
            s.setString(3, "%" + EMAIL + "%");
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                assertEquals(indexes.size(), rs.getInt(1), "each ended session is in the trail, by the admin, without the address");
            }
        }
    }

    private static List<String> openSessionsOfMember(SignedInAppliance appliance) throws Exception {
        List<String> counts = new ArrayList<>();
        try (Connection c = appliance.database();
             PreparedStatement s = c.prepareStatement("SELECT count(*) FROM identity_session WHERE username = ? AND ended_at IS NULL")) {
            s.setString(1, TestUser.MEMBER.username());
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                counts.add(rs.getString(1));
            }
        }
        return counts;
    }

    private static void endSessions(Page page, String email) {
        page.locator("#end-email").fill(email);
        // The browser would refuse a malformed address itself; the server's answer is what is tested.
        page.locator("#end-email").evaluate("e => e.type = 'text'");
        page.waitForNavigation(() -> page.locator("form[action$='/end-sessions'] button[type=submit]").click());
    }

    private static int account(SignedInAppliance appliance, SignedInAppliance.Session session) throws Exception {
        return appliance.http().send(HttpRequest.newBuilder(URI.create(appliance.url("/account")))
            .header("Cookie", session.cookie()).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
