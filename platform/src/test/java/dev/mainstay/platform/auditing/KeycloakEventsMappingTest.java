package dev.mainstay.platform.auditing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.audit.AuditEvent;
import dev.mainstay.platform.identity.KeycloakDirectory;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How a Keycloak event reads in the trail, and how the pull's cursor steps over events it took. */
class KeycloakEventsMappingTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    private static KeycloakDirectory.UserEvent event(String id, long time, String type, String error) {
        return new KeycloakDirectory.UserEvent(id, time, type, "sub-1", "ana", "kc-session", "mainstay", "10.1.2.3", error,
            Map.of("username", "ana", "auth_method", "openid-connect", "redirect_uri", "https://m/auth/callback"));
    }

    @Test
    void a_failed_sign_in_is_a_keycloak_login_failure_with_keycloaks_time_and_error_in_the_details() {
        AuditEvent e = KeycloakEvents.auditEvent(event("e1", 1_700_000_000_123L, "LOGIN_ERROR", "invalid_user_credentials"), NOW);

        assertEquals("keycloak.login", e.action());
        assertEquals(AuditEvent.Outcome.FAILURE, e.outcome());
        assertEquals(NOW, e.time(), "the trail's time is when Mainstay recorded it");
        assertEquals(new AuditEvent.Actor("user", "sub-1", "ana", "", "openid-connect"), e.actor());
        assertEquals("10.1.2.3", e.request().sourceAddress());
        assertEquals(new AuditEvent.Target("keycloak-session", "kc-session"), e.target());
        assertEquals(Map.of("occurred_at", "2023-11-14T22:13:20.123Z", "keycloak_event_id", "e1", "client", "mainstay",
            "error", "invalid_user_credentials", "auth_method", "openid-connect", "redirect_uri", "https://m/auth/callback"), e.details());
    }

    @Test
    void the_audit_page_takes_a_keycloak_events_own_time_and_a_mainstay_events_record_time() {
        AuditEvent pulled = KeycloakEvents.auditEvent(event("e5", 1_700_000_000_123L, "LOGIN", ""), NOW);
        assertEquals(Optional.of(Instant.parse("2023-11-14T22:13:20.123Z")), AuditPages.occurredAt(pulled),
            "a Keycloak event happened before it was pulled, and is shown at that time");
        AuditEvent own = new AuditEvent(NOW, AuditEvent.Actor.system("test"), new AuditEvent.Request("", "", "", ""), "", "audit.verify",
            new AuditEvent.Target("audit-trail", "appliance"), AuditEvent.Outcome.SUCCESS, Map.of("intact", "true"));
        assertEquals(Optional.empty(), AuditPages.occurredAt(own), "Mainstay's own events happened when recorded");
    }

    @Test
    void second_factor_changes_and_sign_outs_keep_keycloaks_type_in_the_action() {
        assertEquals("keycloak.update-credential", KeycloakEvents.auditEvent(event("e2", 1, "UPDATE_CREDENTIAL", ""), NOW).action());
        assertEquals("keycloak.remove-totp", KeycloakEvents.auditEvent(event("e3", 1, "REMOVE_TOTP", ""), NOW).action());
        AuditEvent logout = KeycloakEvents.auditEvent(event("e4", 1, "LOGOUT", ""), NOW);
        assertEquals("keycloak.logout", logout.action());
        assertEquals(AuditEvent.Outcome.SUCCESS, logout.outcome());
    }

    @Test
    void the_cursor_skips_what_it_took_including_other_events_of_the_same_millisecond() {
        KeycloakEvents.Cursor cursor = KeycloakEvents.Cursor.START.after(event("a", 100, "LOGIN", "")).after(event("b", 100, "LOGIN", ""));

        assertEquals("100:a,b", cursor.position());
        assertEquals(cursor, KeycloakEvents.Cursor.parse(cursor.position()), "stored and read back");
        assertTrue(cursor.covers(event("a", 100, "LOGIN", "")));
        assertTrue(cursor.covers(event("z", 99, "LOGIN", "")), "older events were taken before");
        assertFalse(cursor.covers(event("c", 100, "LOGIN", "")), "a third event in the same millisecond is new");
        assertFalse(cursor.covers(event("d", 101, "LOGIN", "")));
        assertEquals(new KeycloakEvents.Cursor(101, Set.of("d")), cursor.after(event("d", 101, "LOGIN", "")));
    }

    private static KeycloakDirectory.AdminEvent admin(String type, String operation, String path, String representation) {
        return new KeycloakDirectory.AdminEvent("a1", 1_700_000_000_000L, operation, type, path, "realm-1", "admin-sub",
            "console-client", "10.9.8.7", "", representation);
    }

    @Test
    void a_granted_role_names_the_role_and_the_person_and_belongs_to_no_org() {
        AuditEvent e = KeycloakEvents.auditEvent(admin("CLIENT_ROLE_MAPPING", "CREATE", "users/sub-7/role-mappings/clients/c-uuid",
            "[{\"id\":\"r1\",\"name\":\"admin\",\"clientRole\":true},{\"id\":\"r2\",\"name\":\"auditor\"}]"), "root", NOW);

        assertEquals("keycloak.admin.client-role-mapping.create", e.action());
        assertEquals(new AuditEvent.Actor("user", "admin-sub", "root", "", ""), e.actor());
        assertEquals("10.9.8.7", e.request().sourceAddress());
        assertEquals("", e.org(), "client roles are appliance-wide");
        assertEquals(new AuditEvent.Target("keycloak-client-role-mapping", "users/sub-7/role-mappings/clients/c-uuid"), e.target());
        assertEquals(AuditEvent.Outcome.SUCCESS, e.outcome());
        assertEquals(Map.of("occurred_at", "2023-11-14T22:13:20Z", "keycloak_event_id", "a1", "auth_realm", "realm-1",
            "auth_client", "console-client", "subject", "sub-7", "roles", "admin,auditor"), e.details());
    }

    @Test
    void joining_an_org_group_puts_the_event_in_that_org() {
        AuditEvent joined = KeycloakEvents.auditEvent(admin("GROUP_MEMBERSHIP", "CREATE", "users/sub-7/groups/g-uuid",
            "{\"id\":\"g-uuid\",\"name\":\"acme\",\"path\":\"/orgs/acme\"}"), "", NOW);
        AuditEvent other = KeycloakEvents.auditEvent(admin("GROUP_MEMBERSHIP", "DELETE", "users/sub-7/groups/g2",
            "{\"path\":\"/staff\"}"), "", NOW);

        assertEquals("keycloak.admin.group-membership.create", joined.action());
        assertEquals("acme", joined.org());
        assertEquals("/orgs/acme", joined.details().get("group"));
        assertEquals("keycloak.admin.group-membership.delete", other.action());
        assertEquals("", other.org(), "a group outside /orgs/ is no org's");
        assertEquals("/staff", other.details().get("group"));
    }

    @Test
    void of_a_changed_user_only_whether_they_are_enabled_reaches_the_trail_never_their_address_or_a_secret() {
        AuditEvent disabled = KeycloakEvents.auditEvent(admin("USER", "UPDATE", "users/sub-7",
            "{\"username\":\"ana\",\"email\":\"ana@acme.example\",\"enabled\":false,\"firstName\":\"Ana\"}"), "root", NOW);
        AuditEvent client = KeycloakEvents.auditEvent(admin("CLIENT", "UPDATE", "clients/c-uuid",
            "{\"clientId\":\"mainstay\",\"secret\":\"s3cret\"}"), "root", NOW);

        assertEquals("false", disabled.details().get("enabled"));
        assertEquals("sub-7", disabled.details().get("subject"));
        assertFalse(disabled.details().toString().contains("ana@acme.example"), disabled.details().toString());
        assertFalse(disabled.details().toString().contains("Ana"), disabled.details().toString());
        assertFalse(client.details().toString().contains("s3cret"), client.details().toString());
        assertEquals("keycloak.admin.client.update", client.action());
    }

    @Test
    void a_refused_change_or_one_without_details_is_still_recorded() {
        KeycloakDirectory.AdminEvent refused = new KeycloakDirectory.AdminEvent("a2", 5, "DELETE", "USER", "users/sub-9", "", "admin-sub",
            "", "", "unknown_error", "");
        AuditEvent e = KeycloakEvents.auditEvent(refused, "", NOW);

        assertEquals(AuditEvent.Outcome.FAILURE, e.outcome());
        assertEquals("unknown_error", e.details().get("error"));
        assertEquals("keycloak.admin.user.delete", e.action());
        AuditEvent garbled = KeycloakEvents.auditEvent(admin("GROUP_MEMBERSHIP", "CREATE", "users/sub-7/groups/g", "{not json"), "", NOW);
        assertEquals("", garbled.org());
        assertFalse(garbled.details().containsKey("group"));
    }
}
