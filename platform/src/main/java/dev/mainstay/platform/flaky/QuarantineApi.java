package dev.mainstay.platform.flaky;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mainstay.platform.auditing.Audited;
import dev.mainstay.platform.identity.Caller;
import dev.mainstay.platform.identity.Problems;
import dev.mainstay.platform.identity.RequestIdentity;
import dev.mainstay.platform.identity.Requires;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Quarantine over HTTP, as docs/flaky.md describes: the list CI reads ({@code GET /api/v1/quarantine}
 * with a token, answered with an ETag so an unchanged list costs a 304), the org's list for people,
 * quarantining and lifting a test, and a repository's auto-quarantine policy.
 */
@RequestScoped
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class QuarantineApi {

    /** How far ahead a quarantine may end, and how long one lasts when no end is given. */
    static final Duration LONGEST = Duration.ofDays(365);
    static final Duration DEFAULT_LENGTH = Duration.ofDays(30);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TEST_ID = Pattern.compile("[0-9a-f]{32}");
    static final int MAX_REASON = 500;
    static final int MAX_OWNER = 200;

    private final Quarantines quarantines;
    private final RequestIdentity identity;
    private final Clock clock;

    @Inject
    QuarantineApi(Quarantines quarantines, RequestIdentity identity, Clock clock) {
        this.quarantines = quarantines;
        this.identity = identity;
        this.clock = clock;
    }

    /** The list a CI job reads with its token: the quarantines in force in the token's org for {@code repo}. */
    @GET
    @Path("quarantine")
    @Requires("quarantine:read")
    public Response forCi(@QueryParam("repo") String repo, @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        if (!(identity.caller().orElseThrow() instanceof Caller.Machine token)) {
            return Problems.problem(Response.Status.FORBIDDEN, "Tokens only",
                "this is the list CI reads with an API token; people read /api/v1/orgs/{org}/quarantine");
        }
        Optional<Response> bad = badRepo(repo, true);
        if (bad.isPresent()) {
            return bad.get();
        }
        return list(token.org(), Optional.of(repo), ifNoneMatch);
    }

    /** The org's quarantines, of {@code repo} only when given. */
    @GET
    @Path("orgs/{org}/quarantine")
    @Requires("uploads:read")
    public Response forPeople(@PathParam("org") String org, @QueryParam("repo") String repo,
                              @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        Optional<Response> bad = badRepo(repo, false);
        if (bad.isPresent()) {
            return bad.get();
        }
        return list(org, Optional.ofNullable(repo).filter(r -> !r.isBlank()), ifNoneMatch);
    }

    /**
     * Quarantines a test: {@code {"reason": "…", "owner": "…", "expires_at": "2026-12-31T00:00:00Z"}};
     * reason is required, owner optional, expires_at optional (30 days when left out, at most 365 ahead).
     */
    @PUT
    @Path("orgs/{org}/quarantine/{test}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires("quarantine:manage")
    @Audited("quarantine.add")
    public Response quarantine(@PathParam("org") String org, @PathParam("test") String test, String body) {
        if (!TEST_ID.matcher(test).matches()) {
            return badTest(test);
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Request request;
        try {
            request = Request.read(body, now);
        } catch (IllegalArgumentException e) {
            return Problems.problem(422, "Invalid quarantine", e.getMessage(), Map.of());
        }
        try {
            Quarantine q = quarantines.quarantine(identity.caller().orElseThrow(), org, test, request.reason(), request.owner(),
                request.expires(), now);
            ObjectNode out = JSON.createObjectNode();
            q.write(out);
            return Response.ok(write(out)).build();
        } catch (Quarantines.UnknownTest e) {
            return Problems.problem(Response.Status.NOT_FOUND, "No such test", e.getMessage());
        }
    }

    /** Lifts a test's quarantine: 204, or 404 when it had none in force. */
    @DELETE
    @Path("orgs/{org}/quarantine/{test}")
    @Requires("quarantine:manage")
    @Audited("quarantine.lift")
    public Response lift(@PathParam("org") String org, @PathParam("test") String test) {
        if (!TEST_ID.matcher(test).matches()) {
            return badTest(test);
        }
        return quarantines.lift(identity.caller().orElseThrow(), org, test, clock.instant()).isPresent()
            ? Response.noContent().build()
            : Problems.problem(Response.Status.NOT_FOUND, "Not quarantined", "the test " + test + " has no quarantine in force");
    }

    /** {@code repo}'s auto-quarantine policy. */
    @GET
    @Path("orgs/{org}/quarantine-policy")
    @Requires("uploads:read")
    public Response policy(@PathParam("org") String org, @QueryParam("repo") String repo) {
        Optional<Response> bad = badRepo(repo, true);
        if (bad.isPresent()) {
            return bad.get();
        }
        return Response.ok(policyBody(repo, quarantines.policy(org, repo), Optional.empty())).build();
    }

    /**
     * Sets {@code repo}'s policy: {@code {"auto_quarantine": true, "expiry_days": 14}} (expiry_days
     * optional, 14 by default). Turning it on quarantines the repository's flaky tests at once.
     */
    @PUT
    @Path("orgs/{org}/quarantine-policy")
    @Consumes(MediaType.APPLICATION_JSON)
    @Requires("quarantine:manage")
    @Audited("quarantine.policy.update")
    public Response setPolicy(@PathParam("org") String org, @QueryParam("repo") String repo, String body) {
        Optional<Response> bad = badRepo(repo, true);
        if (bad.isPresent()) {
            return bad.get();
        }
        QuarantinePolicy policy;
        try {
            policy = readPolicy(body);
        } catch (IllegalArgumentException e) {
            return Problems.problem(422, "Invalid quarantine policy", e.getMessage(), Map.of());
        }
        int quarantined = quarantines.savePolicy(identity.caller().orElseThrow(), org, repo, policy, clock.instant());
        return Response.ok(policyBody(repo, policy, Optional.of(quarantined))).build();
    }

    private Response list(String org, Optional<String> repo, String ifNoneMatch) {
        List<Quarantine> active = quarantines.active(org, repo, clock.instant());
        ObjectNode out = JSON.createObjectNode();
        out.put("org", org);
        repo.ifPresent(r -> out.put("repo", r));
        ArrayNode tests = out.putArray("tests");
        active.forEach(q -> q.write(tests.addObject()));
        byte[] body = write(out).getBytes(StandardCharsets.UTF_8);
        String etag = etag(body);
        CacheControl revalidate = new CacheControl();
        revalidate.setNoCache(true);
        revalidate.setPrivate(true);
        if (matches(ifNoneMatch, etag)) {
            return Response.notModified().header(HttpHeaders.ETAG, etag).cacheControl(revalidate).build();
        }
        return Response.ok(body).type(MediaType.APPLICATION_JSON_TYPE).header(HttpHeaders.ETAG, etag).cacheControl(revalidate).build();
    }

    /** A strong ETag over the body: equal bodies, equal tags, on every replica. */
    static String etag(byte[] body) {
        try {
            return "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body), 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** Whether {@code If-None-Match} names {@code etag} (or is {@code *}); weak tags compare by their value. */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null || ifNoneMatch.isBlank()) {
            return false;
        }
        return Arrays.stream(ifNoneMatch.split(",")).map(String::strip)
            .anyMatch(t -> t.equals("*") || t.equals(etag) || t.equals("W/" + etag));
    }

    /** What a PUT of a quarantine asks for. */
    private record Request(String reason, String owner, Optional<Instant> expires) {
        static Request read(String body, Instant now) {
            JsonNode json = object(body, "send a JSON object: {\"reason\": \"…\", \"owner\": \"…\", \"expires_at\": \"…\"}",
                "reason, owner and expires_at", "reason", "owner", "expires_at");
            String reason = text(json, "reason", MAX_REASON);
            if (reason.isBlank()) {
                throw new IllegalArgumentException("reason is required: say why the test is quarantined, e.g. the issue that tracks its fix");
            }
            String owner = text(json, "owner", MAX_OWNER);
            JsonNode expiresNode = json.get("expires_at");
            Instant expires;
            if (expiresNode == null || expiresNode.isNull()) {
                expires = now.plus(DEFAULT_LENGTH);
            } else {
                if (!expiresNode.isTextual()) {
                    throw new IllegalArgumentException("expires_at must be a time like 2026-12-31T00:00:00Z");
                }
                try {
                    expires = Instant.parse(expiresNode.asText());
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("expires_at must be a time like 2026-12-31T00:00:00Z, not '" + expiresNode.asText() + "'");
                }
                if (!expires.isAfter(now)) {
                    throw new IllegalArgumentException("expires_at must be in the future: " + expires);
                }
                if (expires.isAfter(now.plus(LONGEST))) {
                    throw new IllegalArgumentException("expires_at must be at most 365 days ahead: " + expires);
                }
            }
            return new Request(reason.strip(), owner.strip(), Optional.of(expires));
        }
    }

    static QuarantinePolicy readPolicy(String body) {
        JsonNode json = object(body, "send a JSON object: {\"auto_quarantine\": true, \"expiry_days\": 14}",
            "auto_quarantine and expiry_days", "auto_quarantine", "expiry_days");
        JsonNode auto = json.get("auto_quarantine");
        if (auto == null || !auto.isBoolean()) {
            throw new IllegalArgumentException("auto_quarantine is required, true or false");
        }
        JsonNode days = json.get("expiry_days");
        if (days != null && !days.isIntegralNumber()) {
            throw new IllegalArgumentException("expiry_days must be a whole number of days from 1 to 365");
        }
        return new QuarantinePolicy(auto.booleanValue(), days == null ? QuarantinePolicy.DEFAULT.expiryDays() : days.intValue());
    }

    /** {@code body} as a JSON object holding no field but {@code fields} (listed as {@code named} in the error). */
    private static JsonNode object(String body, String hint, String named, String... fields) {
        if (body == null || body.isBlank()) {
            throw new IllegalArgumentException("body required: " + hint);
        }
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not JSON: " + e.getOriginalMessage() + "; " + hint);
        } catch (IOException e) {
            throw new UncheckedIOException("reading JSON from memory failed", e);
        }
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object: " + hint);
        }
        for (var names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!List.of(fields).contains(name)) {
                throw new IllegalArgumentException("unknown field '" + name + "'; the fields are " + named);
            }
        }
        return json;
    }

    private static String text(JsonNode json, String field, int max) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return "";
        }
        if (!node.isTextual()) {
            throw new IllegalArgumentException(field + " must be a string");
        }
        return checkText(field, node.asText(), max);
    }

    /**
     * {@code value}, when it is one line of at most {@code max} characters.
     *
     * @throws IllegalArgumentException naming {@code field} otherwise
     */
    static String checkText(String field, String value, int max) {
        if (value.length() > max) {
            throw new IllegalArgumentException(field + " must be at most " + max + " characters: it has " + value.length());
        }
        if (value.chars().anyMatch(ch -> ch < 0x20)) {
            throw new IllegalArgumentException(field + " must be one line of text, without control characters");
        }
        return value;
    }

    private static String policyBody(String repo, QuarantinePolicy policy, Optional<Integer> quarantined) {
        ObjectNode out = JSON.createObjectNode();
        out.put("repo", repo);
        out.put("auto_quarantine", policy.auto());
        out.put("expiry_days", policy.expiryDays());
        quarantined.ifPresent(n -> out.put("quarantined_now", n));
        return write(out);
    }

    private static Optional<Response> badRepo(String repo, boolean required) {
        if ((repo == null || repo.isBlank()) && !required) {
            return Optional.empty();
        }
        if (!RepoName.valid(repo)) {
            return Optional.of(Problems.problem(Response.Status.BAD_REQUEST, "Repository required",
                "name the repository as ?repo=owner/name, not '" + (repo == null ? "" : repo) + "'"));
        }
        return Optional.empty();
    }

    private static Response badTest(String test) {
        return Problems.problem(Response.Status.BAD_REQUEST, "Not a test id",
            "a test id is 32 lower-case hex characters (docs/test-identity.md), not '" + test + "'");
    }

    private static String write(ObjectNode out) {
        try {
            return JSON.writeValueAsString(out);
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e);
        }
    }
}
