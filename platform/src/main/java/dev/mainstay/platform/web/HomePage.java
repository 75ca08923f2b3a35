package dev.mainstay.platform.web;

import dev.mainstay.platform.identity.Public;
import dev.mainstay.platform.identity.RequestIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Map;

/** The landing page: a sign-in button, or straight to the account page when signed in. */
@RequestScoped
@Path("/")
public class HomePage {

    private final Pages pages;
    private final RequestIdentity identity;

    @Inject
    HomePage(Pages pages, RequestIdentity identity) {
        this.pages = pages;
        this.identity = identity;
    }

    @GET
    @Public("the landing page, where people start to sign in")
    public Response home() {
        if (identity.person().isPresent()) {
            return Response.seeOther(URI.create("/account")).build();
        }
        return pages.html(Response.Status.OK, pages.render("home.jte", pages.context("Sign in", "/"), Map.of()));
    }
}
