package dev.mainstay.devservices;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The {@code mainstay} Keycloak realm that {@code ./mainstay dev} and the tests both import: one
 * source of truth for the client, its roles and claims, the step-up browser flow and the demo
 * users ({@code keycloak/mainstay-realm.json} beside this class).
 *
 * <p>The file holds no secrets. Keycloak replaces its placeholders from the environment of the
 * Keycloak process when it imports the realm ({@code ${VAR}}, or {@code ${VAR:default}}); pass them
 * with {@link KeycloakServer.Builder#environment(String, String)}.
 */
public final class MainstayRealm {

    /** The realm name. */
    public static final String REALM = "mainstay";
    /** The confidential OIDC client the appliance logs users in with. */
    public static final String CLIENT_ID = "mainstay";
    /** The client roles, which the ID token carries in its {@code roles} claim. */
    public static final List<String> ROLES = List.of("admin", "maintainer", "member", "auditor");
    /** The {@code acr} value of a login with a second factor (level of authentication 2). */
    public static final String ACR_MFA = "mfa";
    /** The {@code acr} value of a password-only login (level of authentication 1). */
    public static final String ACR_PASSWORD = "password";
    /** The browser flow alias that tests bind to issue password-only tokens. */
    public static final String PASSWORD_ONLY_FLOW = "password-only";

    /** Placeholder: the {@code mainstay} client's secret. Required. */
    public static final String CLIENT_SECRET_ENV = "MAINSTAY_CLIENT_SECRET";
    /** Placeholder: the appliance's base URL for redirect URIs; defaults to {@code https://localhost:8443}. */
    public static final String BASE_URL_ENV = "MAINSTAY_BASE_URL";
    /** Placeholder prefix of each demo user's password: {@code MAINSTAY_DEMO_PASSWORD_ADMIN}, ... Required. */
    public static final String DEMO_PASSWORD_ENV_PREFIX = "MAINSTAY_DEMO_PASSWORD_";
    /** The demo users in the realm file, one per role, all in the group {@code /orgs/acme}. */
    public static final List<String> DEMO_USERS = ROLES;

    private static final String RESOURCE = "keycloak/mainstay-realm.json";

    private MainstayRealm() {
    }

    /** The realm import file's text, placeholders unresolved. */
    public static String json() {
        try (InputStream in = MainstayRealm.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from mainstay-devservices");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + RESOURCE, e);
        }
    }

    /** The environment variable holding {@code user}'s demo password, e.g. {@code MAINSTAY_DEMO_PASSWORD_ADMIN}. */
    public static String demoPasswordEnv(String user) {
        return DEMO_PASSWORD_ENV_PREFIX + user.toUpperCase(java.util.Locale.ROOT);
    }
}
