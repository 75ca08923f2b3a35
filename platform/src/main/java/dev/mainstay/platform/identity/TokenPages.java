package dev.mainstay.platform.identity;

import dev.mainstay.platform.auditing.Audited;
import dev.mainstay.platform.web.ClientHints;
import dev.mainstay.platform.web.Pages;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The org's API tokens page: list, make (the token is shown once, on the page that answers the
 * form), revoke. Revoking swaps the table row in place with htmx; without script the form
 * posts and the page reloads.
 */
@RequestScoped
@Path("/orgs/{org}/tokens")
public class TokenPages {

    private final Pages pages;
    private final RequestIdentity identity;
    private final ApiTokens tokens;
    private final AccessPolicy access;
    private final ClientHints hints;
    private final IdentitySettings settings;

    @Inject
    TokenPages(Pages pages, RequestIdentity identity, ApiTokens tokens, AccessPolicy access, ClientHints hints, IdentitySettings settings) {
        this.hints = hints;
        this.settings = settings;
        this.pages = pages;
        this.identity = identity;
        this.tokens = tokens;
        this.access = access;
    }

    @GET
    @Requires("tokens:read")
    public Response list(@PathParam("org") String org) {
        return page(org, Response.Status.OK, Optional.empty(), Optional.empty());
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Requires("tokens:manage")
    @Audited("token.create")
    public Response make(@PathParam("org") String org, @FormParam("name") String name, @FormParam("scope") List<String> scopes,
                         @FormParam("days") String days) {
        int lifetime;
        try {
            lifetime = Integer.parseInt(days == null ? "" : days.strip());
        } catch (NumberFormatException e) {
            return page(org, Response.Status.BAD_REQUEST, Optional.empty(),
                Optional.of(new ApiTokens.MakingResult.Refused("days", "give the lifetime in days, as a whole number")));
        }
        ApiTokens.MakingResult result = tokens.make(org, new ApiTokens.Making(name, scopes, lifetime), identity.person().orElseThrow());
        return switch (result) {
            case ApiTokens.MakingResult.Made made -> page(org, Response.Status.CREATED, Optional.of(made), Optional.empty());
            case ApiTokens.MakingResult.Refused refused -> page(org, Response.Status.BAD_REQUEST, Optional.empty(), Optional.of(refused));
        };
    }

    @POST
    @Path("{id}/revoke")
    @Requires("tokens:manage")
    @Audited("token.revoke")
    public Response revoke(@PathParam("org") String org, @PathParam("id") String id, @HeaderParam("HX-Request") String htmx) {
        Optional<TokenView> revoked = tokens.revoke(org, id, identity.person().orElseThrow());
        if (revoked.isEmpty()) {
            return Response.status(Response.Status.NOT_FOUND).type(MediaType.TEXT_PLAIN).entity("no such token in " + org).build();
        }
        if (htmx != null) {
            return pages.html(Response.Status.OK, pages.render("identity/token-row.jte", pages.context("API tokens", ""),
                Map.of("org", org, "token", revoked.get(), "canManage", true)));
        }
        return Response.seeOther(URI.create("/orgs/" + org + "/tokens")).build();
    }

    /**
     * The commands to try a new token with, for the scopes it has: the CLI for uploads and the
     * queue, curl for the rest; the first line puts the token in {@code MAINSTAY_TOKEN}, which the CLI reads.
     */
    private String nextSteps(String org, ApiTokens.MakingResult.Made made) {
        List<String> scopes = made.view().scopes();
        String url = settings.publicUrl().map(u -> u.toString().replaceAll("/$", "")).orElse("https://mainstay.example.com");
        StringBuilder out = new StringBuilder("export MAINSTAY_TOKEN=" + made.token() + "\n");
        if (scopes.contains("uploads:write") || scopes.contains("queue:write")) {
            out.append("curl -fsSO").append(hints.curlCaCertOption()).append(' ').append(url).append("/downloads/mainstay-cli.jar\n");
        }
        if (scopes.contains("uploads:write")) {
            out.append("java -jar mainstay-cli.jar upload --url ").append(url).append(hints.caCertOption())
                .append(" --junit '**/TEST-*.xml'\n");
        }
        if (scopes.contains("queue:write")) {
            out.append("java -jar mainstay-cli.jar queue enqueue --url ").append(url).append(hints.caCertOption())
                .append(" --repo owner/name --pr 123\n");
        }
        String curl = "curl -fsS" + hints.curlCaCertOption() + " -H \"Authorization: Bearer $MAINSTAY_TOKEN\" " + url;
        if (scopes.contains("identity:read")) {
            out.append(curl).append("/api/v1/whoami\n");
        }
        if (scopes.contains("tests:read")) {
            out.append(curl).append("/api/v1/orgs/").append(org).append("/tests?status=flaky\n");
        }
        if (scopes.contains("quarantine:read")) {
            out.append(curl).append("/api/v1/quarantine?repo=owner/name\n");
        }
        return out.toString();
    }

    private Response page(String org, Response.Status status, Optional<ApiTokens.MakingResult.Made> made,
                          Optional<ApiTokens.MakingResult.Refused> refused) {
        Caller.Person person = identity.person().orElseThrow();
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("org", org);
        model.put("tokens", tokens.list(org));
        model.put("scopes", access.tokenScopes());
        model.put("scopeDescriptions", access.permissions());
        model.put("canManage", access.grants(person.roles(), "tokens:manage"));
        model.put("made", made.orElse(null));
        model.put("nextSteps", made.map(m -> nextSteps(org, m)).orElse(""));
        model.put("refused", refused.orElse(null));
        return pages.html(status, pages.render("identity/tokens.jte", pages.context("API tokens of " + org, "/orgs/" + org + "/tokens"), model));
    }
}
