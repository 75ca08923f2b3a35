package dev.mainstay.platform.identity;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The claims Mainstay uses from a verified ID token.
 *
 * @param subject     Keycloak's user id
 * @param sessionId   Keycloak's session id ({@code sid}), if sent
 * @param username    {@code preferred_username}
 * @param displayName {@code name}, else the username
 * @param email       {@code email}, may be empty
 * @param githubLogin {@value #GITHUB_LOGIN_CLAIM}: the person's login on GitHub, when it differs from the
 *                    username; empty when Keycloak sent none (or not a GitHub login)
 * @param acr         the authentication context class reached
 * @param amr         authentication methods; empty when Keycloak did not send the claim
 * @param authTime    when the person last entered credentials
 * @param groups      group paths, e.g. {@code /orgs/acme}
 * @param roles       the {@code roles} claim: Mainstay's client roles
 * @param raw         the token itself, kept as {@code id_token_hint} for sign-out
 */
public record IdToken(String subject, Optional<String> sessionId, String username, String displayName, String email,
                      String githubLogin, Optional<String> acr, Optional<List<String>> amr, Instant authTime,
                      List<String> groups, List<String> roles, String raw) {

    /** The claim with the person's GitHub login (Keycloak user attribute {@code github_login}). */
    public static final String GITHUB_LOGIN_CLAIM = "github_login";

    /** What GitHub allows as a login (enterprise managed users add {@code _shortcode}). */
    static final Pattern GITHUB_LOGIN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,38}");

    /** The group path prefix of an org. */
    public static final String ORG_GROUP_PREFIX = "/orgs/";

    /** Slugs of the orgs the person belongs to, sorted. */
    public List<String> orgs() {
        Set<String> orgs = new TreeSet<>();
        for (String group : groups) {
            if (group.startsWith(ORG_GROUP_PREFIX)) {
                String rest = group.substring(ORG_GROUP_PREFIX.length());
                if (!rest.isEmpty() && !rest.contains("/")) {
                    orgs.add(rest);
                }
            }
        }
        return List.copyOf(orgs);
    }

    /**
     * Why this token may not open a session, or empty when it may: its {@code acr} must reach the
     * required level and, when an {@code amr} claim is present, it must name a second factor.
     */
    public Optional<String> refusal(AuthenticationPolicy policy) {
        int level = policy.levelOf(acr);
        if (level < policy.requiredLevel()) {
            return Optional.of("Keycloak signed you in at level of assurance " + level + " (acr '" + acr.orElse("none")
                + "'); Mainstay requires level " + policy.requiredLevel() + ", which means a second factor (a one-time"
                + " code or a security key).");
        }
        if (amr.isPresent() && amr.get().stream().noneMatch(policy.secondFactorMethods()::contains)) {
            return Optional.of("Keycloak reports the methods " + amr.get() + " for this sign-in, none of which is a second"
                + " factor; Mainstay requires a one-time code or a security key.");
        }
        return Optional.empty();
    }
}
