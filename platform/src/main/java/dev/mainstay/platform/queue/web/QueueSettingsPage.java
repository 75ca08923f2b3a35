package dev.mainstay.platform.queue.web;

import dev.mainstay.platform.app.ApplianceConfig;
import dev.mainstay.platform.auditing.AuditTrail;
import dev.mainstay.platform.auditing.Audited;
import dev.mainstay.platform.identity.AccessPolicy;
import dev.mainstay.platform.identity.Caller;
import dev.mainstay.platform.identity.RequestIdentity;
import dev.mainstay.platform.identity.Requires;
import dev.mainstay.platform.queue.worker.QueueConfig;
import dev.mainstay.platform.queue.worker.QueueConfigs;
import dev.mainstay.platform.queue.worker.QueueDefaults;
import dev.mainstay.platform.queue.worker.QueueStore.QueueKey;
import dev.mainstay.platform.web.ErrorPages;
import dev.mainstay.platform.web.Pages;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A repository branch's merge-queue settings page: everyone who sees the queue reads the settings
 * in effect; those with {@code queue:configure} change them (after a recent sign-in), audited.
 */
@RequestScoped
@Path("/orgs/{org}/queues/{owner}/{name}/settings")
public class QueueSettingsPage {

    private final Pages pages;
    private final ErrorPages errors;
    private final DataSource dataSource;
    private final QueueConfigs configs;
    private final QueueDefaults defaults;
    private final AuditTrail audit;
    private final RequestIdentity identity;
    private final AccessPolicy access;
    private final Clock clock;

    @Inject
    QueueSettingsPage(Pages pages, ErrorPages errors, @Named(ApplianceConfig.DATA_SOURCE) DataSource dataSource, QueueConfigs configs,
                      QueueDefaults defaults, AuditTrail audit, RequestIdentity identity, AccessPolicy access, Clock clock) {
        this.pages = pages;
        this.errors = errors;
        this.dataSource = dataSource;
        this.configs = configs;
        this.defaults = defaults;
        this.audit = audit;
        this.identity = identity;
        this.access = access;
        this.clock = clock;
    }

    @GET
    @Requires("queue:read")
    public Response show(@PathParam("org") String org, @PathParam("owner") String owner, @PathParam("name") String name,
                         @QueryParam("branch") String branch, @QueryParam("saved") String saved) throws SQLException {
        Optional<QueueKey> key = QueueBranches.key(defaults, org, owner, name, branch);
        if (key.isEmpty()) {
            return noSuchBranch(org, owner, name, branch);
        }
        return page(org, key.get(), Response.Status.OK, Optional.empty(), "",
            "1".equals(saved) ? "Queue settings saved. They apply from the queue's next event." : "");
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Requires("queue:configure")
    @Audited("queue.settings.update")
    public Response save(@PathParam("org") String org, @PathParam("owner") String owner, @PathParam("name") String name,
                         @QueryParam("branch") String branch, MultivaluedMap<String, String> form) throws SQLException {
        Optional<QueueKey> key = QueueBranches.key(defaults, org, owner, name, branch);
        if (key.isEmpty()) {
            return noSuchBranch(org, owner, name, branch);
        }
        Map<String, String> entered = QueueSettingsForm.entered(form);
        String json;
        try {
            json = QueueSettingsForm.json(entered);
            QueueConfig.read(json, configs.defaults());
        } catch (IllegalArgumentException e) {
            return page(org, key.get(), Response.Status.BAD_REQUEST, Optional.of(entered), e.getMessage(), "");
        }
        QueueSettingsApi.save(dataSource, configs, audit, identity.caller().orElseThrow(), org, key.get(), json, clock.instant());
        return Response.seeOther(UriBuilder.fromPath("/orgs/{org}/queues/{owner}/{name}/settings").queryParam("branch", branch)
            .queryParam("saved", "1").build(org, owner, name)).build();
    }

    private Response noSuchBranch(String org, String owner, String name, String branch) {
        return errors.page(Response.Status.NOT_FOUND, "No such merge queue", branch == null || branch.isBlank()
            ? "Name the target branch, e.g. ?branch=main."
            : owner + "/" + name + " " + branch + " is not a branch among the repositories whose merge queues " + org + " sees.");
    }

    private Response page(String org, QueueKey key, Response.Status status, Optional<Map<String, String>> entered, String problem,
                          String notice) throws SQLException {
        Caller caller = identity.caller().orElseThrow();
        QueueConfig effective;
        Map<String, String> shown;
        try (Connection c = dataSource.getConnection()) {
            effective = configs.forBranch(c, key.repo(), key.branch());
            shown = entered.orElse(QueueSettingsForm.values(configs.overrides(c, key.repo(), key.branch()).orElse("{}")));
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("org", org);
        model.put("repo", key.repo());
        model.put("branch", key.branch());
        model.put("fields", QueueSettingsForm.fields(shown, configs.defaults(), effective));
        model.put("canConfigure", caller instanceof Caller.Person p && access.grants(p.roles(), "queue:configure"));
        model.put("problem", problem);
        model.put("notice", notice);
        model.put("action", UriBuilder.fromPath("/orgs/{org}/queues/{repo}/settings").queryParam("branch", key.branch())
            .build(org, key.repo()).toString().replace("%2F", "/"));
        model.put("queueUrl", UriBuilder.fromPath("/orgs/{org}/queues/{repo}").queryParam("branch", key.branch())
            .build(org, key.repo()).toString().replace("%2F", "/"));
        return pages.html(status, pages.render("queue/settings.jte",
            pages.context("Merge queue settings of " + key.repo() + " " + key.branch(), "/orgs/" + org + "/queues"), model));
    }
}
