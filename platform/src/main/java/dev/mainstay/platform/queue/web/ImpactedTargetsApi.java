package dev.mainstay.platform.queue.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mainstay.platform.app.ApplianceConfig;
import dev.mainstay.platform.auditing.AuditTrail;
import dev.mainstay.platform.auditing.Audited;
import dev.mainstay.platform.identity.Caller;
import dev.mainstay.platform.identity.Problems;
import dev.mainstay.platform.identity.RequestIdentity;
import dev.mainstay.platform.identity.Requires;
import dev.mainstay.platform.queue.worker.ImpactedTargets;
import dev.mainstay.platform.queue.worker.QueueDefaults;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * CI posts the build targets a pull request's head affects: {@code POST /api/v1/impacted-targets}
 * with {@code {"repository": "acme/web", "pull_request": 12, "head": "<sha>", "targets": ["//app:server"]}}
 * ({@code []} or {@code ["ALL"]}: everything). Queued at that head, the pull request goes to the lane
 * of its targets: pull requests with disjoint targets are tested and merged independently. Post them
 * before it is queued; a head without posted targets shares the one lane of every pull request.
 */
@RequestScoped
@Path("/api/v1/impacted-targets")
@Produces(MediaType.APPLICATION_JSON)
public class ImpactedTargetsApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern REPOSITORY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}");
    private static final int MAX_BODY = 4 * 1024 * 1024;

    private final DataSource dataSource;
    private final ImpactedTargets targets;
    private final QueueDefaults defaults;
    private final AuditTrail audit;
    private final RequestIdentity identity;
    private final Clock clock;

    @Inject
    ImpactedTargetsApi(@Named(ApplianceConfig.DATA_SOURCE) DataSource dataSource, ImpactedTargets targets, QueueDefaults defaults,
                       AuditTrail audit, RequestIdentity identity, Clock clock) {
        this.dataSource = dataSource;
        this.targets = targets;
        this.defaults = defaults;
        this.audit = audit;
        this.identity = identity;
        this.clock = clock;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires("queue:write")
    @Audited("queue.targets.post")
    public Response post(String body) throws SQLException {
        if (body == null || body.length() > MAX_BODY) {
            return Problems.problem(Response.Status.BAD_REQUEST, "Body required", "send a JSON object of at most " + MAX_BODY + " bytes");
        }
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return Problems.problem(Response.Status.BAD_REQUEST, "Not JSON", "the body must be a JSON object: " + e.getOriginalMessage());
        }
        String repo = json == null ? "" : json.path("repository").asText("");
        String head = json == null ? "" : json.path("head").asText("");
        if (json == null || !REPOSITORY.matcher(repo).matches() || !json.path("pull_request").canConvertToInt()
            || json.path("pull_request").asInt() < 1 || !SHA.matcher(head).matches() || !json.path("targets").isArray()) {
            return invalid("send {\"repository\": \"owner/name\", \"pull_request\": <number>, \"head\": \"<40-hex commit>\","
                + " \"targets\": [\"<target>\", ...]}");
        }
        if (json.path("targets").size() > ImpactedTargets.MAX_TARGETS) {
            return invalid("at most " + ImpactedTargets.MAX_TARGETS + " targets, not " + json.path("targets").size()
                + "; post [\"ALL\"] for a change that affects everything");
        }
        Set<String> names = new TreeSet<>();
        for (JsonNode t : json.path("targets")) {
            String name = t.isTextual() ? t.textValue().strip() : "";
            if (!ImpactedTargets.isName(name)) {
                return invalid("targets: each is a name of 1 to " + ImpactedTargets.MAX_NAME + " printable characters, not " + t);
            }
            names.add(name);
        }
        Caller caller = identity.caller().orElseThrow();
        Optional<String> org = QueueBranches.orgOf(defaults, caller, repo);
        if (org.isEmpty()) {
            return Problems.problem(Response.Status.NOT_FOUND, "No such repository",
                repo + " is not among the repositories whose merge queues your org sees");
        }
        int pr = json.path("pull_request").asInt();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                targets.save(c, audit, caller.actor(), org.get(), repo, pr, head, names, clock.instant());
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.put("repository", repo);
        answer.put("pull_request", pr);
        answer.put("head", head);
        answer.put("targets", names.size());
        return Response.status(Response.Status.CREATED).entity(answer.toString()).type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    private static Response invalid(String detail) {
        return Problems.problem(422, "Invalid impacted targets", detail, Map.of());
    }
}
