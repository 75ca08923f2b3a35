package dev.mainstay.platform.identity;

import dev.mainstay.platform.ConfigValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * The Keycloak administrator that {@code keycloak bootstrap} signs in as: a user with a password
 * (through {@code admin-cli} of the master realm by default), or a confidential client with a
 * service account (client credentials). Only the bootstrap command reads these; the running
 * appliance never holds admin credentials.
 *
 * @param realm        the realm the administrator belongs to, {@code master} by default
 * @param clientId     the client to sign in through, {@code admin-cli} by default
 * @param clientSecret that client's secret, for a confidential client
 * @param username     the administrator's username; absent for client credentials
 * @param password     the administrator's password
 */
public record KeycloakAdminSettings(String realm, String clientId, Optional<String> clientSecret,
                                    Optional<String> username, Optional<String> password) {

    public static final String REALM = "mainstay.keycloak.admin.realm";
    public static final String CLIENT_ID = "mainstay.keycloak.admin.client-id";
    public static final String CLIENT_SECRET = "mainstay.keycloak.admin.client-secret";
    public static final String USERNAME = "mainstay.keycloak.admin.username";
    public static final String PASSWORD = "mainstay.keycloak.admin.password";

    /** Reads the settings; {@link #problems()} says whether they are usable. */
    public static KeycloakAdminSettings from(Config config) {
        return new KeycloakAdminSettings(
            ConfigValues.text(config, REALM).orElse("master"),
            ConfigValues.text(config, CLIENT_ID).orElse("admin-cli"),
            ConfigValues.text(config, CLIENT_SECRET),
            ConfigValues.text(config, USERNAME),
            ConfigValues.text(config, PASSWORD));
    }

    /** What must be fixed before the bootstrap can sign in; each problem names its key. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (username.isEmpty() && clientSecret.isEmpty()) {
            problems.add("no Keycloak administrator is configured: set " + USERNAME + " and " + PASSWORD
                + " (an admin user), or " + CLIENT_ID + " and " + CLIENT_SECRET + " (a client whose service account"
                + " is a realm admin)");
        }
        if (username.isPresent() && password.isEmpty()) {
            problems.add(PASSWORD + " is not set: give the password of Keycloak administrator '" + username.get()
                + "' (e.g. in the environment variable MAINSTAY_KEYCLOAK_ADMIN_PASSWORD)");
        }
        return problems;
    }
}
