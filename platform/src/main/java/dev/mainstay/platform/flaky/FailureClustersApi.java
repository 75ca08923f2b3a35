package dev.mainstay.platform.flaky;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mainstay.platform.auditing.Audited;
import dev.mainstay.platform.identity.Problems;
import dev.mainstay.platform.identity.RequestIdentity;
import dev.mainstay.platform.identity.Requires;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The org's failure clusters of the last {@code days} (default 30, at most 400), of one repository
 * ({@code ?repo=owner/name}) or all: each with how many distinct tests and failures it has, and
 * its label — the normalised failure text — only for callers who may read failures
 * ({@value FailureClusters#READ_FAILURES}); for them, the view is audited as
 * {@value FailureClusters#VIEW_ACTION}. Others get {@code "label": null, "label_masked": true}.
 */
@RequestScoped
@Path("/api/v1/orgs/{org}/flaky/clusters")
@Produces(MediaType.APPLICATION_JSON)
public class FailureClustersApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,4}");
    static final int DEFAULT_DAYS = 30;
    static final int MAX_DAYS = 400;
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private final FailureClusters clusters;
    private final RequestIdentity identity;
    private final Clock clock;

    @Inject
    FailureClustersApi(FailureClusters clusters, RequestIdentity identity, Clock clock) {
        this.clusters = clusters;
        this.identity = identity;
        this.clock = clock;
    }

    @GET
    @Requires("uploads:read")
    @Audited(FailureClusters.VIEW_ACTION)
    public Response top(@PathParam("org") String org, @QueryParam("repo") String repo, @QueryParam("days") String days,
                        @QueryParam("limit") String limit) {
        if (repo != null && !RepoName.valid(repo)) {
            return Problems.problem(Response.Status.BAD_REQUEST, "Invalid repository",
                "name the repository as ?repo=owner/name, or leave it out for all, not '" + repo + "'");
        }
        Optional<Integer> window = bounded(days, DEFAULT_DAYS, MAX_DAYS);
        if (window.isEmpty()) {
            return Problems.problem(Response.Status.BAD_REQUEST, "Invalid days",
                "?days= is a whole number of days from 1 to " + MAX_DAYS + ", not '" + days + "'");
        }
        Optional<Integer> most = bounded(limit, DEFAULT_LIMIT, MAX_LIMIT);
        if (most.isEmpty()) {
            return Problems.problem(Response.Status.BAD_REQUEST, "Invalid limit",
                "?limit= is a whole number from 1 to " + MAX_LIMIT + ", not '" + limit + "'");
        }
        Instant now = clock.instant();
        Instant since = now.minus(Duration.ofDays(window.get()));
        List<FailureClusters.Cluster> found = clusters.top(identity.caller().orElseThrow(), org, Optional.ofNullable(repo), since,
            most.get());
        return Response.ok(body(repo, since, found)).build();
    }

    /** {@code text} as a number from 1 to {@code max}, {@code otherwise} when absent; empty when it is not one. */
    private static Optional<Integer> bounded(String text, int otherwise, int max) {
        if (text == null) {
            return Optional.of(otherwise);
        }
        if (!NUMBER.matcher(text).matches()) {
            return Optional.empty();
        }
        int value = Integer.parseInt(text);
        return value >= 1 && value <= max ? Optional.of(value) : Optional.empty();
    }

    private static String body(String repo, Instant since, List<FailureClusters.Cluster> found) {
        ObjectNode out = JSON.createObjectNode();
        if (repo == null) {
            out.putNull("repo");
        } else {
            out.put("repo", repo);
        }
        out.put("since", since.toString());
        ArrayNode list = out.putArray("clusters");
        for (FailureClusters.Cluster c : found) {
            ObjectNode node = list.addObject();
            node.put("id", c.id());
            if (c.label().isPresent()) {
                node.put("label", c.label().get());
            } else {
                node.putNull("label");
            }
            node.put("label_masked", c.label().isEmpty());
            node.put("tests", c.tests());
            node.put("failures", c.failures());
            node.put("first_seen", c.firstSeen().toString());
            node.put("last_seen", c.lastSeen().toString());
        }
        try {
            return JSON.writeValueAsString(out);
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e);
        }
    }
}
