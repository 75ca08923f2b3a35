package dev.mainstay.platform.identity;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/** RFC 9457 problem responses for the API. */
public final class Problems {

    /** The problem media type. */
    public static final MediaType PROBLEM_JSON = MediaType.valueOf("application/problem+json");

    private Problems() {
    }

    /** A problem response with a title and a detail naming what is wrong. */
    public static Response problem(Response.Status status, String title, String detail) {
        return problem(status.getStatusCode(), title, detail, Map.of());
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
