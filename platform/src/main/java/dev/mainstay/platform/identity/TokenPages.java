package dev.mainstay.platform.identity;

import dev.mainstay.platform.auditing.Audited;
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

    @Inject
    TokenPages(Pages pages, RequestIdentity identity, ApiTokens tokens, AccessPolicy access) {
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
        model.put("refused", refused.orElse(null));
        return pages.html(status, pages.render("identity/tokens.jte", pages.context("API tokens of " + org, "/orgs/" + org + "/tokens"), model));
    }
}
