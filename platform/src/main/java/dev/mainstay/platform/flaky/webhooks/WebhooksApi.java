package dev.mainstay.platform.flaky.webhooks;

import dev.mainstay.platform.auditing.Audited;
import dev.mainstay.platform.identity.Caller;
import dev.mainstay.platform.identity.Problems;
import dev.mainstay.platform.identity.RequestIdentity;
import dev.mainstay.platform.identity.Requires;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
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
import java.util.UUID;

/**
 * An org's outbound webhooks: list, make (the signing secret is generated and answered this once),
 * pause or resume, remove, and send a test ping. Org admins only ({@code webhooks:manage}); every
 * change is audited.
 */
@RequestScoped
@Path("/api/v1/orgs/{org}/webhooks")
@Produces(MediaType.APPLICATION_JSON)
public class WebhooksApi {

    private final Webhooks webhooks;
    private final WebhookDeliverer deliverer;
    private final RequestIdentity identity;

    /**
     * The request body of {@code POST}.
     *
     * @param url    the https:// URL to POST deliveries to
     * @param events the events to subscribe to
     */
    public record MakeWebhook(String url, List<String> events) {
    }

    /**
     * The request body of {@code PATCH}.
     *
     * @param enabled false pauses the webhook, true resumes it
     */
    public record ChangeWebhook(Boolean enabled) {
    }

    @Inject
    WebhooksApi(Webhooks webhooks, WebhookDeliverer deliverer, RequestIdentity identity) {
        this.webhooks = webhooks;
        this.deliverer = deliverer;
        this.identity = identity;
    }

    @GET
    @Requires("webhooks:manage")
    public List<WebhookView> list(@PathParam("org") String org) {
        return webhooks.list(org);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires("webhooks:manage")
    @Audited("webhook.create")
    public Response make(@PathParam("org") String org, MakeWebhook body) {
        if (body == null) {
            return Problems.problem(Response.Status.BAD_REQUEST, "Body required",
                "send {\"url\": \"https://…\", \"events\": " + WebhookOutbox.EVENTS.stream().map(e -> "\"" + e + "\"").toList() + "}");
        }
        return switch (webhooks.make(org, body.url(), body.events(), caller())) {
            case Webhooks.Making.Made made -> {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("webhook", made.view());
                out.put("secret", made.secret());
                yield Response.created(URI.create("/api/v1/orgs/" + org + "/webhooks/" + made.view().id())).entity(out).build();
            }
            case Webhooks.Making.Refused refused -> invalid(refused.field(), refused.reason());
        };
    }

    @PATCH
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires("webhooks:manage")
    @Audited("webhook.update")
    public Response change(@PathParam("org") String org, @PathParam("id") String id, ChangeWebhook body) {
        if (body == null) {
            return Problems.problem(Response.Status.BAD_REQUEST, "Body required", "send {\"enabled\": true} or {\"enabled\": false}");
        }
        if (body.enabled() == null) {
            return invalid("enabled", "give true to resume the webhook or false to pause it");
        }
        Optional<WebhookView> changed = webhooks.enable(org, id, body.enabled(), caller());
        if (changed.isPresent() && changed.get().enabled()) {
            deliverer.wake();
        }
        return changed.map(view -> Response.ok(view).build()).orElseGet(() -> notFound(org, id));
    }

    @DELETE
    @Path("{id}")
    @Requires("webhooks:manage")
    @Audited("webhook.delete")
    public Response remove(@PathParam("org") String org, @PathParam("id") String id) {
        return webhooks.remove(org, id, caller()).map(view -> Response.ok(view).build()).orElseGet(() -> notFound(org, id));
    }

    @POST
    @Path("{id}/test")
    @Requires("webhooks:manage")
    @Audited("webhook.test")
    public Response test(@PathParam("org") String org, @PathParam("id") String id) {
        Optional<UUID> delivery = webhooks.ping(org, id, caller());
        if (delivery.isEmpty()) {
            return notFound(org, id);
        }
        deliverer.wake();
        return Response.accepted(Map.of("delivery", delivery.get().toString(), "event", WebhookOutbox.PING)).build();
    }

    private Caller caller() {
        return identity.caller().orElseThrow();
    }

    private static Response invalid(String field, String reason) {
        return Problems.problem(422, "Invalid " + field, reason, Map.of("field", field));
    }

    private static Response notFound(String org, String id) {
        return Problems.problem(Response.Status.NOT_FOUND, "Not found", "no webhook " + id + " in " + org);
    }
}
