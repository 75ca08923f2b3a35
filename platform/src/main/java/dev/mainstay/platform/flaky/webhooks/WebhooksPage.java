package dev.mainstay.platform.flaky.webhooks;

import dev.mainstay.platform.auditing.Audited;
import dev.mainstay.platform.identity.RequestIdentity;
import dev.mainstay.platform.identity.Requires;
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
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The org's Webhooks page: the webhooks, their latest deliveries, and forms to add one (its secret
 * is shown once, on the page that answers the form), send it a test ping, or remove it.
 */
@RequestScoped
@Path("/orgs/{org}/webhooks")
public class WebhooksPage {

    /** Deliveries shown. */
    static final int SHOWN = 50;

    private final Pages pages;
    private final Webhooks webhooks;
    private final WebhookDeliverer deliverer;
    private final RequestIdentity identity;

    @Inject
    WebhooksPage(Pages pages, Webhooks webhooks, WebhookDeliverer deliverer, RequestIdentity identity) {
        this.pages = pages;
        this.webhooks = webhooks;
        this.deliverer = deliverer;
        this.identity = identity;
    }

    @GET
    @Requires("webhooks:manage")
    public Response list(@PathParam("org") String org) {
        return page(org, Response.Status.OK, Optional.empty(), Optional.empty());
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Requires("webhooks:manage")
    @Audited("webhook.create")
    public Response make(@PathParam("org") String org, @FormParam("url") String url, @FormParam("event") List<String> events) {
        return switch (webhooks.make(org, url, events, identity.caller().orElseThrow())) {
            case Webhooks.Making.Made made -> page(org, Response.Status.CREATED, Optional.of(made), Optional.empty());
            case Webhooks.Making.Refused refused -> page(org, Response.Status.BAD_REQUEST, Optional.empty(), Optional.of(refused));
        };
    }

    @POST
    @Path("{id}/test")
    @Requires("webhooks:manage")
    @Audited("webhook.test")
    public Response test(@PathParam("org") String org, @PathParam("id") String id) {
        if (webhooks.ping(org, id, identity.caller().orElseThrow()).isEmpty()) {
            return missing(org);
        }
        deliverer.wake();
        return Response.seeOther(URI.create("/orgs/" + org + "/webhooks")).build();
    }

    @POST
    @Path("{id}/delete")
    @Requires("webhooks:manage")
    @Audited("webhook.delete")
    public Response remove(@PathParam("org") String org, @PathParam("id") String id) {
        if (webhooks.remove(org, id, identity.caller().orElseThrow()).isEmpty()) {
            return missing(org);
        }
        return Response.seeOther(URI.create("/orgs/" + org + "/webhooks")).build();
    }

    private static Response missing(String org) {
        return Response.status(Response.Status.NOT_FOUND).type(MediaType.TEXT_PLAIN).entity("no such webhook in " + org).build();
    }

    private Response page(String org, Response.Status status, Optional<Webhooks.Making.Made> made,
                          Optional<Webhooks.Making.Refused> refused) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("org", org);
        model.put("webhooks", webhooks.list(org));
        model.put("deliveries", webhooks.deliveries(org, SHOWN));
        model.put("events", WebhookOutbox.EVENTS);
        model.put("made", made.orElse(null));
        model.put("refused", refused.orElse(null));
        return pages.html(status, pages.render("flaky/webhooks.jte",
            pages.context("Webhooks of " + org, "/orgs/" + org + "/webhooks"), model));
    }
}
