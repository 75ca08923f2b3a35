package dev.mainstay.platform.identity;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/** RFC 9457 problem responses for the API. */
public final class Problems {

    /** The problem media type. */
    public static final MediaType PROBLEM_JSON = MediaType.valueOf("application/problem+json");

    /** The extension member that marks a problem as permanent: sending the request again gives the same answer. */
    public static final String PERMANENT = "permanent";

    private Problems() {
    }

    /** A problem response with a title and a detail naming what is wrong. */
    public static Response problem(Response.Status status, String title, String detail) {
        return problem(status.getStatusCode(), title, detail, Map.of());
    }

    /**
     * A problem that will not go away by sending the request again (a missing configuration, say):
     * its body says {@code "permanent": true}, and the CLI does not retry it whatever its status.
     */
    public static Response permanent(int status, String title, String detail) {
        return problem(status, title, detail, Map.of(PERMANENT, true));
    }

    /**
     * A problem that passes, such as a dependency that cannot be reached: answered with
     * {@code Retry-After}, so that clients retry after that many seconds.
     */
    public static Response transientProblem(Response.Status status, String title, String detail, int retryAfterSeconds) {
        return Response.fromResponse(problem(status, title, detail)).header("Retry-After", Integer.toString(retryAfterSeconds)).build();
    }

    /** As {@link #problem(Response.Status, String, String)}, with extension members after the standard ones (e.g. {@code file}, {@code line}). */
    public static Response problem(int status, String title, String detail, Map<String, Object> extensions) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.putAll(extensions);
        return Response.status(status).type(PROBLEM_JSON).entity(body).build();
    }
}
