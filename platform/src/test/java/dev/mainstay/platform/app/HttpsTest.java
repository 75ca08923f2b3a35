package dev.mainstay.platform.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.testkit.ApplianceProcess;
import dev.mainstay.testkit.HttpClients;
import dev.mainstay.testkit.TempDirs;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** What an operator's tools see of a running appliance over HTTPS and plain HTTP. */
class HttpsTest {

    private static ApplianceProcess appliance;
    private static HttpClient https;
    private static URI base;
    private static int redirectPort;

    @BeforeAll
    static void start() throws IOException {
        Path dataDir = TempDirs.create("mainstay-https-");
        redirectPort = freePort();
        appliance = ApplianceProcess.startAndAwaitReady(dataDir.resolve("appliance.log"),
            SignInStub.with(Map.of("mainstay.http.port", "0", "mainstay.dev.postgres-port", "0",
                "mainstay.http.redirect-port", Integer.toString(redirectPort))),
            Duration.ofSeconds(120), "dev", "--data-dir", dataDir.toString());
        https = HttpClients.trusting(dataDir.resolve("tls/cert.pem"));
        base = appliance.baseUri();
    }

    @AfterAll
    static void stop() {
        if (appliance != null) {
            appliance.close();
        }
    }

    @Test
    void health_ready_answers_200_over_https_with_hsts_and_checks_the_database() throws Exception {
        HttpResponse<String> r = get("/health/ready");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"name\":\"database\",\"status\":\"UP\""), r.body());
        String hsts = r.headers().firstValue("Strict-Transport-Security").orElse("");
        Matcher maxAge = Pattern.compile("max-age=(\\d+)").matcher(hsts);
        assertTrue(maxAge.find() && Long.parseLong(maxAge.group(1)) >= 31_536_000L, "HSTS max-age of a year or more: " + hsts);
        assertTrue(hsts.contains("includeSubDomains"), hsts);
    }

    @Test
    void every_response_carries_the_security_headers_even_a_404() throws Exception {
        for (String path : new String[] {"/health/live", "/metrics", "/openapi", "/no-such-page"}) {
            HttpResponse<String> r = get(path);
            String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
            assertTrue(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
                path + " CSP without inline script: " + csp);
            assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""), path);
            assertEquals("same-origin", r.headers().firstValue("Referrer-Policy").orElse(""), path);
            assertTrue(r.headers().firstValue("Strict-Transport-Security").isPresent(), path + " has HSTS");
        }
        assertEquals(404, get("/no-such-page").statusCode());
    }

    @Test
    void metrics_are_in_prometheus_text_format_and_openapi_is_served() throws Exception {
        HttpResponse<String> metrics = get("/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("# TYPE "), "Prometheus exposition format");
        assertTrue(metrics.body().contains("hikaricp_connections"), "the database pool is measured");
        HttpResponse<String> openapi = get("/openapi");
        assertEquals(200, openapi.statusCode());
        assertTrue(openapi.body().contains("openapi: 3."), openapi.body());
    }

    @Test
    void openapi_serves_the_maintained_description_of_every_api_operation_and_nothing_else() throws Exception {
        HttpResponse<String> r = get("/openapi");
        assertEquals(200, r.statusCode(), r.body());
        Map<String, Object> served = yaml(r.body());
        Map<String, Object> maintained;
        try (InputStream in = HttpsTest.class.getResourceAsStream("/META-INF/openapi.yaml")) {
            maintained = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        }
        Set<String> operations = operations(served);
        assertTrue(operations.size() >= 20 && operations.contains("POST /api/v1/uploads"), "the API's operations: " + operations);
        assertEquals(operations(maintained), operations, "GET /openapi is META-INF/openapi.yaml, with nothing scanned besides");
        Map<String, Object> upload = map(map(map(served.get("paths")).get("/api/v1/uploads")).get("post"));
        assertEquals("uploads:write", upload.get("x-mainstay-permission"), "the extensions are served too");
        assertTrue(map(map(served.get("components")).get("schemas")).containsKey("Problem"), "the shared problem schema is served");
    }

    @Test
    void the_plain_http_port_only_redirects_to_https() throws Exception {
        HttpResponse<String> r = HttpClients.plain().send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + redirectPort + "/health/ready?probe=1")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(308, r.statusCode());
        assertEquals("https://localhost:" + base.getPort() + "/health/ready?probe=1", r.headers().firstValue("Location").orElse(""));
        assertEquals("", r.body(), "nothing but the redirect");
    }

    @Test
    void the_https_port_does_not_speak_plain_http() {
        URI plain = URI.create("http://localhost:" + base.getPort() + "/health/ready");
        assertThrows(IOException.class, () -> HttpClients.plain().send(HttpRequest.newBuilder(plain)
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()));
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return https.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, Object> yaml(String text) {
        return new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    }

    /** Each operation of an OpenAPI document as {@code METHOD /path}. */
    private static Set<String> operations(Map<String, Object> document) {
        Set<String> out = new TreeSet<>();
        map(document.get("paths")).forEach((path, item) -> map(item).keySet().stream()
            .filter(k -> Set.of("get", "put", "post", "delete", "patch").contains(k))
            .forEach(verb -> out.add(verb.toUpperCase(Locale.ROOT) + " " + path)));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node) {
        return node == null ? Map.of() : (Map<String, Object>) node;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
