package dev.mainstay.platform.identity;

import dev.mainstay.audit.AuditEvent;
import dev.mainstay.platform.auditing.AuditTrail;
import dev.mainstay.platform.crypto.EncryptedColumns;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Browser sessions. A session opens only for an ID token that passes the authentication
 * policy; on use, a session older than {@code revalidate-every} is re-confirmed with Keycloak
 * through the refresh token in the cookie, so a person disabled or signed out in Keycloak loses
 * the session at the next request after that interval (at most a minute, per policy).
 *
 * <p>The cookie holds {@code <session token> <refresh token>}, sealed by {@link SessionCookies};
 * the database holds only the session token's hash.
 */
@ApplicationScoped
public class Sessions {

    /** The longest a session lives, whatever Keycloak says. */
    static final Duration ABSOLUTE_LIFETIME = Duration.ofHours(12);

    private static final Logger LOG = Logger.getLogger(Sessions.class.getName());

    @PersistenceContext(unitName = "mainstay")
    EntityManager em;

    private final SessionCookies cookies;
    private final OidcClient oidc;
    private final AuthenticationPolicy policy;
    private final Clock clock;
    private final EncryptedColumns columns;
    private final AuditTrail audit;

    /**
     * A session found for a request.
     *
     * @param person        who it is
     * @param csrfToken     the token this session's forms carry
     * @param renewedCookie a new {@code Set-Cookie} value when the refresh token changed
     */
    public record Resumed(Caller.Person person, String csrfToken, Optional<String> renewedCookie) {
    }

    /** What the session cookie seals: Mainstay's session token and Keycloak's refresh token. */
    private record Sealed(String sessionToken, String refreshToken) {
    }

    @Inject
    Sessions(SessionCookies cookies, OidcClient oidc, AuthenticationPolicy policy, Clock clock, EncryptedColumns columns,
             AuditTrail audit) {
        this.audit = audit;
        this.cookies = cookies;
        this.oidc = oidc;
        this.policy = policy;
        this.clock = clock;
        this.columns = columns;
    }

    /**
     * Opens a session for tokens that passed the authentication policy.
     *
     * @return the {@code Set-Cookie} value
     */
    @Transactional
    public String open(OidcClient.Tokens tokens) {
        String sessionToken = cookies.randomToken();
        UiSession session = new UiSession(SessionCookies.sha256(sessionToken), tokens.idToken(), clock.instant(), columns);
        em.persist(session);
        audit.record(actor(tokens.idToken()), "", "session.open", new AuditEvent.Target("session", session.id().toString()),
            AuditEvent.Outcome.SUCCESS, Map.of("orgs", String.join(" ", tokens.idToken().orgs())));
        return sessionCookie(new Sealed(sessionToken, tokens.refreshToken()));
    }

    /**
     * The session behind a cookie, re-confirmed with Keycloak when due.
     *
     * @return the session; empty for a cookie that does not open, an ended session, or one that
     *     Keycloak no longer honours (person disabled, signed out, session expired)
     * @throws OidcException when the session is due for confirmation and Keycloak cannot be reached
     */
    @Transactional(dontRollbackOn = OidcException.class)
    public Optional<Resumed> resume(String cookie) {
        Optional<Sealed> sealed = unseal(cookie);
        Optional<UiSession> found = sealed.flatMap(s -> byToken(s.sessionToken()));
        if (found.isEmpty() || found.get().endedAt().isPresent()) {
            return Optional.empty();
        }
        UiSession session = found.get();
        Instant now = clock.instant();
        if (session.createdAt().plus(ABSOLUTE_LIFETIME).isBefore(now)) {
            session.end("lifetime", now);
            return Optional.empty();
        }
        String sessionToken = sealed.get().sessionToken();
        Optional<String> renewed = Optional.empty();
        if (!session.confirmedAt().plus(policy.revalidateEvery()).isAfter(now)) {
            Optional<OidcClient.Tokens> fresh = oidc.refresh(sealed.get().refreshToken());
            if (fresh.isEmpty()) {
                session.end("ended-in-keycloak", now);
                LOG.info(() -> "session " + session.id() + " ended: Keycloak no longer honours it");
                return Optional.empty();
            }
            session.confirmed(fresh.get().idToken(), now, columns);
            renewed = Optional.of(sessionCookie(new Sealed(sessionToken, fresh.get().refreshToken())));
        }
        return Optional.of(new Resumed(session.person(columns), cookies.csrfToken(sessionToken), renewed));
    }

    /**
     * Ends the session behind a cookie here and in Keycloak.
     *
     * @return the ID token to pass as {@code id_token_hint} to Keycloak's end-session endpoint
     */
    @Transactional
    public Optional<String> signOut(String cookie) {
        Optional<Sealed> sealed = unseal(cookie);
        if (sealed.isEmpty()) {
            return Optional.empty();
        }
        Optional<UiSession> found = byToken(sealed.get().sessionToken());
        found.filter(s -> s.endedAt().isEmpty()).ifPresent(s -> {
            s.end("signed-out", clock.instant());
            audit.record(s.person(columns).actor(), "", "session.close", new AuditEvent.Target("session", s.id().toString()),
                AuditEvent.Outcome.SUCCESS, Map.of("reason", "signed-out"));
        });
        try {
            oidc.endSession(sealed.get().refreshToken());
        } catch (OidcException e) {
            LOG.warning(() -> "could not end the Keycloak session on sign-out: " + e.getMessage());
        }
        return found.map(s -> s.idToken(columns));
    }

    /**
     * Ends every open session of the person with e-mail address {@code email} (any case, outer
     * spaces ignored) who was in {@code org} when the session was last confirmed, each recorded
     * as {@code session.end} by {@code by}. Sessions are found by the address's blind index; the
     * address itself stays encrypted and is not written to the audit trail.
     *
     * @return the usernames whose sessions were ended, one per session
     */
    @Transactional
    public List<String> endAllOf(String org, String email, Caller.Person by) {
        Instant now = clock.instant();
        List<UiSession> open = em.createQuery(
                "select s from UiSession s where s.emailIndex = :index and s.endedAt is null order by s.createdAt", UiSession.class)
            .setParameter("index", UiSession.emailIndex(columns, email)).getResultList();
        List<String> ended = new ArrayList<>();
        for (UiSession session : open) {
            if (session.inOrg(org)) {
                session.end("ended-by-admin", now);
                audit.record(by.actor(), org, "session.end", new AuditEvent.Target("session", session.id().toString()),
                    AuditEvent.Outcome.SUCCESS, Map.of("subject", session.subject(), "username", session.username()));
                ended.add(session.username());
            }
        }
        if (ended.isEmpty()) {
            audit.record(by.actor(), org, "session.end", new AuditEvent.Target("session", ""), AuditEvent.Outcome.SUCCESS,
                Map.of("ended", "0"));
        }
        return ended;
    }

    /**
     * The Mainstay roles in each person's most recently confirmed ID token, by subject, for those
     * of {@code subjects} who ever signed in: what the members page shows (Keycloak's admin API
     * would need view-clients to say).
     */
    @Transactional
    public Map<String, List<String>> lastKnownRoles(List<String> subjects) {
        if (subjects.isEmpty()) {
            return Map.of();
        }
        Map<String, List<String>> roles = new HashMap<>();
        em.createQuery("select s from UiSession s where s.subject in :subjects and s.confirmedAt ="
                + " (select max(t.confirmedAt) from UiSession t where t.subject = s.subject)", UiSession.class)
            .setParameter("subjects", subjects).getResultStream().forEach(s -> roles.put(s.subject(), s.roles()));
        return roles;
    }

    /** Records a sign-in that Keycloak completed but Mainstay refused (e.g. no second factor). */
    @Transactional
    public void refused(IdToken token, String reason) {
        audit.record(actor(token), "", "session.open", new AuditEvent.Target("session", ""), AuditEvent.Outcome.DENIED,
            Map.of("reason", reason));
    }

    private static AuditEvent.Actor actor(IdToken token) {
        return new AuditEvent.Actor("user", token.subject(), token.username(), token.acr().orElse(""),
            String.join(" ", token.amr().orElse(List.of())));
    }

    /** Ends the session behind a cookie here only, e.g. when a new sign-in replaces it. */
    @Transactional
    public void replace(String cookie) {
        unseal(cookie).flatMap(s -> byToken(s.sessionToken())).ifPresent(s -> s.end("replaced", clock.instant()));
    }

    private Optional<UiSession> byToken(String sessionToken) {
        return em.createQuery("select s from UiSession s where s.tokenHash = :hash", UiSession.class)
            .setParameter("hash", SessionCookies.sha256(sessionToken)).getResultStream().findFirst();
    }

    private Optional<Sealed> unseal(String cookie) {
        return cookies.open(SessionCookies.SESSION, cookie).map(v -> v.split(" ", 2)).filter(p -> p.length == 2)
            .map(p -> new Sealed(p[0], p[1]));
    }

    private String sessionCookie(Sealed sealed) {
        return SessionCookies.setCookie(SessionCookies.SESSION,
            cookies.seal(SessionCookies.SESSION, sealed.sessionToken() + " " + sealed.refreshToken()), ABSOLUTE_LIFETIME);
    }
}
