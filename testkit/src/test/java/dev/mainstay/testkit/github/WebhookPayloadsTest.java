package dev.mainstay.testkit.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The simulator's webhooks are what GitHub sends: signed with the secret, with GitHub's headers,
 * and valid against GitHub's published schemas (../shared/corpus/webhooks/github-schemas).
 */
class WebhookPayloadsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "it's a secret to everybody";
    private static final Path SCHEMAS = Path.of(System.getProperty("mainstay.corpus", "../../shared/corpus"), "webhooks", "github-schemas")
        .toAbsolutePath().normalize();

    /** One request as the receiver saw it. */
    record Received(String event, String delivery, String signature, byte[] body) {
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private HttpServer receiver;
    private GitHubSimulator github;

    @BeforeEach
    void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/webhooks/github", exchange -> {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                received.add(new Received(exchange.getRequestHeaders().getFirst("X-GitHub-Event"),
                    exchange.getRequestHeaders().getFirst("X-GitHub-Delivery"),
                    exchange.getRequestHeaders().getFirst("X-Hub-Signature-256"), in.readAllBytes()));
                exchange.sendResponseHeaders(202, -1);
            }
        });
        receiver.start();
        github = GitHubSimulator.start();
        github.webhooks().sendTo(URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/webhooks/github"), SECRET);
    }

    @AfterEach
    void stop() {
        github.close();
        receiver.stop(0);
    }

    @Test
    void every_event_the_simulator_sends_is_signed_and_valid_against_githubs_schema() throws Exception {
        SimulatedRepository repo = github.createRepository("acme", "widgets");
        repo.requireChecks("main", List.of("build"));
        int pr = repo.openPullRequest("feature", "Add a feature", Map.of("a.txt", "a\n"));
        repo.label(pr, "queue");
        repo.push("feature", Map.of("a.txt", "a2\n"), "Fix review comments");
        repo.setStatus(repo.branchSha("feature"), "lint", "success");
        repo.comment(pr, "alice", "@mainstay queue");
        repo.push("mainstay/queue/main/1", Map.of("a.txt", "a2\n"), "Candidate");
        int other = repo.openPullRequest("other", "Another", Map.of("o.txt", "o\n"));
        repo.close(other);
        awaitCi();
        github.refMoved(repo, "refs/heads/main", ObjectId.fromString(repo.branchSha("main")),
            ObjectId.fromString(repo.branchSha("feature")), true);
        github.webhooks().awaitSent();

        Set<String> kinds = new TreeSet<>();
        for (Received r : received) {
            JsonNode payload = JSON.readTree(r.body());
            String action = payload.path("action").asText("");
            String kind = r.event() + (action.isEmpty() ? "" : "/" + action);
            kinds.add(kind);
            assertEquals(Webhooks.sign(r.body(), SECRET.getBytes(StandardCharsets.UTF_8)), r.signature(), kind + " is signed");
            assertTrue(r.delivery().matches("[0-9a-f-]{36}"), kind + " has a UUID delivery id");
            Set<ValidationMessage> problems = schema(r.event(), action).validate(payload);
            assertEquals(Set.of(), problems, kind + " validates against GitHub's schema");
            assertEquals(github.app().installationId(), payload.path("installation").path("id").asLong(), kind + " names the installation");
        }
        assertEquals(new TreeSet<>(List.of("check_run/completed", "check_suite/completed", "issue_comment/created",
            "pull_request/closed", "pull_request/labeled", "pull_request/opened", "pull_request/synchronize", "push", "status")), kinds);
    }

    @Test
    void a_delivery_can_be_replayed_byte_for_byte_or_forged() throws Exception {
        SimulatedRepository repo = github.createRepository("acme", "widgets");
        repo.openPullRequest("feature", "Add a feature", Map.of("a.txt", "a\n"));
        github.webhooks().awaitSent();
        Webhooks.Delivery opened = github.webhooks().deliveries("pull_request").get(0);

        github.webhooks().resend(opened);
        Webhooks.Delivery forged = github.webhooks().sendForged(opened);
        github.webhooks().awaitSent();

        assertEquals(3, received.size());
        assertEquals(received.get(0).delivery(), received.get(1).delivery(), "a replay keeps the delivery id");
        assertEquals(received.get(0).signature(), received.get(1).signature());
        assertEquals(forged.id(), received.get(2).delivery());
        assertTrue(!received.get(2).signature().equals(Webhooks.sign(received.get(2).body(), SECRET.getBytes(StandardCharsets.UTF_8))),
            "a forgery's signature does not match the secret");
    }

    private void awaitCi() throws InterruptedException {
        for (int i = 0; i < 250 && github.ci().runs().isEmpty(); i++) {
            Thread.sleep(20);
        }
        assertEquals(1, github.ci().runs().size(), "CI ran on the candidate");
    }

    private static JsonSchema schema(String event, String action) throws Exception {
        Path file = action.isEmpty() ? SCHEMAS.resolve(event).resolve("event.schema.json")
            : SCHEMAS.resolve(event).resolve(action + ".schema.json");
        // The event schemas' $id ("pull_request$opened") is no IRI: it is dropped, so that "common/..." refs resolve
        // against the folder. The common schemas' relative $ids ("common/x.schema.json") then nest "common/" deeper
        // at each step: every such location is mapped back to the one common folder.
        String common = SCHEMAS.resolve("common").toUri().toString();
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7,
            builder -> builder.schemaMappers(m -> m.mappings(iri -> iri.startsWith(common),
                iri -> common + iri.substring(iri.lastIndexOf("/common/") + "/common/".length()))));
        com.fasterxml.jackson.databind.node.ObjectNode root = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(file.toFile());
        root.remove("$id");
        return factory.getSchema(SchemaLocation.of(SCHEMAS.toUri() + event + ".schema.json"), root);
    }
}
