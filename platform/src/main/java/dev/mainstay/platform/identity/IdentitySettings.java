package dev.mainstay.platform.identity;

import dev.mainstay.platform.ConfigValues;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * The {@code mainstay.*} settings of sign-in and sessions. docs/configuration.md lists each key.
 *
 * @param publicUrl     the address browsers use to reach Mainstay, e.g. https://mainstay.example.com
 * @param issuer        the Keycloak realm's issuer URL, e.g. https://sso.example.com/realms/mainstay
 * @param clientId      Mainstay's confidential client in that realm
 * @param clientSecret  that client's secret
 * @param sessionSecret the secret session cookies are encrypted with; the same on every replica
 * @param policiesDir   a directory holding access.yaml and authentication.yaml, replacing the built-in ones
 */
public record IdentitySettings(Optional<URI> publicUrl,
                               Optional<URI> issuer,
                               String clientId,
                               Optional<String> clientSecret,
                               Optional<String> sessionSecret,
                               Optional<String> policiesDir) {

    public static final String PUBLIC_URL = "mainstay.http.public-url";
    public static final String ISSUER = "mainstay.oidc.issuer";
    public static final String CLIENT_ID = "mainstay.oidc.client-id";
    public static final String CLIENT_SECRET = "mainstay.oidc.client-secret";
    public static final String SESSION_SECRET = "mainstay.session.secret";
    public static final String POLICIES_DIR = "mainstay.policies.dir";

    /** The shortest session secret accepted, in bytes of UTF-8. */
    static final int MIN_SECRET_BYTES = 32;

    /** Reads the settings; {@link #problems()} says whether they are usable. */
    public static IdentitySettings from(Config config) {
        return new IdentitySettings(
            ConfigValues.text(config, PUBLIC_URL).map(IdentitySettings::withoutTrailingSlash).map(URI::create),
            ConfigValues.text(config, ISSUER).map(IdentitySettings::withoutTrailingSlash).map(URI::create),
            ConfigValues.text(config, CLIENT_ID).orElse("mainstay"),
            ConfigValues.text(config, CLIENT_SECRET),
            ConfigValues.text(config, SESSION_SECRET),
            ConfigValues.text(config, POLICIES_DIR));
    }

    /** What must be fixed before people can sign in; each problem names its key. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>(clientProblems());
        if (sessionSecret.isEmpty()) {
            problems.add(SESSION_SECRET + " is not set: give a random secret of at least " + MIN_SECRET_BYTES
                + " characters, the same on every replica (e.g. `openssl rand -base64 48`)");
        } else if (sessionSecret.get().getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            problems.add(SESSION_SECRET + " is too short: it needs at least " + MIN_SECRET_BYTES + " characters");
        }
        return problems;
    }

    /** What must be fixed before Mainstay's client in Keycloak is fully described (public URL, issuer, secret). */
    public List<String> clientProblems() {
        List<String> problems = new ArrayList<>();
        if (publicUrl.isEmpty()) {
            problems.add(PUBLIC_URL + " is not set: Mainstay needs the https:// address browsers use to reach it"
                + " (it is the base of the sign-in redirect URI registered in Keycloak)");
        } else if (!"https".equals(publicUrl.get().getScheme())) {
            problems.add(PUBLIC_URL + " must be an https:// address, not " + publicUrl.get());
        }
        if (issuer.isEmpty()) {
            problems.add(ISSUER + " is not set: name the Keycloak realm's issuer URL, e.g. https://sso.example.com/realms/mainstay");
        }
        if (clientSecret.isEmpty()) {
            problems.add(CLIENT_SECRET + " is not set: give the secret of the '" + clientId + "' client in Keycloak");
        }
        return problems;
    }

    /** The redirect URI registered for Mainstay in Keycloak. */
    public URI redirectUri() {
        return URI.create(publicUrl.orElseThrow() + "/auth/callback");
    }

    private static String withoutTrailingSlash(String value) {
        return value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
    }
}
