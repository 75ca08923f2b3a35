package dev.mainstay.platform.ingest;

import dev.mainstay.platform.identity.Requires;
import dev.mainstay.platform.web.ClientHints;
import dev.mainstay.platform.web.Pages;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The org's Uploads page: activity per repository, and the latest uploads with their counts or why they were refused. */
@RequestScoped
@Path("/orgs/{org}/uploads")
public class UploadsPage {

    private static final int SHOWN = 100;

    private final Pages pages;
    private final Uploads uploads;
    private final Clock clock;
    private final ClientHints hints;

    @Inject
    UploadsPage(Pages pages, Uploads uploads, Clock clock, ClientHints hints) {
        this.hints = hints;
        this.pages = pages;
        this.uploads = uploads;
        this.clock = clock;
    }

    @GET
    @Requires("uploads:read")
    public Response list(@PathParam("org") String org, @QueryParam("repo") String repo, @Context UriInfo uri) {
        Optional<String> only = Optional.ofNullable(repo).map(String::strip).filter(r -> !r.isEmpty());
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("org", org);
        model.put("repo", only.orElse(""));
        model.put("repos", uploads.activity(org, clock.instant().minus(Duration.ofDays(7))));
        model.put("uploads", uploads.recent(org, only, SHOWN));
        model.put("baseUrl", uri.getBaseUri().toString().replaceAll("/$", ""));
        model.put("caCert", hints.caCertOption());
        return pages.html(Response.Status.OK, pages.render("ingest/uploads.jte",
            pages.context("Uploads of " + org, "/orgs/" + org + "/uploads"), model));
    }
}
