package dev.mainstay.platform.web;

import dev.mainstay.platform.identity.Problems;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.Map;
import org.glassfish.jersey.server.ContainerRequest;

/**
 * Every failure that reaches Jersey becomes an answer in the caller's language: RFC 9457
 * problem+json under {@code /api/}, an error page in the layout elsewhere. JAX-RS's own
 * exceptions (404, 405, 415 ...) keep their status; a 404 outside {@code /api/} stays empty, so
 * that routes outside JAX-RS ({@code /health}, {@code /metrics}, {@code /openapi}) are still
 * tried. Anything else is an unexpected failure,
 * answered 500 with a request id that {@link Failures} puts in the log and the audit trail.
 */
@Provider
public class FailureMapper implements ExceptionMapper<Throwable> {

    @Context
    UriInfo uri;

    @Context
    jakarta.inject.Provider<ContainerRequest> request;

    @Override
    public Response toResponse(Throwable failure) {
        boolean api = uri.getPath().startsWith("api/");
        if (failure instanceof WebApplicationException web && web.getResponse().getStatus() < 500) {
            if (!api && web.getResponse().getStatus() == 404) {
                // Unmatched by JAX-RS: left empty so that the server's other routes (health, metrics, openapi) still answer.
                return web.getResponse();
            }
            Response.StatusType status = web.getResponse().getStatusInfo();
            String detail = detail(status.getStatusCode());
            if (api) {
                return Problems.problem(status.getStatusCode(), status.getReasonPhrase(), detail, Map.of());
            }
            Response.Status known = Response.Status.fromStatusCode(status.getStatusCode());
            return bean(ErrorPages.class).page(known == null ? Response.Status.BAD_REQUEST : known, status.getReasonPhrase(), detail);
        }
        String requestId = bean(Failures.class).record(request.get().getMethod(), "/" + uri.getPath(), failure);
        return api
            ? Failures.problem(requestId)
            : bean(ErrorPages.class).page(Response.Status.INTERNAL_SERVER_ERROR, "Something went wrong",
                "Mainstay failed to show this page. Quote request id " + requestId + " to your Mainstay administrator:"
                    + " the log and the audit trail hold it.");
    }

    private static String detail(int status) {
        return switch (status) {
            case 404 -> "there is nothing at this address";
            case 405 -> "this address does not take that HTTP method";
            case 406 -> "this address cannot answer in the media type the request accepts";
            case 415 -> "this address does not take a body of that media type";
            default -> "the request was refused (HTTP " + status + ")";
        };
    }

    private static <T> T bean(Class<T> type) {
        return CDI.current().select(type).get();
    }
}
