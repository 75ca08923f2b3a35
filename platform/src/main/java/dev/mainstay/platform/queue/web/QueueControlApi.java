package dev.mainstay.platform.queue.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mainstay.platform.auditing.Audited;
import dev.mainstay.platform.identity.Problems;
import dev.mainstay.platform.identity.RequestIdentity;
import dev.mainstay.platform.identity.Requires;
import dev.mainstay.platform.queue.web.QueueControls.Control;
import dev.mainstay.platform.queue.worker.QueueDefaults;
import dev.mainstay.platform.queue.worker.QueueStore.QueueKey;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;

/**
 * Pausing, draining and resuming a repository branch's merge queue over the API:
 * {@code POST .../pause}, {@code .../drain} or {@code .../resume} with an optional JSON body
 * {@code {"reason": "release freeze"}}; 202 once the queue has it, 404 when the branch has no queue.
 * Needs {@code queue:configure} and a recent sign-in, like the settings, and is audited with the reason.
 */
@RequestScoped
@Path("/api/v1/orgs/{org}/queues/{owner}/{name}")
@Produces(MediaType.APPLICATION_JSON)
public class QueueControlApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final QueueControls controls;
    private final QueueDefaults defaults;
    private final RequestIdentity identity;

    @Inject
    QueueControlApi(QueueControls controls, QueueDefaults defaults, RequestIdentity identity) {
        this.controls = controls;
        this.defaults = defaults;
        this.identity = identity;
    }

    @POST
    @Path("pause")
    @Requires("queue:configure")
    @Audited("queue.pause")
    public Response pause(@PathParam("org") String org, @PathParam("owner") String owner, @PathParam("name") String name,
                          @QueryParam("branch") String branch, String body) throws SQLException {
        return apply(org, owner, name, branch, Control.PAUSE, body);
    }

    @POST
    @Path("drain")
    @Requires("queue:configure")
    @Audited("queue.drain")
    public Response drain(@PathParam("org") String org, @PathParam("owner") String owner, @PathParam("name") String name,
                          @QueryParam("branch") String branch, String body) throws SQLException {
        return apply(org, owner, name, branch, Control.DRAIN, body);
    }

    @POST
    @Path("resume")
    @Requires("queue:configure")
    @Audited("queue.resume")
    public Response resume(@PathParam("org") String org, @PathParam("owner") String owner, @PathParam("name") String name,
                           @QueryParam("branch") String branch, String body) throws SQLException {
        return apply(org, owner, name, branch, Control.RESUME, body);
    }

    private Response apply(String org, String owner, String name, String branch, Control control, String body) throws SQLException {
        Optional<QueueKey> key = QueueBranches.key(defaults, org, owner, name, branch);
        if (key.isEmpty()) {
            return QueueSettingsApi.noSuchBranch(org, owner, name, branch);
        }
        String reason = "";
        if (body != null && !body.isBlank()) {
            try {
                JsonNode tree = JSON.readTree(body);
                if (tree == null || !tree.isObject() || tree.size() > 1 || tree.size() == 1 && !tree.path("reason").isTextual()) {
                    return Problems.problem(422, "Invalid request", "send nothing, or {\"reason\": \"...\"}", Map.of());
                }
                reason = tree.path("reason").asText("");
            } catch (IOException e) {
                return Problems.problem(422, "Invalid request", "not valid JSON; send nothing, or {\"reason\": \"...\"}", Map.of());
            }
        }
        try {
            if (!controls.apply(identity.caller().orElseThrow(), org, key.get(), control, reason)) {
                return Problems.problem(Response.Status.NOT_FOUND, "No such queue", key.get().repo() + " " + key.get().branch()
                    + " has no merge queue yet; it starts when a pull request to the branch is first queued");
            }
        } catch (IllegalArgumentException e) {
            return Problems.problem(422, "Invalid request", e.getMessage(), Map.of());
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("repository", key.get().repo()).put("branch", key.get().branch()).put("control", control.word());
        return Response.accepted(out.toString()).type(MediaType.APPLICATION_JSON).build();
    }
}
