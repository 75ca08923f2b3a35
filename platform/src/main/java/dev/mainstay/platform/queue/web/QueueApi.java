package dev.mainstay.platform.queue.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mainstay.platform.auditing.Audited;
import dev.mainstay.platform.identity.Caller;
import dev.mainstay.platform.identity.Problems;
import dev.mainstay.platform.identity.RequestIdentity;
import dev.mainstay.platform.identity.Requires;
import dev.mainstay.platform.queue.worker.QueueDefaults;
import dev.mainstay.platform.queue.worker.QueueRequests;
import dev.mainstay.queue.engine.Priority;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Queues a pull request, or takes it out, by API: {@code POST /api/v1/queues/{owner}/{name}/entries}
 * with {@code {"pull_request": 12, "priority": "urgent"}} (priority optional: urgent, high, normal,
 * low), and {@code DELETE /api/v1/queues/{owner}/{name}/entries/{number}}. The pull request goes to
 * the queue of its base branch. Both answer 202: the queue acts on the request moments later (a
 * cancel of a pull request that is not queued changes nothing).
 *
 * <p>As on GitHub, only someone who may push to the repository can: a person is checked on GitHub
 * under their Mainstay user name, an API token under the user name of the admin who made it. The
 * repository must be among the caller's org's ({@code mainstay.queue.org-owners}). The same
 * {@code Idempotency-Key} sent again (a retry) stores nothing more. Every request is audited.
 */
@RequestScoped
@Path("/api/v1/queues/{owner}/{name}/entries")
@Produces(MediaType.APPLICATION_JSON)
public class QueueApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._:-]{1,100}");

    private final QueueEntries entries;
    private final QueueDefaults defaults;
    private final RequestIdentity identity;

    @Inject
    QueueApi(QueueEntries entries, QueueDefaults defaults, RequestIdentity identity) {
        this.entries = entries;
        this.defaults = defaults;
        this.identity = identity;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires("queue:write")
    @Audited("queue.merge")
    public Response enqueue(@PathParam("owner") String owner, @PathParam("name") String name,
                            @HeaderParam("Idempotency-Key") String key, String body) throws SQLException {
        JsonNode json;
        try {
            json = JSON.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            return Problems.problem(Response.Status.BAD_REQUEST, "Not JSON", "the body must be a JSON object: " + e.getOriginalMessage());
        }
        if (json == null || !json.isObject() || !json.path("pull_request").canConvertToInt() || json.path("pull_request").asInt() < 1) {
            return Problems.problem(422, "Invalid request", "send {\"pull_request\": <number>} and optionally \"priority\":"
                + " \"urgent\", \"high\", \"normal\" or \"low\"", Map.of());
        }
        Optional<Priority> priority = Optional.empty();
        if (json.has("priority")) {
            priority = QueueRequests.priority(json.path("priority").asText(""));
            if (priority.isEmpty()) {
                return Problems.problem(422, "Invalid request", "priority must be \"urgent\", \"high\", \"normal\" or \"low\", not "
                    + json.path("priority"), Map.of());
            }
        }
        return request(owner, name, json.path("pull_request").asInt(), QueueRequests.Command.merge(priority), key);
    }

    @DELETE
    @Path("{number}")
    @Requires("queue:write")
    @Audited("queue.cancel")
    public Response cancel(@PathParam("owner") String owner, @PathParam("name") String name, @PathParam("number") String number,
                           @HeaderParam("Idempotency-Key") String key) throws SQLException {
        if (!number.matches("[1-9][0-9]{0,8}")) {
            return Problems.problem(Response.Status.NOT_FOUND, "No such pull request", "'" + number + "' is not a pull request number");
        }
        return request(owner, name, Integer.parseInt(number), QueueRequests.Command.cancel(), key);
    }

    private Response request(String owner, String name, int number, QueueRequests.Command command, String key) throws SQLException {
        String repo = owner + "/" + name;
        if (key != null && !KEY.matcher(key).matches()) {
            return Problems.problem(Response.Status.BAD_REQUEST, "Invalid Idempotency-Key",
                "an Idempotency-Key is 1 to 100 letters, digits and . _ : -");
        }
        Caller caller = identity.caller().orElseThrow();
        Optional<String> org = QueueBranches.orgOf(defaults, caller, repo);
        if (org.isEmpty()) {
            return Problems.problem(Response.Status.NOT_FOUND, "No such repository",
                repo + " is not among the repositories whose merge queues your org sees");
        }
        String source = "api:" + org.get() + ":" + (key == null ? UUID.randomUUID().toString() : caller.actor().id() + ":" + key);
        return switch (entries.request(caller, org.get(), repo, number, command, source)) {
            // A refusal of the queue's own (no GitHub App, no write access) stays the same however often it is asked.
            case QueueEntries.Refused r -> r.status() >= 500 ? Problems.permanent(r.status(), r.title(), r.detail())
                : Problems.problem(r.status(), r.title(), r.detail(), Map.of());
            case QueueEntries.Accepted a -> {
                ObjectNode answer = JSON.createObjectNode();
                answer.put("repository", a.repo());
                answer.put("branch", a.branch());
                answer.put("pull_request", a.pr());
                answer.put("head", a.head());
                command.priority().ifPresent(p -> answer.put("priority", p.name().toLowerCase(Locale.ROOT)));
                answer.put("request", command.verb().equals("merge") ? "enqueue" : "cancel");
                answer.put("new", a.fresh());
                yield Response.accepted(answer.toString()).type(MediaType.APPLICATION_JSON_TYPE).build();
            }
        };
    }
}
