package dev.mainstay.platform.queue.web;

import dev.mainstay.platform.app.ApplianceConfig;
import dev.mainstay.platform.auditing.Audited;
import dev.mainstay.platform.identity.AccessPolicy;
import dev.mainstay.platform.identity.Caller;
import dev.mainstay.platform.identity.RequestIdentity;
import dev.mainstay.platform.identity.Requires;
import dev.mainstay.platform.queue.forge.github.GitHubSettings;
import dev.mainstay.platform.queue.inbound.GitHubWebhookSettings;
import dev.mainstay.platform.queue.worker.QueueConfigs;
import dev.mainstay.platform.queue.worker.QueueDefaults;
import dev.mainstay.platform.queue.worker.QueueHistory;
import dev.mainstay.platform.queue.worker.QueueRequests;
import dev.mainstay.platform.queue.worker.QueueStore;
import dev.mainstay.platform.web.ErrorPages;
import dev.mainstay.platform.web.Pages;
import dev.mainstay.queue.engine.Priority;
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
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.Config;

/**
 * The org's merge queues: the list of its repositories' queues, and each queue's page, which
 * refreshes its entries, candidate tests and history every {@value #REFRESH_SECONDS} s. An org sees
 * the queues of the GitHub owners {@code mainstay.queue.org-owners} maps to it.
 */
@RequestScoped
@Path("/orgs/{org}/queues")
public class QueuePages {

    static final int REFRESH_SECONDS = 5;
    static final int HISTORY = 50;
    /** Expected waits come from the candidate tests that finished in this long. */
    static final Duration RECENT = Duration.ofDays(7);

    private final Pages pages;
    private final ErrorPages errors;
    private final DataSource dataSource;
    private final QueueStore store;
    private final QueueHistory history;
    private final QueueDefaults defaults;
    private final QueueConfigs configs;
    private final QueueEntries entries;
    private final QueueControls controls;
    private final RequestIdentity identity;
    private final AccessPolicy access;
    private final String github;
    private final GitHubSetup setup;
    private final Clock clock;

    @Inject
    QueuePages(Pages pages, ErrorPages errors, @Named(ApplianceConfig.DATA_SOURCE) DataSource dataSource, QueueStore store,
               QueueHistory history, QueueDefaults defaults, QueueConfigs configs, QueueEntries entries, QueueControls controls,
               RequestIdentity identity, AccessPolicy access, Config config, Clock clock) {
        this.pages = pages;
        this.errors = errors;
        this.dataSource = dataSource;
        this.store = store;
        this.history = history;
        this.defaults = defaults;
        this.configs = configs;
        this.entries = entries;
        this.controls = controls;
        this.identity = identity;
        this.access = access;
        this.github = GitHubSettings.from(config).webUrl();
        this.setup = GitHubSetup.of(GitHubSettings.from(config), GitHubWebhookSettings.from(config));
        this.clock = clock;
    }

    @GET
    @Requires("queue:read")
    public Response list(@PathParam("org") String org) throws SQLException {
        List<QueueStore.Summary> queues;
        try (Connection c = dataSource.getConnection()) {
            queues = store.list(c, defaults.ownersOf(org));
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("org", org);
        model.put("owners", List.copyOf(defaults.ownersOf(org)));
        model.put("queues", queues);
        model.put("setup", setup);
        return pages.html(Response.Status.OK, pages.render("queue/queues.jte",
            pages.context("Merge queues of " + org, "/orgs/" + org + "/queues"), model));
    }

    /**
     * The settings page of the repository branch a form names ({@code repo=owner/name&branch=}), so
     * that a branch's queue can be set up before its first pull request is queued.
     */
    @GET
    @Path("settings")
    @Requires("queue:read")
    public Response settingsOf(@PathParam("org") String org, @QueryParam("repo") String repo, @QueryParam("branch") String branch) {
        String r = repo == null ? "" : repo.strip();
        String b = branch == null ? "" : branch.strip();
        if (!r.matches("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+") || b.isEmpty()) {
            return errors.page(Response.Status.BAD_REQUEST, "Name a repository and branch",
                "Name the repository as owner/name, e.g. acme/web, and its target branch, e.g. main.");
        }
        String[] parts = r.split("/");
        return Response.seeOther(UriBuilder.fromPath("/orgs/{org}/queues/{owner}/{name}/settings").queryParam("branch", b)
            .build(org, parts[0], parts[1])).build();
    }

    /** A queue's page; with {@code live=1}, only the part that refreshes. */
    @GET
    @Path("{owner}/{name}")
    @Requires("queue:read")
    public Response queue(@PathParam("org") String org, @PathParam("owner") String owner, @PathParam("name") String name,
                          @QueryParam("branch") String branch, @QueryParam("live") String live, @QueryParam("queued") String queued,
                          @QueryParam("removed") String removed, @QueryParam("control") String control) throws SQLException {
        String notice = number(queued).map(n -> "#" + n + " is queued. It shows here once the queue has taken it, in a moment.")
            .or(() -> number(removed).map(n -> "#" + n + " leaves the queue in a moment."))
            .or(() -> QueueControls.Control.of(control == null ? "" : control).map(c -> switch (c) {
                case PAUSE -> "The queue pauses in a moment.";
                case DRAIN -> "The queue drains: what is queued now merges, then it pauses.";
                case RESUME -> "The queue resumes in a moment.";
            })).orElse("");
        return page(org, owner, name, branch, "1".equals(live), Response.Status.OK, notice, "");
    }

    /** Queues a pull request from the page: the same request, checks and audit as the API's. */
    @POST
    @Path("{owner}/{name}/entries")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Requires("queue:write")
    @Audited("queue.merge")
    public Response enqueue(@PathParam("org") String org, @PathParam("owner") String owner, @PathParam("name") String name,
                            @QueryParam("branch") String branch, MultivaluedMap<String, String> form) throws SQLException {
        Optional<Integer> number = number(form.getFirst("pull_request"));
        String level = Optional.ofNullable(form.getFirst("priority")).orElse("");
        Optional<Priority> priority = level.isEmpty() ? Optional.empty() : QueueRequests.priority(level);
        if (number.isEmpty() || !level.isEmpty() && priority.isEmpty()) {
            return page(org, owner, name, branch, false, Response.Status.BAD_REQUEST, "",
                "Name the pull request by its number, e.g. 42, and a priority of urgent, high, normal or low.");
        }
        return act(org, owner, name, branch, number.get(), QueueRequests.Command.merge(priority), "queued");
    }

    /** Takes a pull request out of the queue from the page. */
    @POST
    @Path("{owner}/{name}/entries/{number}/remove")
    @Requires("queue:write")
    @Audited("queue.cancel")
    public Response remove(@PathParam("org") String org, @PathParam("owner") String owner, @PathParam("name") String name,
                           @PathParam("number") String number, @QueryParam("branch") String branch) throws SQLException {
        Optional<Integer> pr = number(number);
        if (pr.isEmpty()) {
            return page(org, owner, name, branch, false, Response.Status.NOT_FOUND, "", "'" + number + "' is not a pull request number.");
        }
        return act(org, owner, name, branch, pr.get(), QueueRequests.Command.cancel(), "removed");
    }

    /** Pauses the queue from its page. */
    @POST
    @Path("{owner}/{name}/pause")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Requires("queue:configure")
    @Audited("queue.pause")
    public Response pause(@PathParam("org") String org, @PathParam("owner") String owner, @PathParam("name") String name,
                          @QueryParam("branch") String branch, MultivaluedMap<String, String> form) throws SQLException {
        return control(org, owner, name, branch, QueueControls.Control.PAUSE, form.getFirst("reason"));
    }

    /** Drains the queue from its page. */
    @POST
    @Path("{owner}/{name}/drain")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Requires("queue:configure")
    @Audited("queue.drain")
    public Response drain(@PathParam("org") String org, @PathParam("owner") String owner, @PathParam("name") String name,
                          @QueryParam("branch") String branch, MultivaluedMap<String, String> form) throws SQLException {
        return control(org, owner, name, branch, QueueControls.Control.DRAIN, form.getFirst("reason"));
    }

    /** Resumes the queue from its page. */
    @POST
    @Path("{owner}/{name}/resume")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Requires("queue:configure")
    @Audited("queue.resume")
    public Response resume(@PathParam("org") String org, @PathParam("owner") String owner, @PathParam("name") String name,
                           @QueryParam("branch") String branch, MultivaluedMap<String, String> form) throws SQLException {
        return control(org, owner, name, branch, QueueControls.Control.RESUME, form.getFirst("reason"));
    }

    private Response control(String org, String owner, String name, String branch, QueueControls.Control control, String reason)
        throws SQLException {
        Optional<QueueStore.QueueKey> key = QueueBranches.key(defaults, org, owner, name, branch);
        try {
            if (key.isEmpty()) {
                return page(org, owner, name, branch, false, Response.Status.NOT_FOUND, "", "");
            }
            if (!controls.apply(identity.caller().orElseThrow(), org, key.get(), control, reason)) {
                return page(org, owner, name, branch, false, Response.Status.CONFLICT, "",
                    "No pull request was queued to this branch yet, so there is no queue to " + control.word() + ".");
            }
        } catch (IllegalArgumentException e) {
            return page(org, owner, name, branch, false, Response.Status.BAD_REQUEST, "", e.getMessage() + ".");
        }
        return Response.seeOther(UriBuilder.fromPath("/orgs/{org}/queues/{owner}/{name}").queryParam("branch", branch)
            .queryParam("control", control.word()).build(org, owner, name)).build();
    }

    private Response act(String org, String owner, String name, String branch, int number, QueueRequests.Command command, String done)
        throws SQLException {
        String repo = owner + "/" + name;
        if (!defaults.sees(org, repo)) {
            return page(org, owner, name, branch, false, Response.Status.NOT_FOUND, "", "");
        }
        QueueEntries.Result result = entries.request(identity.caller().orElseThrow(), org, repo, number, command,
            "ui:" + org + ":" + UUID.randomUUID());
        return switch (result) {
            case QueueEntries.Accepted a -> Response.seeOther(UriBuilder.fromPath("/orgs/{org}/queues/{owner}/{name}")
                .queryParam("branch", a.branch()).queryParam(done, a.pr()).build(org, owner, name)).build();
            case QueueEntries.Refused r -> page(org, owner, name, branch, false, Response.Status.fromStatusCode(r.status()), "",
                r.detail() + ".");
        };
    }

    private static Optional<Integer> number(String text) {
        return text != null && text.strip().matches("#?[1-9][0-9]{0,8}") ? Optional.of(Integer.parseInt(text.strip().replace("#", "")))
            : Optional.empty();
    }

    private Response page(String org, String owner, String name, String branch, boolean live, Response.Status status, String notice,
                          String problem) throws SQLException {
        String repo = owner + "/" + name;
        Optional<QueueView> view = view(org, owner, name, branch);
        if (view.isEmpty()) {
            return errors.page(status == Response.Status.OK ? Response.Status.NOT_FOUND : status,
                problem.isEmpty() ? "No such merge queue" : "Not done",
                (problem.isEmpty() ? "" : problem + " ") + (branch == null || branch.isBlank() ? "Name the target branch, e.g. ?branch=main."
                    : repo + " is not among the repositories whose merge queues " + org + " sees (mainstay.queue.org-owners)."));
        }
        Caller caller = identity.caller().orElseThrow();
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("org", org);
        model.put("view", view.get());
        model.put("refreshUrl", "/orgs/" + org + "/queues/" + repo + "?branch=" + view.get().branchQuery() + "&live=1");
        model.put("refreshSeconds", REFRESH_SECONDS);
        model.put("canWrite", caller instanceof Caller.Person p && access.grants(p.roles(), "queue:write"));
        model.put("canConfigure", caller instanceof Caller.Person p && access.grants(p.roles(), "queue:configure"));
        model.put("notice", notice);
        model.put("problem", problem);
        String title = "Merge queue of " + repo + " " + branch;
        String template = live ? "queue/live.jte" : "queue/queue.jte";
        return pages.html(status, pages.render(template, pages.context(title, "/orgs/" + org + "/queues"), model));
    }

    private Optional<QueueView> view(String org, String owner, String name, String branch) throws SQLException {
        Optional<QueueStore.QueueKey> branchKey = QueueBranches.key(defaults, org, owner, name, branch);
        if (branchKey.isEmpty()) {
            return Optional.empty();
        }
        QueueStore.QueueKey key = branchKey.get();
        String repo = key.repo();
        Instant now = clock.instant();
        try (Connection c = dataSource.getConnection()) {
            Optional<UUID> id = store.find(c, key);
            if (id.isEmpty()) {
                // A branch the org sees but nobody queued to yet: an empty queue, not a missing page.
                return Optional.of(QueueView.notStarted(repo, key.branch(), github));
            }
            return Optional.of(QueueView.of(repo, branch, github, store.state(c, id.get()), history.recent(id.get(), HISTORY),
                history.medianTest(id.get(), now.minus(RECENT)), configs.forQueue(c, id.get()).engine(), now));
        }
    }
}
