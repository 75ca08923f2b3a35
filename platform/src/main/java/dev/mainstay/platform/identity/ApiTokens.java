package dev.mainstay.platform.identity;

import dev.mainstay.audit.AuditEvent;
import dev.mainstay.platform.auditing.AuditTrail;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * An org's API tokens: made by an org admin, shown once, stored as a hash, scoped to the
 * machine role's permissions, expiring, revocable. A token works only while its creator is
 * enabled in Keycloak and still in the org.
 */
@ApplicationScoped
public class ApiTokens {

    /** The longest lifetime a token may be given. */
    public static final int MAX_DAYS = 366;

    @PersistenceContext(unitName = "mainstay")
    EntityManager em;

    private final AccessPolicy access;
    private final KeycloakDirectory directory;
    private final Clock clock;
    private final AuditTrail audit;

    /**
     * A request to make a token.
     *
     * @param name   what it is for, 1 to 100 characters
     * @param scopes what it may do; each must be a machine-role permission
     * @param days   how long it lives, 1 to {@link #MAX_DAYS}
     */
    public record Making(String name, List<String> scopes, int days) {
    }

    /** The answer to a request to make a token. */
    public sealed interface MakingResult {
        /**
         * The token was made; {@code token} is shown this once and never stored.
         *
         * @param view  the stored token
         * @param token the secret
         */
        record Made(TokenView view, String token) implements MakingResult {
        }

        /**
         * The request was not valid.
         *
         * @param field  the field at fault
         * @param reason what is wrong with it
         */
        record Refused(String field, String reason) implements MakingResult {
        }
    }

    /** Why a presented token does not authenticate. */
    public enum Rejection {
        MALFORMED, UNKNOWN, REVOKED, EXPIRED, CREATOR_INACTIVE
    }

    /**
     * The result of presenting a token.
     *
     * @param machine   the caller, when the token is good
     * @param rejection why not, otherwise
     */
    public record Presented(Optional<Caller.Machine> machine, Optional<Rejection> rejection) {
    }

    @Inject
    ApiTokens(AccessPolicy access, KeycloakDirectory directory, Clock clock, AuditTrail audit) {
        this.access = access;
        this.directory = directory;
        this.clock = clock;
        this.audit = audit;
    }

    /** Makes a token in {@code org} for {@code creator}, or says which field is wrong. */
    @Transactional
    public MakingResult make(String org, Making request, Caller.Person creator) {
        Optional<MakingResult.Refused> refused = check(request, access.tokenScopes());
        if (refused.isPresent()) {
            return refused.get();
        }
        String name = request.name().strip();
        String token = TokenFormat.generate();
        Instant now = clock.instant();
        ApiToken stored = new ApiToken(org, name, token, request.scopes().stream().distinct().sorted().toList(), creator, now,
            now.plus(Duration.ofDays(request.days())));
        em.persist(stored);
        audit.record(creator.actor(), org, "token.create", new AuditEvent.Target("api-token", stored.id().toString()),
            AuditEvent.Outcome.SUCCESS, Map.of("name", name, "scopes", String.join(" ", request.scopes()),
                "expiresAt", now.plus(Duration.ofDays(request.days())).toString()));
        return new MakingResult.Made(stored.view(now), token);
    }

    /** Why {@code request} cannot be made with the token scopes {@code allowed}, if it cannot. */
    static Optional<MakingResult.Refused> check(Making request, List<String> allowed) {
        String name = request.name() == null ? "" : request.name().strip();
        if (name.isEmpty() || name.length() > 100) {
            return Optional.of(new MakingResult.Refused("name", "give the token a name of 1 to 100 characters, e.g. the CI pipeline it is for"));
        }
        if (request.scopes() == null || request.scopes().isEmpty()) {
            return Optional.of(new MakingResult.Refused("scopes", "choose at least one scope of " + allowed));
        }
        for (String scope : request.scopes()) {
            if (!allowed.contains(scope)) {
                return Optional.of(new MakingResult.Refused("scopes", "'" + scope + "' is not a token scope; choose from " + allowed));
            }
        }
        if (request.days() < 1 || request.days() > MAX_DAYS) {
            return Optional.of(new MakingResult.Refused("days", "a token lives 1 to " + MAX_DAYS + " days, not " + request.days()));
        }
        return Optional.empty();
    }

    /** The org's tokens, newest first. */
    @Transactional
    public List<TokenView> list(String org) {
        Instant now = clock.instant();
        return em.createQuery("select t from ApiToken t where t.org = :org order by t.createdAt desc", ApiToken.class)
            .setParameter("org", org).getResultStream().map(t -> t.view(now)).toList();
    }

    /**
     * Revokes a token of {@code org}.
     *
     * @param id the token's id as the caller gave it; one that is not a UUID names no token
     * @return the revoked token, or empty when the org has no such token
     */
    @Transactional
    public Optional<TokenView> revoke(String org, String id, Caller.Person by) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        ApiToken token = em.find(ApiToken.class, uuid);
        if (token == null || !token.org().equals(org)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        token.revoke(by.name(), now);
        audit.record(by.actor(), org, "token.revoke", new AuditEvent.Target("api-token", token.id().toString()),
            AuditEvent.Outcome.SUCCESS, Map.of("name", token.name()));
        return Optional.of(token.view(now));
    }

    /** Authenticates a presented token and records its use. */
    @Transactional
    public Presented present(String presented, String address) {
        if (!TokenFormat.isWellFormed(presented)) {
            return rejected(Rejection.MALFORMED);
        }
        Optional<ApiToken> found = em.createQuery("select t from ApiToken t where t.tokenHash = :hash", ApiToken.class)
            .setParameter("hash", SessionCookies.sha256(presented)).getResultStream().findFirst();
        if (found.isEmpty()) {
            return rejected(Rejection.UNKNOWN);
        }
        ApiToken token = found.get();
        Instant now = clock.instant();
        if (token.revokedAt().isPresent()) {
            return refused(token, Rejection.REVOKED);
        }
        if (!token.expiresAt().isAfter(now)) {
            return refused(token, Rejection.EXPIRED);
        }
        if (!OperatorTokens.madeByOperator(token.creatorSubject()) && !directory.isActiveMember(token.creatorSubject(), token.org())) {
            return refused(token, Rejection.CREATOR_INACTIVE);
        }
        token.used(now, address);
        return new Presented(Optional.of(token.machine()), Optional.empty());
    }

    /**
     * A known token that may no longer be used: recorded as {@code token.use} denied, since it
     * names a credential someone still holds. Malformed and unknown tokens name nobody and are
     * not recorded.
     */
    private Presented refused(ApiToken token, Rejection why) {
        audit.record(token.machine().actor(), token.org(), "token.use", new AuditEvent.Target("api-token", token.id().toString()),
            AuditEvent.Outcome.DENIED, Map.of("reason", why.name().toLowerCase(Locale.ROOT).replace('_', '-')));
        return rejected(why);
    }

    private static Presented rejected(Rejection why) {
        return new Presented(Optional.empty(), Optional.of(why));
    }
}
