package dev.mainstay.platform.identity;

import dev.mainstay.platform.auditing.Audited;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The API tokens API, for an org admin's signed-in browser session (with the session's
 * {@code X-CSRF-Token} header): tokens cannot make tokens.
 */
@RequestScoped
@Path("/api/v1/orgs/{org}/tokens")
@Produces(MediaType.APPLICATION_JSON)
public class TokensApi {

    private final ApiTokens tokens;
    private final RequestIdentity identity;

    /**
     * The request body of {@code POST}.
     *
     * @param name   what the token is for
     * @param scopes what it may do
     * @param days   how long it lives
     */
    public record MakeToken(String name, List<String> scopes, Integer days) {
    }

    @Inject
    TokensApi(ApiTokens tokens, RequestIdentity identity) {
        this.tokens = tokens;
        this.identity = identity;
    }

    @GET
    @Requires("tokens:read")
    public List<TokenView> list(@PathParam("org") String org) {
        return tokens.list(org);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires("tokens:manage")
    @Audited("token.create")
    public Response make(@PathParam("org") String org, MakeToken body) {
        if (identity.person().isEmpty()) {
            return Problems.problem(Response.Status.FORBIDDEN, "People only", "API tokens are made by a signed-in org admin, not by another token");
        }
        if (body == null) {
            return Problems.problem(Response.Status.BAD_REQUEST, "Body required", "send {\"name\": …, \"scopes\": […], \"days\": …}");
        }
        ApiTokens.MakingResult result = tokens.make(org,
            new ApiTokens.Making(body.name(), body.scopes(), body.days() == null ? 90 : body.days()), identity.person().get());
        return switch (result) {
            case ApiTokens.MakingResult.Made made -> {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("token", made.token());
                out.put("details", made.view());
                yield Response.created(URI.create("/api/v1/orgs/" + org + "/tokens/" + made.view().id())).entity(out).build();
            }
            case ApiTokens.MakingResult.Refused refused ->
                Problems.problem(Response.Status.BAD_REQUEST, "Invalid " + refused.field(), refused.reason());
        };
    }

    @DELETE
    @Path("{id}")
    @Requires("tokens:manage")
    @Audited("token.revoke")
    public Response revoke(@PathParam("org") String org, @PathParam("id") String id) {
        Optional<TokenView> revoked = identity.person().flatMap(p -> tokens.revoke(org, id, p));
        return revoked.map(view -> Response.ok(view).build())
            .orElseGet(() -> Problems.problem(Response.Status.NOT_FOUND, "Not found", "no token " + id + " in " + org));
    }
}
