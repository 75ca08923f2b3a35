package dev.mainstay.platform.identity;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * API tokens made by an operator on the appliance's host ({@code ./mainstay tokens create}), for
 * automation that must not wait for a person to sign in: an Ansible run, a CI bootstrap.
 *
 * <p>Such a token has no person behind it, so it is not tied to anyone's Keycloak account: its
 * creator subject is {@value #SUBJECT_PREFIX} and the operating-system user who ran the command.
 * It is scoped, expiring and revocable on the Tokens page like any other, and its creation is
 * audited as the operator's action.
 */
public final class OperatorTokens {

    /** The creator subject of an operator's token starts with this; Keycloak subjects are UUIDs, so none does. */
    static final String SUBJECT_PREFIX = "operator:";

    /** An org name as the Keycloak group {@code /orgs/<org>} holds it: no slash, no spaces. */
    private static final Pattern ORG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

    /**
     * A token made: {@code token} is shown this once and never stored.
     *
     * @param id        the stored token's id
     * @param token     the secret
     * @param expiresAt when it stops working
     * @param scopes    what it may do, sorted
     */
    public record Minted(UUID id, String token, Instant expiresAt, List<String> scopes) {
    }

    private OperatorTokens() {
    }

    /** Whether a token of {@code creatorSubject} was made by an operator rather than by a person. */
    static boolean madeByOperator(String creatorSubject) {
        return creatorSubject.startsWith(SUBJECT_PREFIX);
    }

    /**
     * Why a token with these values cannot be made, naming the option at fault; empty when it can.
     *
     * @param access the access policy whose machine role lists the token scopes
     */
    public static Optional<String> problem(AccessPolicy access, String org, String name, List<String> scopes, Duration lifetime) {
        if (!ORG.matcher(org).matches()) {
            return Optional.of("--org '" + org + "' is not an org name (letters, digits, '.', '_' and '-', as in the Keycloak group /orgs/"
                + "<org>)");
        }
        long days = lifetime.toDays();
        ApiTokens.Making request = new ApiTokens.Making(name, scopes, days > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) days);
        return ApiTokens.check(request, access.tokenScopes()).map(r -> switch (r.field()) {
            case "days" -> "--expires: " + r.reason();
            default -> "--" + r.field() + ": " + r.reason();
        });
    }

    /**
     * Stores a new token of {@code org} in the caller's transaction on {@code c}; the values must
     * have passed {@link #problem}.
     *
     * @param operator the operating-system user who asked for it
     */
    public static Minted insert(Connection c, String org, String name, List<String> scopes, Duration lifetime, String operator,
                                Instant now) throws SQLException {
        String token = TokenFormat.generate();
        UUID id = UUID.randomUUID();
        List<String> sorted = scopes.stream().distinct().sorted().toList();
        Instant expiresAt = now.plus(lifetime);
        try (PreparedStatement s = c.prepareStatement("INSERT INTO identity_api_token (id, org, name, token_hash, display_prefix, scopes,"
            + " creator_subject, creator_username, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setObject(1, id);
            s.setString(2, org);
            s.setString(3, name.strip());
            s.setString(4, SessionCookies.sha256(token));
            s.setString(5, TokenFormat.displayPrefix(token));
            s.setString(6, String.join(" ", sorted));
            s.setString(7, SUBJECT_PREFIX + operator);
            s.setString(8, operator);
            s.setTimestamp(9, Timestamp.from(now));
            s.setTimestamp(10, Timestamp.from(expiresAt));
            s.executeUpdate();
        }
        return new Minted(id, token, expiresAt, sorted);
    }
}
