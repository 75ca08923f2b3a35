package dev.mainstay.platform.identity;

import dev.mainstay.platform.web.Pages;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.Optional;

/** The signed-in person's account page and the org's members page. */
@RequestScoped
@Path("/")
public class AccountPages {

    private final Pages pages;
    private final RequestIdentity identity;
    private final KeycloakDirectory directory;
    private final AuthenticationPolicy policy;

    @Inject
    AccountPages(Pages pages, RequestIdentity identity, KeycloakDirectory directory, AuthenticationPolicy policy) {
        this.pages = pages;
        this.identity = identity;
        this.directory = directory;
        this.policy = policy;
    }

    @GET
    @Path("account")
    @Requires("account:read")
    public Response account() {
        Caller.Person person = identity.person().orElseThrow();
        String factor = person.amr().isEmpty()
            ? "level of assurance " + policy.levelOf(Optional.of(person.acr())) + " (acr " + person.acr() + ")"
            : String.join(", ", person.amr()) + " (acr " + person.acr() + ")";
        return pages.html(Response.Status.OK, pages.render("identity/account.jte", pages.context("Your account", "/account"),
            Map.of("person", person, "factor", factor)));
    }

    @GET
    @Path("orgs/{org}/members")
    @Requires("members:read")
    public Response members(@PathParam("org") String org) {
        return pages.html(Response.Status.OK, pages.render("identity/members.jte",
            pages.context("Members of " + org, "/orgs/" + org + "/members"),
            Map.of("org", org, "members", directory.members(org))));
    }
}
