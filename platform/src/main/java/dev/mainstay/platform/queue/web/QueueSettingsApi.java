package dev.mainstay.platform.queue.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mainstay.platform.app.ApplianceConfig;
import dev.mainstay.platform.auditing.AuditTrail;
import dev.mainstay.platform.auditing.Audited;
import dev.mainstay.platform.identity.Caller;
import dev.mainstay.platform.identity.Problems;
import dev.mainstay.platform.identity.RequestIdentity;
import dev.mainstay.platform.identity.Requires;
import dev.mainstay.platform.queue.worker.QueueConfig;
import dev.mainstay.platform.queue.worker.QueueConfigs;
import dev.mainstay.platform.queue.worker.QueueDefaults;
import dev.mainstay.platform.queue.worker.QueueStore.QueueKey;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A repository branch's merge-queue settings: {@code GET} shows those set and those in effect,
 * {@code PUT} replaces those set with a JSON object of {@link QueueConfig#KEYS} (a key left out
 * keeps the appliance's default; an unknown key or a value out of range is a 422 naming it).
 * Changing them needs {@code queue:configure} and a recent sign-in, and is audited with the
 * settings before and after. They apply from the queue's next event.
 */
@RequestScoped
@Path("/api/v1/orgs/{org}/queues/{owner}/{name}/settings")
@Produces(MediaType.APPLICATION_JSON)
public class QueueSettingsApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource dataSource;
    private final QueueConfigs configs;
    private final QueueDefaults defaults;
    private final AuditTrail audit;
    private final RequestIdentity identity;
    private final Clock clock;

    @Inject
    QueueSettingsApi(@Named(ApplianceConfig.DATA_SOURCE) DataSource dataSource, QueueConfigs configs, QueueDefaults defaults,
                     AuditTrail audit, RequestIdentity identity, Clock clock) {
        this.dataSource = dataSource;
        this.configs = configs;
        this.defaults = defaults;
        this.audit = audit;
        this.identity = identity;
        this.clock = clock;
    }

    @GET
    @Requires("queue:read")
    public Response show(@PathParam("org") String org, @PathParam("owner") String owner, @PathParam("name") String name,
                         @QueryParam("branch") String branch) throws SQLException {
        Optional<QueueKey> key = QueueBranches.key(defaults, org, owner, name, branch);
        if (key.isEmpty()) {
            return noSuchBranch(org, owner, name, branch);
        }
        try (Connection c = dataSource.getConnection()) {
            Optional<String> set = configs.overrides(c, key.get().repo(), key.get().branch());
            return Response.ok(body(key.get(), set.orElse("{}"), configs.forBranch(c, key.get().repo(), key.get().branch()))).build();
        }
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires("queue:configure")
    @Audited("queue.settings.update")
    public Response replace(@PathParam("org") String org, @PathParam("owner") String owner, @PathParam("name") String name,
                            @QueryParam("branch") String branch, String json) throws SQLException {
        Optional<QueueKey> key = QueueBranches.key(defaults, org, owner, name, branch);
        if (key.isEmpty()) {
            return noSuchBranch(org, owner, name, branch);
        }
        if (json == null || json.isBlank()) {
            return Problems.problem(Response.Status.BAD_REQUEST, "Body required", "send a JSON object of queue settings, {} for the defaults");
        }
        QueueConfig checked;
        try {
            checked = QueueConfig.read(json, configs.defaults());
        } catch (IllegalArgumentException e) {
            return Problems.problem(422, "Invalid queue settings", e.getMessage(), Map.of());
        }
        QueueSettingsApi.save(dataSource, configs, audit, identity.caller().orElseThrow(), org, key.get(), json, clock.instant());
        return Response.ok(body(key.get(), json, checked)).build();
    }

    /** Stores {@code json} as the settings of {@code key}, audited for {@code caller} of {@code org}, in a transaction of its own. */
    static void save(DataSource dataSource, QueueConfigs configs, AuditTrail audit, Caller caller, String org, QueueKey key, String json,
                     Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                configs.save(c, audit, caller.actor(), org, key.repo(), key.branch(), json, now);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    static Response noSuchBranch(String org, String owner, String name, String branch) {
        return Problems.problem(Response.Status.NOT_FOUND, "No such queue", branch == null || branch.isBlank()
            ? "name the target branch as ?branch=main"
            : owner + "/" + name + " " + branch + " is not a branch among the repositories whose merge queues " + org + " sees");
    }

    private static String body(QueueKey key, String set, QueueConfig effective) {
        try {
            ObjectNode out = JSON.createObjectNode();
            out.put("repository", key.repo());
            out.put("branch", key.branch());
            out.set("settings", JSON.readTree(set));
            out.set("effective", JSON.readTree(effective.json()));
            return JSON.writeValueAsString(out);
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e);
        }
    }
}
