package dev.mainstay.platform.web;

import dev.mainstay.platform.identity.Public;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/**
 * {@code /favicon.ico}, where browsers look for a site's icon on their own: for the sign-in page,
 * for JSON and error responses opened in a tab, for bookmarks. Pages also name the icon under the
 * versioned {@link StaticAssets} path, cached for a year; this fixed path is cached for a day, so
 * a new icon shows within one.
 */
@ApplicationScoped
@Path("/favicon.ico")
public class Favicon {

    /** The icon's media type. */
    static final String MEDIA_TYPE = "image/x-icon";

    @GET
    @Public("browsers fetch the site's icon without credentials, before anyone signs in")
    public Response icon() {
        return Response.ok(StaticAssets.content("favicon.ico"), MEDIA_TYPE)
            .header("Cache-Control", "public, max-age=86400")
            .build();
    }
}
