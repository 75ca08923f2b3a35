package dev.mainstay.platform.queue.web;

import dev.mainstay.platform.app.ApplianceConfig;
import dev.mainstay.platform.identity.Requires;
import dev.mainstay.platform.queue.forge.github.GitHubSettings;
import dev.mainstay.platform.queue.store.QueueDefaults;
import dev.mainstay.platform.queue.store.QueueHistory;
import dev.mainstay.platform.queue.store.QueueStore;
import dev.mainstay.platform.web.ErrorPages;
import dev.mainstay.platform.web.Pages;
import dev.mainstay.queue.engine.QueueSettings;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
    private final QueueSettings settings;
    private final String github;
    private final Clock clock;

    @Inject
    QueuePages(Pages pages, ErrorPages errors, @Named(ApplianceConfig.DATA_SOURCE) DataSource dataSource, QueueStore store,
               QueueHistory history, QueueDefaults defaults, QueueSettings settings, Config config, Clock clock) {
        this.pages = pages;
        this.errors = errors;
        this.dataSource = dataSource;
        this.store = store;
        this.history = history;
        this.defaults = defaults;
        this.settings = settings;
        this.github = GitHubSettings.from(config).webUrl();
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
        return pages.html(Response.Status.OK, pages.render("queue/queues.jte",
            pages.context("Merge queues of " + org, "/orgs/" + org + "/queues"), model));
    }

    /** A queue's page; with {@code live=1}, only the part that refreshes. */
    @GET
    @Path("{owner}/{name}")
    @Requires("queue:read")
    public Response queue(@PathParam("org") String org, @PathParam("owner") String owner, @PathParam("name") String name,
                          @QueryParam("branch") String branch, @QueryParam("live") String live) throws SQLException {
        String repo = owner + "/" + name;
        Optional<QueueView> view = view(org, owner, name, branch);
        if (view.isEmpty()) {
            return errors.page(Response.Status.NOT_FOUND, "No such merge queue",
                "Mainstay has no merge queue of " + repo + (branch == null ? "" : " " + branch) + " among the queues of " + org
                    + ". A queue starts when a pull request to the branch is first queued.");
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("org", org);
        model.put("view", view.get());
        model.put("refreshUrl", "/orgs/" + org + "/queues/" + repo + "?branch=" + URLEncoder.encode(branch, StandardCharsets.UTF_8) + "&live=1");
        model.put("refreshSeconds", REFRESH_SECONDS);
        String title = "Merge queue of " + repo + " " + branch;
        String template = "1".equals(live) ? "queue/live.jte" : "queue/queue.jte";
        return pages.html(Response.Status.OK, pages.render(template, pages.context(title, "/orgs/" + org + "/queues"), model));
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
                return Optional.empty();
            }
            return Optional.of(QueueView.of(repo, branch, github, store.state(c, id.get()), history.recent(id.get(), HISTORY),
                history.medianTest(id.get(), now.minus(RECENT)), settings, now));
        }
    }
}
