package dev.mainstay.platform.identity;

import dev.mainstay.audit.AuditEvent;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Who is making a request: a person with a session, or a CI job with an API token. */
public sealed interface Caller {

    /** A short name for the audit trail and the UI: the username, or the token's name. */
    String name();

    /** Whether the caller belongs to {@code org}. */
    boolean belongsTo(String org);

    /** This caller as the audit trail names an actor. */
    AuditEvent.Actor actor();

    /**
     * A person signed in through Keycloak with a second factor.
     *
     * @param sessionId   Mainstay's session
     * @param subject     Keycloak's user id ({@code sub})
     * @param name        {@code preferred_username}
     * @param displayName full name, or the username
     * @param email       e-mail address, may be empty
     * @param githubLogin the login on GitHub from Keycloak's {@code github_login} attribute; empty when not set
     * @param orgs        slugs of the orgs (Keycloak groups /orgs/&lt;slug&gt;)
     * @param roles       Mainstay roles (the client roles in the ID token)
     * @param acr         the authentication context class reached, e.g. {@code mfa}
     * @param amr         authentication methods, when Keycloak sent them
     * @param authTime    when the person last entered credentials
     */
    record Person(UUID sessionId, String subject, String name, String displayName, String email, String githubLogin,
                  List<String> orgs, Set<String> roles, String acr, List<String> amr, Instant authTime) implements Caller {
        @Override
        public AuditEvent.Actor actor() {
            return new AuditEvent.Actor("user", subject, name, acr, String.join(" ", amr));
        }

        @Override
        public boolean belongsTo(String org) {
            return orgs.contains(org);
        }

        /** Who GitHub knows this person as: the {@code github_login} attribute, else the user name. */
        public String gitHubUser() {
            return githubLogin.isEmpty() ? name : githubLogin;
        }
    }

    /**
     * A CI job holding an API token.
     *
     * @param tokenId  the token's id
     * @param name     the token's name
     * @param org      the org the token belongs to
     * @param scopes   what the token may do
     * @param creator  username of the admin who made it
     */
    record Machine(UUID tokenId, String name, String org, Set<String> scopes, String creator) implements Caller {
        @Override
        public AuditEvent.Actor actor() {
            return new AuditEvent.Actor("api-token", tokenId.toString(), name, "", "");
        }

        @Override
        public boolean belongsTo(String candidate) {
            return org.equals(candidate);
        }
    }
}
