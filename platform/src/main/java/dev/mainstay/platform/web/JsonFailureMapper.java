package dev.mainstay.platform.web;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.annotation.Priority;
import dev.mainstay.platform.identity.Problems;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A JSON request body that cannot be read answers a 400 problem naming where, instead of the
 * plain-text answer of the JSON provider's own mappers. Theirs are as specific as ours for parse
 * and mapping failures, and Jersey then takes the mapper with the lowest {@code @Priority}, then
 * whichever it met first: without a priority of ours, which answered changed from run to run.
 */
@Provider
@Priority(JsonFailureMapper.BEFORE_THE_PROVIDERS)
public class JsonFailureMapper implements ExceptionMapper<JsonProcessingException> {

    /** Ahead of the JSON provider's mappers, which have none (Jersey counts them as {@code Priorities.USER}). */
    static final int BEFORE_THE_PROVIDERS = 1;

    @Override
    public Response toResponse(JsonProcessingException failure) {
        Map<String, Object> where = new LinkedHashMap<>();
        JsonLocation location = failure.getLocation();
        if (location != null && location.getLineNr() > 0) {
            where.put("line", location.getLineNr());
            where.put("column", location.getColumnNr());
        }
        return Problems.problem(400, "Invalid JSON", "the request body is not the JSON this endpoint takes: "
            + failure.getOriginalMessage(), where);
    }

    /** Jackson's own mapper for parse failures is of this type; an application's mapper of the same type wins. */
    @Provider
    @Priority(BEFORE_THE_PROVIDERS)
    public static final class Parse implements ExceptionMapper<com.fasterxml.jackson.core.JsonParseException> {
        @Override
        public Response toResponse(com.fasterxml.jackson.core.JsonParseException failure) {
            return new JsonFailureMapper().toResponse(failure);
        }
    }

    /**
     * Unknown fields and values of the wrong type: more specific than the JSON provider's mapper
     * for mapping failures, which otherwise wins for them.
     */
    @Provider
    @Priority(BEFORE_THE_PROVIDERS)
    public static final class Input implements ExceptionMapper<com.fasterxml.jackson.databind.exc.MismatchedInputException> {
        @Override
        public Response toResponse(com.fasterxml.jackson.databind.exc.MismatchedInputException failure) {
            return new JsonFailureMapper().toResponse(failure);
        }
    }

    /** Jackson's own mapper for mapping failures (unknown fields, wrong types) is of this type. */
    @Provider
    @Priority(BEFORE_THE_PROVIDERS)
    public static final class Mapping implements ExceptionMapper<com.fasterxml.jackson.databind.JsonMappingException> {
        @Override
        public Response toResponse(com.fasterxml.jackson.databind.JsonMappingException failure) {
            return new JsonFailureMapper().toResponse(failure);
        }
    }
}
