package dev.mainstay.platform.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.platform.auditing.Audited;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every endpoint says what it needs, in terms the access policy defines. */
class EndpointDeclarationTest {

    @Test
    void every_endpoint_declares_a_permission_of_the_access_policy_or_why_it_is_public() throws IOException {
        AccessPolicy access = AccessPolicy.read("access.yaml",
            new StringReader(Files.readString(Path.of("..", "policies", "access.yaml"))));
        List<HttpEndpoints.Endpoint> endpoints = HttpEndpoints.all();
        assertTrue(endpoints.size() >= 10, "found the appliance's endpoints: " + endpoints);
        List<String> problems = new ArrayList<>();
        for (HttpEndpoints.Endpoint endpoint : endpoints) {
            try {
                Optional<String> permission = EndpointAccess.declaredPermission(endpoint.method());
                if (permission.isPresent() && !access.permissions().containsKey(permission.get())) {
                    problems.add(endpoint + " requires '" + permission.get() + "', which access.yaml does not declare");
                }
                if (permission.isEmpty() && endpoint.method().getAnnotation(Public.class).value().isBlank()) {
                    problems.add(endpoint + " is public without saying why");
                }
            } catch (IllegalStateException e) {
                problems.add(e.getMessage());
            }
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void every_endpoint_that_is_not_a_get_declares_the_audit_actions_it_records() {
        List<String> undeclared = HttpEndpoints.all().stream()
            .filter(e -> !e.httpMethod().equals("GET"))
            .filter(e -> !e.method().isAnnotationPresent(Audited.class) || e.method().getAnnotation(Audited.class).value().length == 0)
            .map(HttpEndpoints.Endpoint::toString)
            .toList();
        assertTrue(HttpEndpoints.all().stream().filter(e -> !e.httpMethod().equals("GET")).count() >= 6, "found the changing endpoints");
        assertEquals(List.of(), undeclared, "each must say what it records: @Audited(\"action\")");
    }

    static final class Undeclared {
        @jakarta.ws.rs.GET
        public String forgotten() {
            return "";
        }
    }

    @Test
    void an_endpoint_without_a_declared_permission_is_refused_naming_it() throws NoSuchMethodException {
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> EndpointAccess.declaredPermission(Undeclared.class.getMethod("forgotten")));
        assertTrue(e.getMessage().startsWith(Undeclared.class.getName() + ".forgotten declares no permission"), e.getMessage());
    }
}
