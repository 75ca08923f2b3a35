package dev.mainstay.platform.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.platform.auditing.Audited;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.lang.reflect.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The OpenAPI document served at {@code /openapi} (META-INF/openapi.yaml, maintained by hand)
 * tells the truth about every {@code /api/v1} endpoint: the endpoints are those of the compiled
 * JAX-RS resources ({@link HttpEndpoints}), and each operation's permission, step-up, audit
 * actions, credentials, parameters, body and problem responses follow from the resource method and
 * the shipped policies. A new endpoint, or a changed permission, fails here until the document says so.
 */
class OpenApiDocumentTest {

    private static final String API = "/api/v1/";
    private static final String PROBLEM = "#/components/schemas/Problem";
    private static final Set<String> VERBS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    /** The order roles are named in descriptions: policies/access.yaml's. */
    private static final List<String> ROLE_ORDER = List.of("admin", "maintainer", "member", "auditor", AccessPolicy.MACHINE_ROLE);

    private static Map<String, Object> document;
    private static AccessPolicy access;
    private static AuthenticationPolicy authentication;
    private static List<HttpEndpoints.Endpoint> apiEndpoints;

    @BeforeAll
    static void read() throws IOException {
        try (InputStream in = OpenApiDocumentTest.class.getResourceAsStream("/META-INF/openapi.yaml")) {
            assertNotNull(in, "META-INF/openapi.yaml is on the class path");
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        }
        Path policies = Path.of("..", "policies");
        access = AccessPolicy.read("access.yaml", new StringReader(Files.readString(policies.resolve("access.yaml"))));
        authentication = AuthenticationPolicy.read("authentication.yaml",
            new StringReader(Files.readString(policies.resolve("authentication.yaml"))), access);
        apiEndpoints = HttpEndpoints.all().stream().filter(e -> e.path().startsWith(API)).toList();
    }

    @Test
    void every_api_endpoint_is_documented_and_nothing_else_is() {
        Set<String> real = apiEndpoints.stream().map(HttpEndpoints.Endpoint::toString).collect(Collectors.toCollection(TreeSet::new));
        Set<String> documented = new TreeSet<>(operations().keySet());
        assertTrue(real.size() >= 20, "found the API's endpoints: " + real);

        List<String> wrong = new ArrayList<>();
        real.stream().filter(e -> !documented.contains(e))
            .forEach(e -> wrong.add(e + " is served but META-INF/openapi.yaml does not describe it"));
        documented.stream().filter(e -> !real.contains(e))
            .forEach(e -> wrong.add(e + " is described but no resource method serves it"));
        assertEquals(List.of(), wrong);
    }

    /**
     * {@code {type: string, description: A, or B}} is valid YAML, but the comma splits the flow
     * mapping into a key {@code or B} without a value, and the appliance's OpenAPI parser refuses
     * the document: the appliance does not start. No OpenAPI key has a space or lacks a value.
     */
    @Test
    void no_key_of_the_document_lacks_a_value_or_holds_a_space() {
        List<String> wrong = new ArrayList<>();
        keysWithoutValues(document, "", wrong);
        assertEquals(List.of(), wrong, "quote a flow-style value that holds a comma");
    }

    private static void keysWithoutValues(Object node, String where, List<String> wrong) {
        if (node instanceof Map<?, ?> mapping) {
            mapping.forEach((key, value) -> {
                if (value == null || key.toString().contains(" ")) {
                    wrong.add(where + "/" + key);
                }
                keysWithoutValues(value, where + "/" + key, wrong);
            });
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                keysWithoutValues(list.get(i), where + "/" + i, wrong);
            }
        }
    }

    @Test
    void each_operation_names_the_permission_step_up_and_audit_actions_of_its_endpoint() {
        List<String> wrong = new ArrayList<>();
        for (HttpEndpoints.Endpoint endpoint : documentedEndpoints()) {
            Map<String, Object> op = operations().get(endpoint.toString());
            String permission = EndpointAccess.declaredPermission(endpoint.method()).orElse("");
            if (!permission.equals(op.get("x-mainstay-permission"))) {
                wrong.add(endpoint + ": x-mainstay-permission is " + op.get("x-mainstay-permission")
                    + ", the method @Requires '" + permission + "'");
            }
            String sentence = "Requires the permission `" + permission + "` (roles: " + String.join(", ", rolesGranting(permission)) + ")";
            String description = String.valueOf(op.get("description")).replaceAll("\\s+", " ");
            if (!description.contains(sentence)) {
                wrong.add(endpoint + ": its description should say '" + sentence + "'");
            }
            boolean stepUp = authentication.stepUpActions().contains(permission);
            String stepUpSentence = sentence + ", and a recent sign-in";
            if (stepUp != Boolean.TRUE.equals(op.get("x-mainstay-step-up")) || stepUp != description.contains(stepUpSentence)) {
                wrong.add(endpoint + ": step-up is " + stepUp + " for '" + permission + "' (authentication.yaml); say it in"
                    + " x-mainstay-step-up and as '" + stepUpSentence + "'");
            }
            List<String> audited = endpoint.method().isAnnotationPresent(Audited.class)
                ? List.of(endpoint.method().getAnnotation(Audited.class).value()) : List.of();
            if (!audited.equals(op.getOrDefault("x-mainstay-audited", List.of()))) {
                wrong.add(endpoint + ": x-mainstay-audited is " + op.get("x-mainstay-audited") + ", the method is @Audited " + audited);
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void each_operation_offers_exactly_the_credentials_that_can_carry_its_permission() {
        List<String> wrong = new ArrayList<>();
        for (HttpEndpoints.Endpoint endpoint : documentedEndpoints()) {
            String permission = EndpointAccess.declaredPermission(endpoint.method()).orElse("");
            Set<String> expected = new TreeSet<>();
            if (access.tokenScopes().contains(permission)) {
                expected.add("apiToken");
            }
            if (access.roles().values().stream()
                .anyMatch(r -> r.kind() == AccessPolicy.Kind.HUMAN && r.permissions().contains(permission))) {
                expected.add("session");
            }
            Set<String> documented = new TreeSet<>();
            for (Map<String, Object> requirement : maps(operations().get(endpoint.toString()).get("security"))) {
                documented.addAll(requirement.keySet());
            }
            if (!expected.equals(documented)) {
                wrong.add(endpoint + ": security " + documented + ", but '" + permission + "' is carried by " + expected);
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void each_operation_lists_its_problem_responses_as_problem_json() {
        List<String> wrong = new ArrayList<>();
        for (HttpEndpoints.Endpoint endpoint : documentedEndpoints()) {
            Map<String, Object> op = operations().get(endpoint.toString());
            Map<String, Object> responses = map(op.get("responses"));
            Set<String> needed = new TreeSet<>(Set.of("401", "403", "500", "503"));
            if (endpoint.path().contains("{org}")) {
                needed.add("404");
            }
            for (String status : needed) {
                if (!responses.containsKey(status)) {
                    wrong.add(endpoint + " does not list " + status);
                }
            }
            if (op.containsKey("requestBody") && !responses.containsKey("400") && !responses.containsKey("422")) {
                wrong.add(endpoint + " takes a body but lists no 400 or 422 for a bad one");
            }
            for (var response : responses.entrySet()) {
                int status = Integer.parseInt(response.getKey());
                Map<String, Object> content = map(resolve(response.getValue()).getOrDefault("content", Map.of()));
                Object schema = map(map(content.get("application/problem+json")).get("schema")).get("$ref");
                if (status >= 400 && status != 500 && !PROBLEM.equals(schema)) {
                    wrong.add(endpoint + " " + status + " is not an application/problem+json Problem");
                }
            }
            String permission = EndpointAccess.declaredPermission(endpoint.method()).orElse("");
            if (authentication.stepUpActions().contains(permission)
                && !map(resolve(responses.get("401")).get("headers")).containsKey("WWW-Authenticate")) {
                wrong.add(endpoint + " needs a recent sign-in: its 401 must name the WWW-Authenticate challenge");
            }
            boolean sessionChange = !endpoint.httpMethod().equals("GET")
                && maps(op.get("security")).stream().anyMatch(s -> s.containsKey("session"));
            if (sessionChange && !map(resolve(responses.get("403")).get("content")).containsKey("text/html")) {
                wrong.add(endpoint + " changes state on a session: its 403 must include the HTML page of a refused CSRF check");
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void each_operation_documents_the_parameters_and_body_its_method_takes() {
        List<String> wrong = new ArrayList<>();
        for (HttpEndpoints.Endpoint endpoint : documentedEndpoints()) {
            Set<String> taken = new TreeSet<>();
            boolean body = false;
            for (Parameter p : endpoint.method().getParameters()) {
                if (p.isAnnotationPresent(PathParam.class)) {
                    taken.add("path " + p.getAnnotation(PathParam.class).value());
                } else if (p.isAnnotationPresent(QueryParam.class)) {
                    taken.add("query " + p.getAnnotation(QueryParam.class).value());
                } else if (p.isAnnotationPresent(HeaderParam.class)) {
                    taken.add("header " + p.getAnnotation(HeaderParam.class).value());
                } else if (!p.isAnnotationPresent(Context.class)) {
                    body = true;
                }
            }
            Set<String> documented = new TreeSet<>();
            Map<String, Object> pathItem = map(map(document.get("paths")).get(endpoint.path()));
            Map<String, Object> op = operations().get(endpoint.toString());
            for (Object parameter : concat(pathItem.get("parameters"), op.get("parameters"))) {
                Map<String, Object> resolved = resolve(parameter);
                documented.add(resolved.get("in") + " " + resolved.get("name"));
            }
            if (!taken.equals(documented)) {
                wrong.add(endpoint + ": parameters " + documented + ", the method takes " + taken);
            }
            Map<String, Object> requestBody = resolve(op.get("requestBody"));
            if (body != !requestBody.isEmpty()) {
                wrong.add(endpoint + (body ? " takes a body that is not documented" : " documents a body the method does not take"));
            }
            Optional<String> consumes = endpoint.consumes().filter(c -> !c.equals(MediaType.WILDCARD));
            if (consumes.isPresent() && !map(requestBody.get("content")).containsKey(consumes.get())) {
                wrong.add(endpoint + ": the body is " + consumes.get() + ", documented as " + map(requestBody.get("content")).keySet());
            }
        }
        assertEquals(List.of(), wrong);
    }

    /** The API endpoints the document has; the first test reports the others. */
    private static List<HttpEndpoints.Endpoint> documentedEndpoints() {
        return apiEndpoints.stream().filter(e -> operations().containsKey(e.toString())).toList();
    }

    /** Each operation of the document by {@code METHOD /path}. */
    private static Map<String, Map<String, Object>> operations() {
        Map<String, Map<String, Object>> out = new TreeMap<>();
        for (var path : map(document.get("paths")).entrySet()) {
            for (var entry : map(path.getValue()).entrySet()) {
                if (VERBS.contains(entry.getKey())) {
                    out.put(entry.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(), map(entry.getValue()));
                }
            }
        }
        return out;
    }

    /** The roles granting {@code permission}, people's and the machine role's, in the policy's order. */
    private static List<String> rolesGranting(String permission) {
        return access.roles().values().stream()
            .filter(r -> r.permissions().contains(permission))
            .map(AccessPolicy.Role::name)
            .sorted(Comparator.comparingInt((String r) -> ROLE_ORDER.contains(r) ? ROLE_ORDER.indexOf(r) : ROLE_ORDER.size())
                .thenComparing(Comparator.naturalOrder()))
            .toList();
    }

    /** {@code node}, or what its {@code $ref} ({@code #/components/...}) points to; empty for null. */
    private static Map<String, Object> resolve(Object node) {
        Map<String, Object> map = map(node);
        Object ref = map.get("$ref");
        if (ref == null) {
            return map;
        }
        Object target = document;
        for (String part : Arrays.asList(ref.toString().substring(2).split("/"))) {
            target = map(target).get(part);
        }
        assertNotNull(target, "the document defines " + ref);
        return map(target);
    }

    private static List<Object> concat(Object first, Object second) {
        List<Object> all = new ArrayList<>();
        all.addAll(first == null ? List.of() : (List<?>) first);
        all.addAll(second == null ? List.of() : (List<?>) second);
        return all;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        return node == null ? Map.of() : (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Object node) {
        return node == null ? List.of() : (List<Map<String, Object>>) node;
    }
}
