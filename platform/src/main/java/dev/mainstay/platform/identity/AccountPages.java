package dev.mainstay.platform.identity;

import dev.mainstay.platform.auditing.Audited;
import dev.mainstay.platform.web.Pages;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The signed-in person's account page, and the org's members page with ending a member's sessions. */
@RequestScoped
@Path("/")
public class AccountPages {

    private final Pages pages;
    private final RequestIdentity identity;
    private final KeycloakDirectory directory;
    private final AuthenticationPolicy policy;
    private final Sessions sessions;
    private final AccessPolicy access;

    @Inject
    AccountPages(Pages pages, RequestIdentity identity, KeycloakDirectory directory, AuthenticationPolicy policy, Sessions sessions,
                 AccessPolicy access) {
        this.sessions = sessions;
        this.access = access;
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
        return members(org, Response.Status.OK, "", "");
    }

    /** Ends the sessions of the member with the e-mail address in the form (an incident, a leaver). */
    @POST
    @Path("orgs/{org}/members/end-sessions")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Requires("sessions:end")
    @Audited("session.end")
    public Response endSessions(@PathParam("org") String org, @FormParam("email") String email) {
        String address = email == null ? "" : email.strip();
        if (address.isEmpty() || address.length() > 320 || !address.contains("@")) {
            return members(org, Response.Status.BAD_REQUEST, "", "Give the person's e-mail address, e.g. dana@example.com.");
        }
        List<String> ended = sessions.endAllOf(org, address, identity.person().orElseThrow());
        String notice = ended.isEmpty()
            ? "No open session of " + address + " in " + org + "."
            : "Ended " + ended.size() + (ended.size() == 1 ? " session" : " sessions") + " of " + address + " ("
                + String.join(", ", new LinkedHashSet<>(ended)) + ").";
        return members(org, Response.Status.OK, notice, "");
    }

    private Response members(String org, Response.Status status, String notice, String error) {
        Caller.Person person = identity.person().orElseThrow();
        List<KeycloakDirectory.Member> members = directory.members(org);
        return pages.html(status, pages.render("identity/members.jte",
            pages.context("Members of " + org, "/orgs/" + org + "/members"),
            Map.of("org", org, "members", members,
                "roles", sessions.lastKnownRoles(members.stream().map(KeycloakDirectory.Member::subject).toList()),
                "canEndSessions", access.grants(person.roles(), "sessions:end"), "notice", notice, "error", error)));
    }
}
