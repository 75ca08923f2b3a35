package dev.mainstay.platform.identity;

import dev.mainstay.platform.web.Pages;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Where a person lands after signing in again for a sensitive action: the form they had
 * submitted, kept by {@link PendingActions}, offered back once with its values shown and one
 * button that sends it. A form that expired, was already sent, or is another person's is not
 * shown; the page says to submit it again.
 */
@RequestScoped
@Path(ContinuePage.PATH + "/{id}")
public class ContinuePage {

    /** The path, followed by the kept form's id. */
    static final String PATH = "/continue";

    private final Pages pages;
    private final RequestIdentity identity;
    private final PendingActions pending;

    @Inject
    ContinuePage(Pages pages, RequestIdentity identity, PendingActions pending) {
        this.pages = pages;
        this.identity = identity;
        this.pending = pending;
    }

    @GET
    @Requires("account:read")
    public Response show(@PathParam("id") String id) {
        Optional<PendingActions.Pending> kept = parse(id).flatMap(uuid -> pending.take(identity.person().orElseThrow().subject(), uuid));
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("pending", kept.orElse(null));
        return pages.html(kept.isPresent() ? Response.Status.OK : Response.Status.NOT_FOUND,
            pages.render("identity/continue.jte", pages.context("Continue where you were", ""), model));
    }

    private static Optional<UUID> parse(String id) {
        try {
            return Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
