package dev.mainstay.platform.identity;

import dev.mainstay.platform.auditing.Audited;
import dev.mainstay.platform.web.Pages;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Sign-in and sign-out: the OIDC authorization code flow with PKCE against Keycloak.
 *
 * <ol>
 *   <li>{@code GET /auth/login}: make state, nonce and a PKCE verifier, keep them in a sealed
 *       short-lived cookie, send the browser to Keycloak asking for the policy's acr (and, for a
 *       step-up, {@code prompt=login} with {@code max_age});</li>
 *   <li>{@code GET /auth/callback}: check the state, exchange the code with the verifier,
 *       verify the ID token, and open a session only if it shows a second factor (and, for a
 *       step-up, a fresh {@code auth_time}); otherwise say why and grant nothing;</li>
 *   <li>{@code POST /auth/logout}: end the session here and in Keycloak, then let Keycloak clear
 *       its cookies (RP-initiated logout) and come back to {@code /auth/signed-out}.</li>
 * </ol>
 */
@RequestScoped
@Path("/auth")
public class SignIn {

    private static final Duration SIGN_IN_LIFETIME = Duration.ofMinutes(10);
    private static final Duration AUTH_TIME_SKEW = Duration.ofSeconds(30);
    private static final Logger LOG = Logger.getLogger(SignIn.class.getName());

    private final OidcClient oidc;
    private final Sessions sessions;
    private final SessionCookies cookies;
    private final AuthenticationPolicy policy;
    private final IdentitySettings settings;
    private final Pages pages;
    private final Clock clock;

    @Inject
    SignIn(OidcClient oidc, Sessions sessions, SessionCookies cookies, AuthenticationPolicy policy, IdentitySettings settings,
           Pages pages, Clock clock) {
        this.oidc = oidc;
        this.sessions = sessions;
        this.cookies = cookies;
        this.policy = policy;
        this.settings = settings;
        this.pages = pages;
        this.clock = clock;
    }

    /** A sign-in in progress, kept in the sealed sign-in cookie. */
    private record Pending(String state, String nonce, String verifier, String next, boolean stepUp, long startedAt) {
        String encode() {
            return String.join(" ", state, nonce, verifier, URLEncoder.encode(next, StandardCharsets.UTF_8),
                Boolean.toString(stepUp), Long.toString(startedAt));
        }

        static Optional<Pending> decode(String text) {
            String[] p = text.split(" ");
            if (p.length != 6) {
                return Optional.empty();
            }
            return Optional.of(new Pending(p[0], p[1], p[2], URLDecoder.decode(p[3], StandardCharsets.UTF_8),
                Boolean.parseBoolean(p[4]), Long.parseLong(p[5])));
        }
    }

    @GET
    @Path("/login")
    @Public("starts sign-in")
    public Response login(@QueryParam("next") String next, @QueryParam("step-up") boolean stepUp) {
        Pending pending = new Pending(cookies.randomToken(), cookies.randomToken(), cookies.randomToken(), safePath(next),
            stepUp, clock.instant().getEpochSecond());
        URI target = oidc.authorizationUri(pending.state(), pending.nonce(), challenge(pending.verifier()), policy.requiredAcr(),
            stepUp ? Optional.of(Duration.ZERO) : Optional.empty());
        return Response.seeOther(target)
            .header("Set-Cookie", SessionCookies.setCookie(SessionCookies.SIGN_IN,
                cookies.seal(SessionCookies.SIGN_IN, pending.encode()), SIGN_IN_LIFETIME))
            .header("Cache-Control", "no-store")
            .build();
    }

    @GET
    @Path("/callback")
    @Public("Keycloak sends the browser back here; the sealed sign-in cookie and the state check guard it")
    @Audited("session.open")
    public Response callback(@QueryParam("code") String code, @QueryParam("state") String state,
                             @QueryParam("error") String error, @QueryParam("error_description") String errorDescription,
                             @CookieParam(SessionCookies.SIGN_IN) String signInCookie,
                             @CookieParam(SessionCookies.SESSION) String previousSession) {
        Optional<Pending> pending = cookies.open(SessionCookies.SIGN_IN, signInCookie).flatMap(Pending::decode)
            .filter(p -> clock.instant().getEpochSecond() - p.startedAt() <= SIGN_IN_LIFETIME.toSeconds());
        if (pending.isEmpty() || !SessionCookies.same(pending.get().state(), state)) {
            return refuse(Response.Status.BAD_REQUEST, "Sign-in expired",
                "This sign-in link is stale or was opened in another browser. Start again.", Optional.empty());
        }
        if (error != null) {
            return refuse(Response.Status.UNAUTHORIZED, "Sign-in did not complete",
                "Keycloak reported: " + (errorDescription == null ? error : errorDescription), Optional.of(pending.get().next()));
        }
        OidcClient.Tokens tokens;
        try {
            tokens = oidc.exchange(code, pending.get().verifier(), pending.get().nonce());
        } catch (OidcException e) {
            LOG.warning(() -> "sign-in failed: " + e.getMessage());
            return refuse(Response.Status.BAD_GATEWAY, "Sign-in failed", "Mainstay could not complete the sign-in with Keycloak: "
                + e.getMessage(), Optional.of(pending.get().next()));
        }
        Optional<String> refusal = tokens.idToken().refusal(policy);
        if (refusal.isPresent()) {
            LOG.warning(() -> "refused a session for " + tokens.idToken().username() + ": " + refusal.get());
            sessions.refused(tokens.idToken(), refusal.get());
            oidc.endSession(tokens.refreshToken());
            return refuse(Response.Status.FORBIDDEN, "Second factor required", refusal.get(), Optional.of(pending.get().next()));
        }
        if (pending.get().stepUp()
            && tokens.idToken().authTime().isBefore(clock.instant().minus(policy.stepUpMaxAge()).minus(AUTH_TIME_SKEW))) {
            return refuse(Response.Status.FORBIDDEN, "Recent sign-in required", "Keycloak did not ask for your credentials again,"
                + " so this sensitive action cannot go ahead.", Optional.of(pending.get().next()));
        }
        if (previousSession != null) {
            sessions.replace(previousSession);
        }
        String sessionCookie = sessions.open(tokens);
        return Response.seeOther(URI.create(pending.get().next()))
            .header("Set-Cookie", sessionCookie)
            .header("Set-Cookie", SessionCookies.clearCookie(SessionCookies.SIGN_IN))
            .build();
    }

    @POST
    @Path("/logout")
    @Public("anyone may sign out; the session's anti-CSRF token is still checked")
    @Audited("session.close")
    public Response logout(@CookieParam(SessionCookies.SESSION) String sessionCookie) {
        Optional<String> idToken = sessionCookie == null ? Optional.empty() : sessions.signOut(sessionCookie);
        URI signedOut = URI.create(settings.publicUrl().orElseThrow() + "/auth/signed-out");
        URI target = idToken.map(hint -> oidc.endSessionUri(hint, signedOut)).orElse(URI.create("/auth/signed-out"));
        return Response.seeOther(target)
            .header("Set-Cookie", SessionCookies.clearCookie(SessionCookies.SESSION))
            .build();
    }

    @GET
    @Path("/signed-out")
    @Public("the page after sign-out")
    public Response signedOut() {
        return pages.html(Response.Status.OK, pages.render("identity/signed-out.jte", pages.context("Signed out", ""), Map.of()));
    }

    private Response refuse(Response.Status status, String title, String message, Optional<String> retry) {
        return pages.html(status, pages.render("identity/sign-in-refused.jte", pages.context(title, ""),
            Map.of("message", message, "retry", "/auth/login?next=" + URLEncoder.encode(retry.orElse("/account"), StandardCharsets.UTF_8))));
    }

    /** Only a local path may be a destination after sign-in: no open redirect. */
    static String safePath(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.contains("\\") || next.startsWith("/auth/")) {
            return "/account";
        }
        return next;
    }

    /** The PKCE S256 code challenge of {@code verifier} (RFC 7636 §4.2). */
    static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
