package dev.mainstay.platform.flaky;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mainstay.flaky.DetectionSettings;
import dev.mainstay.flaky.SettingsJson;
import dev.mainstay.platform.auditing.Audited;
import dev.mainstay.platform.identity.Problems;
import dev.mainstay.platform.identity.RequestIdentity;
import dev.mainstay.platform.identity.Requires;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
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
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * A repository's detection thresholds: {@code GET} shows its overrides and the settings in effect,
 * {@code PUT} replaces the overrides with a JSON object of the keys docs/flaky.md lists (a key left
 * out keeps its default; an unknown key or a value out of range is a 422 naming it). New thresholds
 * apply from the next upload's re-scoring.
 */
@RequestScoped
@Path("/api/v1/orgs/{org}/flaky/settings")
@Produces(MediaType.APPLICATION_JSON)
public class FlakySettingsApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RepoSettings settings;
    private final RequestIdentity identity;
    private final Clock clock;

    @Inject
    FlakySettingsApi(RepoSettings settings, RequestIdentity identity, Clock clock) {
        this.settings = settings;
        this.identity = identity;
        this.clock = clock;
    }

    @GET
    @Requires("uploads:read")
    public Response show(@PathParam("org") String org, @QueryParam("repo") String repo) {
        Optional<Response> bad = badRepo(repo);
        if (bad.isPresent()) {
            return bad.get();
        }
        Optional<String> overrides = settings.overrides(org, repo);
        DetectionSettings effective = overrides.map(o -> SettingsJson.read(o, DetectionSettings.DEFAULTS)).orElse(DetectionSettings.DEFAULTS);
        return Response.ok(body(repo, overrides.orElse("{}"), effective)).build();
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires("flaky:configure")
    @Audited("flaky.settings.update")
    public Response replace(@PathParam("org") String org, @QueryParam("repo") String repo, String json) {
        Optional<Response> bad = badRepo(repo);
        if (bad.isPresent()) {
            return bad.get();
        }
        if (json == null || json.isBlank()) {
            return Problems.problem(Response.Status.BAD_REQUEST, "Body required", "send a JSON object of detection settings, {} for the defaults");
        }
        DetectionSettings checked;
        try {
            checked = SettingsJson.read(json, DetectionSettings.DEFAULTS);
        } catch (IllegalArgumentException e) {
            return Problems.problem(422, "Invalid detection settings", e.getMessage(), Map.of());
        }
        settings.save(identity.caller().orElseThrow(), org, repo, json, checked, clock.instant());
        return Response.ok(body(repo, json, checked)).build();
    }

    private static Optional<Response> badRepo(String repo) {
        if (!RepoName.valid(repo)) {
            return Optional.of(Problems.problem(Response.Status.BAD_REQUEST, "Repository required",
                "name the repository as ?repo=owner/name, not '" + (repo == null ? "" : repo) + "'"));
        }
        return Optional.empty();
    }

    private static String body(String repo, String overrides, DetectionSettings effective) {
        try {
            ObjectNode out = JSON.createObjectNode();
            out.put("repo", repo);
            out.set("overrides", JSON.readTree(overrides));
            out.set("effective", JSON.readTree(SettingsJson.write(effective)));
            return JSON.writeValueAsString(out);
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e);
        }
    }
}
