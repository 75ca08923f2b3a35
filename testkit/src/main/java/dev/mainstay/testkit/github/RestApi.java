package dev.mainstay.testkit.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP edge of the simulator: authentication (App JWT or installation token, as GitHub requires
 * per endpoint), rate limits, routing, and GitHub's error bodies. What each endpoint does is in
 * {@link AppEndpoints}, {@link GitEndpoints} and {@link RepoEndpoints}.
 */
final class RestApi implements HttpHandler {

    /** One request, its path parameters, query and JSON body. */
    record Call(String method, Matcher path, Map<String, String> query, JsonNode body, SimulatedRepository repo) {
        String param(String name) {
            return path.group(name);
        }

        int number(String name) {
            return Integer.parseInt(path.group(name));
        }
    }

    /** An answer: status, JSON body (null for none) and extra headers. */
    record Reply(int status, JsonNode body, Map<String, String> headers) {
        static Reply json(int status, JsonNode body) {
            return new Reply(status, body, Map.of());
        }

        static Reply error(int status, String message) {
            ObjectNode body = Payloads.JSON.createObjectNode();
            body.put("message", message).put("documentation_url", "https://docs.github.com/rest");
            return new Reply(status, body, Map.of());
        }

        static Reply empty(int status) {
            return new Reply(status, null, Map.of());
        }
    }

    /** A handler that failed the request with GitHub's answer. */
    static final class Refused extends RuntimeException {
        final transient Reply reply;

        Refused(int status, String message) {
            super(message, null, false, false);
            this.reply = Reply.error(status, message);
        }
    }

    interface Endpoint {
        Reply handle(Call call);
    }

    private record Route(String method, Pattern pattern, boolean appAuth, Endpoint endpoint) {
    }

    private static final String REPO = "/repos/(?<owner>[^/]+)/(?<repo>[^/]+)";

    private final GitHubSimulator simulator;
    private final String prefix;
    private final List<Route> routes = new ArrayList<>();

    RestApi(GitHubSimulator simulator, String prefix) {
        this.simulator = simulator;
        this.prefix = prefix;
        new AppEndpoints(simulator).register(this);
        new GitEndpoints(simulator).register(this);
        new RepoEndpoints(simulator).register(this);
    }

    /** Adds an endpoint authenticated with an installation token; {@code path} is a regex after the prefix. */
    void on(String method, String path, Endpoint endpoint) {
        routes.add(new Route(method, Pattern.compile(path.replace("{repo}", REPO)), false, endpoint));
    }

    /** Adds an endpoint authenticated with the App's JWT. */
    void onApp(String method, String path, Endpoint endpoint) {
        routes.add(new Route(method, Pattern.compile(path.replace("{repo}", REPO)), true, endpoint));
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            simulator.countCall();
            Reply reply;
            try {
                reply = answer(exchange);
            } catch (Refused refused) {
                reply = refused.reply;
            } catch (RuntimeException e) {
                reply = Reply.error(500, "simulator failure: " + e);
            }
            send(exchange, reply);
        }
    }

    private Reply answer(HttpExchange exchange) throws IOException {
        Optional<Integer> failure = simulator.takeFailure();
        if (failure.isPresent()) {
            return Reply.error(failure.get(), "Server Error");
        }
        Optional<GitHubSimulator.RateLimit> limit = simulator.takeRateLimit();
        if (limit.isPresent()) {
            return rateLimited(limit.get());
        }
        String method = exchange.getRequestMethod();
        String raw = exchange.getRequestURI().getRawPath().substring(prefix.length());
        String path = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        simulator.record(method, path);
        for (Route route : routes) {
            Matcher m = route.pattern().matcher(path);
            if (!route.method().equals(method) || !m.matches()) {
                continue;
            }
            String authorization = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")).orElse("");
            String credential = authorization.replaceFirst("^(?i)(bearer|token)\\s+", "");
            if (route.appAuth()) {
                String refusal = simulator.app().refusal(credential, simulator.clock().instant());
                if (refusal != null) {
                    return Reply.error(401, refusal);
                }
            } else if (!simulator.tokenValid(credential)) {
                return Reply.error(401, "Bad credentials");
            }
            SimulatedRepository repo = null;
            if (route.pattern().pattern().startsWith("/repos/")) {
                repo = simulator.repository(m.group("owner"), m.group("repo"))
                    .orElseThrow(() -> new Refused(404, "Not Found"));
            }
            Reply reply = route.endpoint().handle(new Call(method, m, query(exchange), body(exchange), repo));
            simulator.holdIfAsked(method, path);
            return reply;
        }
        return Reply.error(404, "Not Found");
    }

    private Reply rateLimited(GitHubSimulator.RateLimit kind) {
        // The reset is wall-clock time, like the Date header the server sends, which clients compare it with.
        long reset = java.time.Instant.now().getEpochSecond() + 1;
        return switch (kind) {
            case SECONDARY -> new Reply(403, Reply.error(403,
                "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.").body(),
                Map.of("Retry-After", "1"));
            case PRIMARY -> new Reply(403, Reply.error(403, "API rate limit exceeded for installation.").body(),
                Map.of("X-RateLimit-Limit", "5000", "X-RateLimit-Remaining", "0", "X-RateLimit-Used", "5000",
                    "X-RateLimit-Reset", Long.toString(reset), "X-RateLimit-Resource", "core"));
        };
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> query = new LinkedHashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return query;
    }

    private static JsonNode body(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readAllBytes();
            if (bytes.length == 0) {
                return Payloads.JSON.createObjectNode();
            }
            try {
                return Payloads.JSON.readTree(bytes);
            } catch (IOException e) {
                throw new Refused(400, "Problems parsing JSON");
            }
        }
    }

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        exchange.getResponseHeaders().set("X-GitHub-Media-Type", "github.v3; format=json");
        exchange.getResponseHeaders().set("X-RateLimit-Limit", "5000");
        exchange.getResponseHeaders().set("X-RateLimit-Remaining", "4999");
        exchange.getResponseHeaders().set("X-RateLimit-Reset", "4102444800");
        reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        if (reply.body() == null) {
            exchange.sendResponseHeaders(reply.status(), -1);
            return;
        }
        byte[] bytes = Payloads.JSON.writeValueAsBytes(reply.body());
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(reply.status(), bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** A list response as GitHub's list endpoints give it: a bare array. */
    static ArrayNode array(List<? extends JsonNode> items) {
        ArrayNode array = Payloads.JSON.createArrayNode();
        array.addAll(items);
        return array;
    }

    /**
     * One page of {@code items} as GitHub pages a list: {@code per_page} (30 unless asked, at most 100)
     * from {@code page} (1 unless asked), with a {@code Link} header naming the next and last pages
     * of {@code url} (the list's address) while there are more.
     */
    static Reply page(Call call, String url, List<? extends JsonNode> items) {
        int size = Math.clamp(intParam(call, "per_page", 30), 1, 100);
        int page = Math.max(1, intParam(call, "page", 1));
        int last = Math.max(1, (items.size() + size - 1) / size);
        int from = Math.min(items.size(), (page - 1) * size);
        ArrayNode body = array(items.subList(from, Math.min(items.size(), from + size)));
        if (page >= last) {
            return Reply.json(200, body);
        }
        String link = "<" + url + "?per_page=" + size + "&page=" + (page + 1) + ">; rel=\"next\", <" + url + "?per_page=" + size
            + "&page=" + last + ">; rel=\"last\"";
        return new Reply(200, body, Map.of("Link", link));
    }

    private static int intParam(Call call, String name, int otherwise) {
        try {
            return Integer.parseInt(call.query().getOrDefault(name, Integer.toString(otherwise)));
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    /** A string field of the request body that must be present. */
    static String required(Call call, String field) {
        JsonNode value = call.body().get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new Refused(422, "Invalid request. \"" + field + "\" wasn't supplied.");
        }
        return value.asText();
    }
}
