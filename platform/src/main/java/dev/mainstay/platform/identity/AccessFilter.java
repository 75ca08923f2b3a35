package dev.mainstay.platform.identity;

import dev.mainstay.audit.AuditEvent;
import dev.mainstay.platform.auditing.AuditRequest;
import dev.mainstay.platform.web.ErrorPages;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.Form;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.Set;
import org.glassfish.jersey.server.ContainerRequest;

/**
 * Authenticates, checks CSRF, authorizes and demands step-up for one resource method, in
 * that order:
 * <ol>
 *   <li>the caller: an API token ({@code Authorization: Bearer msy_…}), else the session cookie
 *       (re-confirmed with Keycloak when due), else anonymous;</li>
 *   <li>a state-changing request on a session, public or not, must carry the session's
 *       anti-CSRF token (form field {@code _csrf} or header {@code X-CSRF-Token}) and, if it
 *       sends {@code Origin}, come from Mainstay's own origin;</li>
 *   <li>a public method lets anyone through; otherwise an anonymous browser is sent to sign in
 *       and an anonymous API call gets 401;</li>
 *   <li>with an {@code {org}} path parameter, the caller must belong to that org, else 404:
 *       another org's data is not even confirmed to exist;</li>
 *   <li>the caller's roles (a token: its scopes within the machine role) must grant the
 *       permission, else 403;</li>
 *   <li>a sensitive action (policy {@code step-up.actions}) needs a sign-in no older than
 *       {@code step-up.max-age}, else the person is sent to sign in again (RFC 9470).</li>
 * </ol>
 */
final class AccessFilter implements ContainerRequestFilter, ContainerResponseFilter {

    static final String CSRF_FIELD = "_csrf";
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final Set<String> SAFE_METHODS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
    private static final String CLEAR_SESSION = AccessFilter.class.getName() + ".clear-session";
    private static final String REMOTE_HOST = "io.helidon.jaxrs.remote-host";
    /** How long a client is asked to wait when Keycloak cannot be reached. */
    private static final int KEYCLOAK_RETRY_SECONDS = 5;

    private final Optional<String> permission;

    AccessFilter(Optional<String> permission) {
        this.permission = permission;
    }

    @Override
    public void filter(ContainerRequestContext ctx) {
        Object remote = ctx.getProperty(REMOTE_HOST);
        String userAgent = ctx.getHeaderString(HttpHeaders.USER_AGENT);
        bean(AuditRequest.class).set(new AuditEvent.Request(remote == null ? "" : remote.toString(),
            userAgent == null ? "" : userAgent, UUID.randomUUID().toString(), ""));
        RequestIdentity identity = bean(RequestIdentity.class);
        boolean api = ctx.getUriInfo().getPath().startsWith("api/");
        Optional<Response> refused = authenticate(ctx, identity, api);
        if (refused.isPresent()) {
            ctx.abortWith(refused.get());
            return;
        }
        if (identity.person().isPresent() && !SAFE_METHODS.contains(ctx.getMethod())) {
            Optional<Response> forged = checkCsrf(ctx, identity, api);
            if (forged.isPresent()) {
                ctx.abortWith(forged.get());
                return;
            }
        }
        if (permission.isEmpty()) {
            return;
        }
        Optional<Caller> caller = identity.caller();
        if (caller.isEmpty()) {
            ctx.abortWith(api
                ? Problems.problem(Response.Status.UNAUTHORIZED, "Sign-in required",
                    "send an API token as 'Authorization: Bearer msy_…'")
                : signIn(ctx, false));
            return;
        }
        authorize(ctx, caller.get(), permission.get(), api).ifPresent(ctx::abortWith);
    }

    private Optional<Response> authenticate(ContainerRequestContext ctx, RequestIdentity identity, boolean api) {
        String authorization = ctx.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization != null) {
            if (!authorization.startsWith("Bearer ")) {
                return Optional.of(Problems.problem(Response.Status.UNAUTHORIZED, "Unsupported credentials",
                    "the Authorization header must be 'Bearer msy_…', an API token made in Mainstay"));
            }
            Object host = ctx.getProperty(REMOTE_HOST);
            ApiTokens.Presented presented;
            try {
                presented = bean(ApiTokens.class).present(authorization.substring("Bearer ".length()).strip(),
                    host == null ? "unknown" : host.toString());
            } catch (OidcException e) {
                return Optional.of(Problems.transientProblem(Response.Status.SERVICE_UNAVAILABLE, "Keycloak unreachable",
                    "Mainstay cannot confirm the token's creator with Keycloak: " + e.getMessage(), KEYCLOAK_RETRY_SECONDS));
            }
            if (presented.machine().isEmpty()) {
                return Optional.of(Problems.problem(Response.Status.UNAUTHORIZED, "Token not accepted",
                    tokenRejection(presented.rejection().orElseThrow())));
            }
            identity.signedIn(presented.machine().get(), null);
            return Optional.empty();
        }
        Cookie cookie = ctx.getCookies().get(SessionCookies.SESSION);
        if (cookie == null) {
            return Optional.empty();
        }
        Optional<Sessions.Resumed> resumed;
        try {
            resumed = bean(Sessions.class).resume(cookie.getValue());
        } catch (OidcException e) {
            return Optional.of(api
                ? Problems.transientProblem(Response.Status.SERVICE_UNAVAILABLE, "Keycloak unreachable", e.getMessage(),
                    KEYCLOAK_RETRY_SECONDS)
                : bean(ErrorPages.class).page(Response.Status.SERVICE_UNAVAILABLE, "Keycloak cannot be reached",
                    "Mainstay re-confirms every session with Keycloak and cannot reach it right now. Try again in a minute."));
        }
        if (resumed.isPresent()) {
            identity.signedIn(resumed.get().person(), resumed.get().csrfToken());
            resumed.get().renewedCookie().ifPresent(identity::refreshCookie);
        } else {
            ctx.setProperty(CLEAR_SESSION, Boolean.TRUE);
        }
        return Optional.empty();
    }

    private Optional<Response> authorize(ContainerRequestContext ctx, Caller caller, String needed, boolean api) {
        String org = pathOrg(ctx);
        if (!org.isEmpty() && !caller.belongsTo(org)) {
            denied(ctx, caller, org, needed, AccessDenials.Reason.NOT_A_MEMBER);
            return Optional.of(api
                ? Problems.problem(Response.Status.NOT_FOUND, "Not found", "no org '" + org + "' that you belong to")
                : bean(ErrorPages.class).page(Response.Status.NOT_FOUND, "Not found", "There is no org '" + org
                    + "' that you belong to."));
        }
        boolean granted = switch (caller) {
            case Caller.Person person -> bean(AccessPolicy.class).grants(person.roles(), needed);
            case Caller.Machine machine -> machine.scopes().contains(needed)
                && bean(AccessPolicy.class).tokenScopes().contains(needed);
        };
        if (!granted) {
            denied(ctx, caller, org, needed, AccessDenials.Reason.MISSING_PERMISSION);
            String detail = switch (caller) {
                case Caller.Person person -> "your roles " + person.roles() + " do not include the permission '" + needed + "'";
                case Caller.Machine machine -> tokenRefusal(machine, needed, bean(AccessPolicy.class).tokenScopes());
            };
            return Optional.of(api
                ? Problems.problem(Response.Status.FORBIDDEN, "Not allowed", detail)
                : bean(ErrorPages.class).page(Response.Status.FORBIDDEN, "Not allowed", "You cannot open this page: " + detail + "."));
        }
        if (caller instanceof Caller.Person person && needsStepUp(person, needed)) {
            return Optional.of(stepUp(ctx, person, api));
        }
        return Optional.empty();
    }

    /** The org the path names ({@code {org}}), or empty. */
    private static String pathOrg(ContainerRequestContext ctx) {
        List<String> orgs = ctx.getUriInfo().getPathParameters().getOrDefault("org", List.of());
        return orgs.isEmpty() ? "" : orgs.get(0);
    }

    private static void denied(ContainerRequestContext ctx, Caller caller, String org, String permission, AccessDenials.Reason reason) {
        bean(AccessDenials.class).record(caller, org, ctx.getMethod(), "/" + ctx.getUriInfo().getPath(), permission, reason);
    }

    private boolean needsStepUp(Caller.Person person, String needed) {
        AuthenticationPolicy policy = bean(AuthenticationPolicy.class);
        return policy.stepUpActions().contains(needed)
            && person.authTime().plus(policy.stepUpMaxAge()).isBefore(bean(Clock.class).instant());
    }

    private Response stepUp(ContainerRequestContext ctx, Caller.Person person, boolean api) {
        long maxAge = bean(AuthenticationPolicy.class).stepUpMaxAge().toSeconds();
        if (api) {
            return Response.fromResponse(Problems.problem(Response.Status.UNAUTHORIZED, "Recent sign-in required",
                    "this action needs a sign-in within the last " + maxAge + " s; sign in again"))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"insufficient_user_authentication\", max_age=" + maxAge)
                .build();
        }
        return signIn(ctx, true, keptForm(ctx, person).map(id -> ContinuePage.PATH + "/" + id));
    }

    /**
     * A submitted form, kept while the person signs in again so that it is not lost
     * ({@link PendingActions}); empty for a request without a form body.
     */
    private static Optional<UUID> keptForm(ContainerRequestContext ctx, Caller.Person person) {
        if (SAFE_METHODS.contains(ctx.getMethod()) || ctx.getMediaType() == null
            || !ctx.getMediaType().isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE) || !(ctx instanceof ContainerRequest request)) {
            return Optional.empty();
        }
        request.bufferEntity();
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        request.readEntity(Form.class).asMap().forEach((name, values) -> {
            if (!name.equals(CSRF_FIELD)) {
                values.forEach(v -> fields.add(Map.entry(name, v)));
            }
        });
        return Optional.of(bean(PendingActions.class).keep(person.subject(), pathAndQuery(ctx), fields));
    }

    private static Response signIn(ContainerRequestContext ctx, boolean stepUp) {
        return signIn(ctx, stepUp, Optional.empty());
    }

    private static Response signIn(ContainerRequestContext ctx, boolean stepUp, Optional<String> then) {
        // Back to the very page asked for, its query included (a queue's ?branch=, a repository filter);
        // after a form, to the page that offers the kept form back, else to the page the form was on.
        String next = then.orElseGet(() -> SAFE_METHODS.contains(ctx.getMethod()) ? pathAndQuery(ctx) : refererPath(ctx));
        URI target = URI.create("/auth/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8) + (stepUp ? "&step-up=true" : ""));
        if (ctx.getHeaderString("HX-Request") != null) {
            return Response.ok().header("HX-Redirect", target.toString()).build();
        }
        return Response.seeOther(target).build();
    }

    /** The request's path from the root, with its query if it has one. */
    private static String pathAndQuery(ContainerRequestContext ctx) {
        String query = ctx.getUriInfo().getRequestUri().getRawQuery();
        return "/" + ctx.getUriInfo().getPath() + (query == null ? "" : "?" + query);
    }

    private static String refererPath(ContainerRequestContext ctx) {
        String referer = ctx.getHeaderString("Referer");
        if (referer != null) {
            URI uri;
            try {
                uri = URI.create(referer);
            } catch (IllegalArgumentException malformed) {
                return "/account";
            }
            String path = uri.getRawPath();
            if (path != null && path.startsWith("/") && !path.startsWith("//")) {
                return path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            }
        }
        return "/account";
    }

    private Optional<Response> checkCsrf(ContainerRequestContext ctx, RequestIdentity identity, boolean api) {
        String origin = ctx.getHeaderString("Origin");
        IdentitySettings settings = bean(IdentitySettings.class);
        if (origin != null && !origin.equals(settings.publicUrl().map(URI::toString).orElse(""))) {
            denied(ctx, identity.person().orElseThrow(), pathOrg(ctx), permission.orElse(""), AccessDenials.Reason.CROSS_SITE);
            return Optional.of(api
                ? Problems.problem(Response.Status.FORBIDDEN, "Cross-site request", "this request came from another site (" + origin
                    + "); a signed-in session's requests must come from Mainstay's own pages")
                : bean(ErrorPages.class).page(Response.Status.FORBIDDEN, "Request refused",
                    "This request came from another site (" + origin + ")."));
        }
        String presented = ctx.getHeaderString(CSRF_HEADER);
        if (presented == null && ctx.getMediaType() != null
            && ctx.getMediaType().isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE)
            && ctx instanceof ContainerRequest request) {
            request.bufferEntity();
            presented = request.readEntity(Form.class).asMap().getFirst(CSRF_FIELD);
        }
        if (!SessionCookies.same(presented, identity.csrfToken().orElse(null))) {
            denied(ctx, identity.person().orElseThrow(), pathOrg(ctx), permission.orElse(""), AccessDenials.Reason.MISSING_CSRF_TOKEN);
            return Optional.of(api
                ? Problems.problem(Response.Status.FORBIDDEN, "Anti-CSRF token missing", "with a session cookie, send the session's"
                    + " anti-CSRF token as the " + CSRF_HEADER + " header (it is in the hx-headers of every page)")
                : bean(ErrorPages.class).page(Response.Status.FORBIDDEN, "Request refused",
                    "This form is missing its security token or it has expired. Reload the page and try again."));
        }
        return Optional.empty();
    }

    /** Why a token may not do what needs {@code needed}: a scope it lacks, or nothing a token can have. */
    private static String tokenRefusal(Caller.Machine machine, String needed, List<String> tokenScopes) {
        return tokenScopes.contains(needed)
            ? "this token's scopes " + machine.scopes() + " do not include '" + needed + "'; make a token with it on the Tokens page"
            : "this is for people signed in to Mainstay, not for API tokens (a token's scopes can be " + String.join(", ", tokenScopes) + ")";
    }

    private static String tokenRejection(ApiTokens.Rejection rejection) {
        return switch (rejection) {
            case MALFORMED -> "this is not a Mainstay API token (they look like msy_ followed by 38 letters and digits)";
            case UNKNOWN -> "no such token; it may have been mistyped";
            case REVOKED -> "this token was revoked";
            case EXPIRED -> "this token has expired";
            case CREATOR_INACTIVE -> "the person who made this token is disabled or no longer in its org; ask an org admin for a new token";
        };
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        // A resource that sets the session cookie itself (sign-in, sign-out) has the last word:
        // the renewed cookie of the session the request came with must not replace it.
        boolean resourceSetSession = response.getStringHeaders().getOrDefault(HttpHeaders.SET_COOKIE, List.of()).stream()
            .anyMatch(c -> c.startsWith(SessionCookies.SESSION + "="));
        if (resourceSetSession) {
            return;
        }
        RequestIdentity identity = bean(RequestIdentity.class);
        identity.refreshedCookie().ifPresent(c -> response.getHeaders().add(HttpHeaders.SET_COOKIE, c));
        if (Boolean.TRUE.equals(request.getProperty(CLEAR_SESSION))) {
            response.getHeaders().add(HttpHeaders.SET_COOKIE, SessionCookies.clearCookie(SessionCookies.SESSION));
        }
    }

    private static <T> T bean(Class<T> type) {
        return CDI.current().select(type).get();
    }
}
