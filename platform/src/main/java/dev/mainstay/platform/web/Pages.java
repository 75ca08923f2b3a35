package dev.mainstay.platform.web;

import dev.mainstay.platform.identity.AccessPolicy;
import dev.mainstay.platform.identity.Caller;
import dev.mainstay.platform.identity.RequestIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds pages: the layout's context from the current request's identity, and an HTML response
 * from a template. Navigation shows only what the person's roles may open.
 */
@ApplicationScoped
public class Pages {

    private final RequestIdentity identity;
    private final AccessPolicy access;
    private final Templates templates;

    @Inject
    Pages(RequestIdentity identity, AccessPolicy access, Templates templates) {
        this.identity = identity;
        this.access = access;
        this.templates = templates;
    }

    /** The layout context for a page at {@code path}. */
    public PageContext context(String title, String path) {
        Optional<Caller.Person> person = identity.person();
        List<PageContext.NavItem> nav = new ArrayList<>();
        person.ifPresent(p -> {
            nav.add(new PageContext.NavItem("Account", "/account", "You"));
            if (access.grants(p.roles(), "audit:read")) {
                nav.add(new PageContext.NavItem("Audit trail", "/audit", "Compliance"));
            }
            if (access.grants(p.roles(), "jobs:read")) {
                nav.add(new PageContext.NavItem("Jobs", "/jobs", "Compliance"));
            }
            for (String org : p.orgs()) {
                if (access.grants(p.roles(), "members:read")) {
                    nav.add(new PageContext.NavItem("Members", "/orgs/" + org + "/members", org));
                }
                if (access.grants(p.roles(), "uploads:read")) {
                    nav.add(new PageContext.NavItem("Flaky tests", "/orgs/" + org + "/flaky", org));
                    nav.add(new PageContext.NavItem("Uploads", "/orgs/" + org + "/uploads", org));
                }
                if (access.grants(p.roles(), "queue:read")) {
                    nav.add(new PageContext.NavItem("Merge queues", "/orgs/" + org + "/queues", org));
                }
                if (access.grants(p.roles(), "tokens:read")) {
                    nav.add(new PageContext.NavItem("API tokens", "/orgs/" + org + "/tokens", org));
                }
                if (access.grants(p.roles(), "webhooks:manage")) {
                    nav.add(new PageContext.NavItem("Webhooks", "/orgs/" + org + "/webhooks", org));
                }
            }
        });
        return new PageContext(title, person, identity.csrfToken().orElse(""), List.copyOf(nav), path,
            StaticAssets.BASE + "/" + StaticAssets.VERSION, StaticAssets.VERSION);
    }

    /** Renders {@code template} with {@code page} and further parameters. */
    public String render(String template, PageContext page, Map<String, Object> parameters) {
        Map<String, Object> all = new LinkedHashMap<>(parameters);
        all.put("page", page);
        return templates.render(template, all);
    }

    /** An HTML response. */
    public Response html(Response.Status status, String body) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
            .header("Cache-Control", "no-store").entity(body).build();
    }
}
