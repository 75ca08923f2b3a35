package dev.mainstay.platform.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.mainstay.testkit.BrowserFixture;
import dev.mainstay.testkit.KeycloakAdmin;
import dev.mainstay.testkit.KeycloakFixture;
import dev.mainstay.testkit.TestUser;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Keycloak's own sign-in events reach the audit trail: a mistyped password and the sign-in that
 * follows, pulled from the real Keycloak by the running appliance, each exactly once.
 */
@ExtendWith(BrowserFixture.class)
class KeycloakEventsTest {

    @Test
    void a_failed_and_a_successful_sign_in_at_keycloak_are_pulled_into_the_trail_once_each(Page page) throws Exception {
        SignedInAppliance appliance = SignedInAppliance.shared();
        KeycloakFixture keycloak = KeycloakFixture.shared();
        Instant started = Instant.now().minusSeconds(1);

        page.navigate(appliance.url("/account"));
        page.locator("input[name=username]").fill(TestUser.MAINTAINER.username());
        page.locator("input[name=password]").fill("not-the-password");
        page.waitForNavigation(() -> page.locator("#kc-login").click());
        keycloak.signIn(page, TestUser.MAINTAINER);
        page.waitForURL(url -> url.startsWith(appliance.url("/account")));

        List<String> pulled = awaitEvents(appliance, started, 2, Duration.ofSeconds(30));
        assertTrue(pulled.contains("keycloak.login failure maintainer error=invalid_user_credentials"), pulled.toString());
        assertTrue(pulled.contains("keycloak.login success maintainer error="), pulled.toString());

        Thread.sleep(2_500); // further pulls (every second) must not take the same events again
        try (Connection c = appliance.database(); PreparedStatement s = c.prepareStatement(
            "SELECT count(*) FROM (SELECT details::jsonb ->> 'keycloak_event_id' FROM audit_event WHERE action LIKE 'keycloak.%'"
                + " GROUP BY 1 HAVING count(*) > 1) AS twice"); ResultSet rs = s.executeQuery()) {
            rs.next();
            assertEquals(0, rs.getInt(1), "no Keycloak event is in the trail twice");
        }
        try (Connection c = appliance.database(); PreparedStatement s = c.prepareStatement(
            "SELECT position FROM audit_cursor WHERE source = 'keycloak-events'"); ResultSet rs = s.executeQuery()) {
            assertTrue(rs.next(), "the cursor is stored");
            long millis = Long.parseLong(rs.getString(1).substring(0, rs.getString(1).indexOf(':')));
            assertTrue(millis >= started.toEpochMilli(), "the cursor moved past the new events: " + rs.getString(1));
        }
    }

    /**
     * Regression: the audit page showed a Keycloak event at the time Mainstay pulled it into the
     * trail (up to an interval later, and after any pause of the pull), not when it happened.
     */
    @Test
    void the_audit_page_shows_a_keycloak_sign_in_at_the_time_it_happened_and_beside_it_when_it_was_recorded(Page page)
        throws Exception {
        SignedInAppliance appliance = SignedInAppliance.shared();
        Instant started = Instant.now().minusSeconds(1);
        String auditor = TestUser.AUDITOR.username();
        appliance.signIn(page, KeycloakFixture.shared(), TestUser.AUDITOR, "/audit");
        String seq = appliance.await("the auditor's Keycloak sign-in in the trail", "SELECT seq FROM audit_event"
            + " WHERE action = 'keycloak.login' AND actor_name = ? AND (details::jsonb ->> 'occurred_at')::timestamptz >= ?"
            + " ORDER BY seq DESC LIMIT 1", auditor, java.sql.Timestamp.from(started));
        String occurred = appliance.column("SELECT details::jsonb ->> 'occurred_at' FROM audit_event WHERE seq = ?",
            Long.parseLong(seq)).getFirst();
        Instant recorded = Instant.EPOCH.plus(Long.parseLong(appliance.column(
            "SELECT CAST(extract(epoch FROM time) * 1000000 AS bigint) FROM audit_event WHERE seq = ?", Long.parseLong(seq)).getFirst()),
            ChronoUnit.MICROS);
        assertTrue(Instant.parse(occurred).isBefore(recorded), "pulled after it happened: " + occurred + " < " + recorded);

        page.navigate(appliance.url("/audit?action=keycloak.login&actor=" + auditor));
        Locator when = page.locator("#audit-events tbody tr:has(td:first-child:text-is('" + seq + "')) td.when");
        assertEquals(occurred, when.locator(":scope > time").getAttribute("datetime"), "the time shown is Keycloak's: " + when.innerHTML());
        assertEquals(recorded.truncatedTo(ChronoUnit.MILLIS).toString(), when.locator(".recorded time").getAttribute("datetime"),
            "and when the trail recorded it is beside it");
        assertTrue(when.innerText().contains("recorded "), when.innerText());
    }

    @Test
    void a_person_made_added_to_an_org_given_a_role_and_removed_in_keycloak_is_in_the_trail() throws Exception {
        SignedInAppliance appliance = SignedInAppliance.shared();
        KeycloakAdmin admin = KeycloakFixture.shared().admin();
        String username = "probe-" + Long.toString(System.nanoTime(), 36);
        admin.createUser(username, "probe-password-1", "/orgs/initech", "member", List.of());
        String subject = admin.subject(username);
        admin.revokeClientRole(username, "member");
        admin.deleteUser(username);

        List<String> expected = List.of(
            "keycloak.admin.user.create org= " + "users/" + subject,
            "keycloak.admin.group-membership.create org=initech group=/orgs/initech",
            "keycloak.admin.client-role-mapping.create org= roles=member",
            "keycloak.admin.client-role-mapping.delete org= roles=member",
            "keycloak.admin.user.delete org= " + "users/" + subject);
        Instant deadline = Instant.now().plusSeconds(30);
        List<String> found = List.of();
        while (Instant.now().isBefore(deadline) && found.size() < expected.size()) {
            found = adminEvents(appliance, subject);
            Thread.sleep(250);
        }
        assertEquals(expected, found, "each change once, in the order it was made");
        try (Connection c = appliance.database(); PreparedStatement s = c.prepareStatement(
            "SELECT count(*) FROM audit_event WHERE details::jsonb ->> 'subject' = ? AND (details LIKE '%@%' OR details LIKE '%" + username
                + "%' OR actor_id = '')")) {
            s.setString(1, subject);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                assertEquals(0, rs.getInt(1), "the person's address and name stay out of the trail, and each change names who made it");
            }
        }
    }

    /** The trail's admin events about {@code subject}: action, org, and the group, roles or target. */
    private static List<String> adminEvents(SignedInAppliance appliance, String subject) throws SQLException {
        return appliance.column("SELECT action || ' org=' || org || ' ' || coalesce('group=' || (details::jsonb ->> 'group'),"
            + " 'roles=' || (details::jsonb ->> 'roles'), target_id)"
            + " FROM audit_event WHERE action LIKE 'keycloak.admin.%' AND details::jsonb ->> 'subject' = ? ORDER BY seq", subject);
    }

    @Test
    void the_trail_reaches_the_siem_file_in_order_each_event_once() throws Exception {
        SignedInAppliance appliance = SignedInAppliance.shared();
        long head;
        try (Connection c = appliance.database(); PreparedStatement s = c.prepareStatement("SELECT seq FROM audit_head");
             ResultSet rs = s.executeQuery()) {
            rs.next();
            head = rs.getLong(1);
        }
        assertTrue(head > 0, "the appliance has recorded events (its sign-ins at least)");
        Instant deadline = Instant.now().plusSeconds(20);
        List<Long> seqs = List.of();
        while (Instant.now().isBefore(deadline)) {
            seqs = java.nio.file.Files.exists(appliance.siemFile()) ? java.nio.file.Files.readAllLines(appliance.siemFile()).stream()
                .map(l -> Long.parseLong(l.replaceFirst("^.*?\"seq\":(\\d+).*$", "$1"))).toList() : List.of();
            if (seqs.size() >= head) {
                break;
            }
            Thread.sleep(250);
        }
        assertTrue(seqs.size() >= head, "delivered " + seqs.size() + " of " + head);
        for (int i = 0; i < seqs.size(); i++) {
            assertEquals(i + 1, seqs.get(i), "event " + (i + 1) + " delivered once, in order");
        }
    }

    /** The maintainer's Keycloak sign-in events recorded after {@code since}, once at least {@code n} arrived. */
    private static List<String> awaitEvents(SignedInAppliance appliance, Instant since, int n, Duration limit) throws Exception {
        Instant deadline = Instant.now().plus(limit);
        List<String> found = new ArrayList<>();
        while (Instant.now().isBefore(deadline)) {
            found = events(appliance, since);
            if (found.size() >= n) {
                return found;
            }
            Thread.sleep(250);
        }
        return found;
    }

    private static List<String> events(SignedInAppliance appliance, Instant since) throws SQLException {
        return appliance.column("SELECT action || ' ' || outcome || ' ' || actor_name || ' error=' || coalesce(details::jsonb ->> 'error', '')"
            + " FROM audit_event WHERE action = 'keycloak.login' AND actor_name = ?"
            + " AND (details::jsonb ->> 'occurred_at')::timestamptz >= ? ORDER BY seq",
            TestUser.MAINTAINER.username(), java.sql.Timestamp.from(since));
    }
}
