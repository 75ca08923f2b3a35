package dev.mainstay.platform.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** Error pages in the layout, saying what happened and what to do. */
@ApplicationScoped
public class ErrorPages {

    private final Pages pages;

    @Inject
    ErrorPages(Pages pages) {
        this.pages = pages;
    }

    /** A page with a status, a heading and one explaining paragraph. */
    public Response page(Response.Status status, String title, String message) {
        PageContext context = pages.context(title, "");
        return pages.html(status, pages.render("error.jte", context, Map.of("status", status.getStatusCode(), "message", message)));
    }
}
