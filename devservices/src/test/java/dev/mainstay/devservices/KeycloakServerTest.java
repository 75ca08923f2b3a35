package dev.mainstay.devservices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeycloakServerTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void a_started_server_serves_the_mainstay_realm_with_its_placeholders_resolved_and_stops_completely() throws Exception {
        KeycloakServer.Builder builder = KeycloakServer.builder()
            .home(KeycloakDistribution.cacheDirectory().resolve("devservices-test"))
            .httpPort(0)
            .database(KeycloakServer.Database.DEV_MEM)
            .importRealm(MainstayRealm.REALM, MainstayRealm.json())
            .environment(MainstayRealm.CLIENT_SECRET_ENV, "secret-from-the-environment")
            .bootstrapAdmin("boot", "boot-password");
        MainstayRealm.DEMO_USERS.forEach(u -> builder.environment(MainstayRealm.demoPasswordEnv(u), u + "-pw"));

        KeycloakServer server = builder.start();
        long pid;
        try (server) {
            pid = server.pid();
            HttpResponse<String> discovery = get(server.issuer("mainstay") + "/.well-known/openid-configuration");
            assertEquals(200, discovery.statusCode());
            assertTrue(discovery.body().contains("\"issuer\":\"" + server.issuer("mainstay") + "\""), discovery.body());

            HttpResponse<String> token = HTTP.send(HttpRequest.newBuilder(URI.create(server.issuer("mainstay") + "/protocol/openid-connect/token"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    "mainstay:secret-from-the-environment".getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, token.statusCode(), "the client secret placeholder was replaced from the environment: " + token.body());

            HttpResponse<String> health = get("http://localhost:" + server.managementPort() + "/health/ready");
            assertTrue(health.body().contains("\"UP\""), "health is served on the management port: " + health.body());

            KeycloakServer.Builder second = KeycloakServer.builder().home(server.home()).httpPort(0).bootstrapAdmin("a", "b");
            assertThrows(KeycloakServer.HomeInUseException.class, second::start, "one server per home");
        }
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the process is gone after close");
        assertThrows(ConnectException.class, () -> get(server.baseUri() + "/"), "nothing listens on the port any more");
    }

    @Test
    void a_keycloak_that_exits_during_start_is_reported_with_the_end_of_its_log(@TempDir Path temp) throws IOException {
        Path zip = fakeDistribution(temp, "#!/bin/sh\necho 'ERROR: the database is corrupt'\nexit 3\n");
        KeycloakServer.Builder builder = KeycloakServer.builder().home(temp.resolve("home")).distribution(zip)
            .httpPort(0).bootstrapAdmin("a", "b");
        IllegalStateException e = assertThrows(IllegalStateException.class, builder::start);
        assertTrue(e.getMessage().contains("exited with 3") && e.getMessage().contains("ERROR: the database is corrupt"),
            e.getMessage());
    }

    @Test
    void a_keycloak_left_running_by_a_killed_jvm_is_stopped_before_the_next_start(@TempDir Path temp) throws Exception {
        // Stands in for Keycloak: a JDK single-file program answering 200 on the port kc.sh is given.
        Path zip = fakeDistribution(temp, """
            #!/bin/sh
            for a in "$@"; do case "$a" in --http-port=*) port="${a#--http-port=}";; esac; done
            exec "$JAVA_HOME/bin/java" "$(dirname "$0")/Fake.java" "$port"
            """);
        Path home = temp.resolve("home");
        KeycloakDistribution.unpack(zip, home);
        Process leftover = new ProcessBuilder("sh", "-c", "sleep 300; true", home.resolve("bin/kc.sh").toString()).start();
        Files.writeString(home.resolve("mainstay-keycloak.pid"), leftover.pid() + "\n");

        try (KeycloakServer server = KeycloakServer.builder().home(home).httpPort(0).bootstrapAdmin("a", "b")
            .importRealm("probe", "{}").start()) {
            assertFalse(leftover.isAlive(), "the leftover process from the pid file was stopped");
            assertEquals(server.pid() + "\n", Files.readString(home.resolve("mainstay-keycloak.pid")), "the new pid is recorded");
        }
    }

    @Test
    void a_taken_port_is_named_in_the_error() throws IOException {
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            KeycloakServer.Builder builder = KeycloakServer.builder()
                .home(KeycloakDistribution.cacheDirectory().resolve("devservices-test"))
                .httpPort(socket.getLocalPort()).bootstrapAdmin("a", "b");
            IllegalStateException e = assertThrows(IllegalStateException.class, builder::start);
            assertTrue(e.getMessage().contains("HTTP port " + socket.getLocalPort() + " is already in use"), e.getMessage());
        }
    }

    private static HttpResponse<String> get(String uri) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    private static Path fakeDistribution(Path dir, String kcSh) throws IOException {
        Path zip = dir.resolve("fake-keycloak.zip");
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry("keycloak-0.0.0/bin/kc.sh"));
            z.write(kcSh.getBytes(StandardCharsets.UTF_8));
            z.putNextEntry(new ZipEntry("keycloak-0.0.0/bin/Fake.java"));
            z.write("""
                import com.sun.net.httpserver.HttpServer;
                import java.net.InetSocketAddress;
                class Fake {
                    public static void main(String[] args) throws Exception {
                        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 0);
                        s.createContext("/", x -> { x.sendResponseHeaders(200, -1); x.close(); });
                        s.start();
                    }
                }
                """.getBytes(StandardCharsets.UTF_8));
        }
        return zip;
    }
}
