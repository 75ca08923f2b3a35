package dev.mainstay.platform.auditing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.audit.AuditEvent;
import dev.mainstay.platform.identity.KeycloakDirectory;
import java.time.Instant;
import java.util.Map;
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
}
