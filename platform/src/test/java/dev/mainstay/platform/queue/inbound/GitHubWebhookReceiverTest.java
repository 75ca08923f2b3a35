package dev.mainstay.platform.queue.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import dev.mainstay.platform.identity.SignedInAppliance;
import dev.mainstay.testkit.BrowserFixture;
import dev.mainstay.testkit.KeycloakFixture;
import dev.mainstay.testkit.TestUser;
import dev.mainstay.testkit.github.Webhooks;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * GitHub's deliveries against the running appliance, with real payloads from the shared corpus:
 * a signed one is stored once, encrypted, before the answer; a redelivered, replayed, forged,
 * unsigned or oversized one changes nothing.
 */
@ExtendWith(BrowserFixture.class)
class GitHubWebhookReceiverTest {

    private static final Path CORPUS = Path.of(System.getProperty("mainstay.corpus", Path.of("..", "..", "shared", "corpus").toString()),
        "webhooks", "github");

    private final SignedInAppliance appliance = SignedInAppliance.shared();

    @Test
    void every_signed_corpus_delivery_is_stored_once_encrypted_and_a_redelivery_or_replay_changes_nothing() throws Exception {
        List<Path> payloads;
        try (Stream<Path> files = Files.walk(CORPUS)) {
            payloads = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertTrue(payloads.size() > 50, "the corpus has GitHub's payloads: " + payloads.size());
        String run = UUID.randomUUID().toString().substring(0, 8);
        int stored = 0;
        for (Path payload : payloads) {
            String event = payload.getParent().getFileName().toString();
            // Each body made unique to this run, as GitHub's are, so a re-run of the test is not a replay of the last.
            byte[] body = unique(Files.readAllBytes(payload), run);
            String delivery = run + "-" + stored;
            HttpResponse<String> first = deliver(event, delivery, body, sign(SignedInAppliance.GITHUB_WEBHOOK_SECRET, body));
            assertEquals(202, first.statusCode(), payload + ": " + first.body());
            stored++;
        }
        assertEquals(List.of(Integer.toString(stored)), appliance.column(
            "SELECT count(*) FROM github_inbox WHERE delivery_id LIKE ? AND position(convert_to(?, 'UTF8') IN payload) = 0",
            run + "-%", run), "every payload is stored, none in plaintext");

        Path sample = CORPUS.resolve("pull_request").resolve("closed.payload.json");
        byte[] body = unique(Files.readAllBytes(sample), run + "-sample");
        String delivery = UUID.randomUUID().toString();
        String signature = sign(SignedInAppliance.GITHUB_WEBHOOK_SECRET, body);
        assertEquals(202, deliver("pull_request", delivery, body, signature).statusCode());
        assertEquals(List.of("pull_request closed Codertocat/Hello-World"), appliance.column(
            "SELECT event || ' ' || action || ' ' || repo FROM github_inbox WHERE delivery_id = ?", delivery),
            "the event, action and repository the worker selects by are read from the payload");
        assertEquals(List.of("success"), appliance.column(
            "SELECT outcome FROM audit_event WHERE action = 'github.webhook.receive' AND target_id = ?", delivery));

        String rows = count();
        String trail = appliance.column("SELECT seq FROM audit_head").getFirst();
        HttpResponse<String> redelivered = deliver("pull_request", delivery, body, signature);
        assertEquals(200, redelivered.statusCode());
        assertTrue(redelivered.body().contains("\"duplicate\""), redelivered.body());
        HttpResponse<String> replayed = deliver("pull_request", UUID.randomUUID().toString(), body, signature);
        assertEquals(200, replayed.statusCode(), "a captured body replayed under a made-up delivery id is a duplicate too");
        assertEquals(rows, count(), "neither stored anything");
        assertEquals(trail, appliance.column("SELECT seq FROM audit_head").getFirst(), "nor recorded anything");
    }

    @Test
    void a_forged_unsigned_or_oversized_delivery_is_refused_and_stores_nothing(BrowserContext context) throws Exception {
        byte[] body = unique(Files.readAllBytes(CORPUS.resolve("issue_comment").resolve("created.payload.json")),
            UUID.randomUUID().toString());
        String good = sign(SignedInAppliance.GITHUB_WEBHOOK_SECRET, body);
        String rows = count();
        byte[] tampered = Arrays.copyOf(body, body.length);
        tampered[tampered.length / 2] ^= 1;
        String forged = UUID.randomUUID().toString();
        assertEquals(401, deliver("issue_comment", forged, tampered, good).statusCode(), "a changed body under the original signature");
        assertEquals(401, deliver("issue_comment", UUID.randomUUID().toString(), body, sign("a-wrong-secret-of-enough-bytes", body))
            .statusCode(), "a body signed with another secret");
        assertEquals(401, deliver("issue_comment", UUID.randomUUID().toString(), body, null).statusCode(), "an unsigned body");
        assertEquals(401, deliver("issue_comment", UUID.randomUUID().toString(), body, "sha1=" + good.substring(7, 47)).statusCode(),
            "a SHA-1 signature");
        // Signed in or holding a token makes no difference: only the signature authenticates GitHub.
        SignedInAppliance.Session admin = appliance.signIn(context, KeycloakFixture.shared(), TestUser.ADMIN);
        HttpResponse<String> asAdmin = appliance.http().send(HttpRequest.newBuilder(URI.create(appliance.url("/webhooks/github")))
            .header("X-GitHub-Event", "issue_comment").header("X-GitHub-Delivery", UUID.randomUUID().toString())
            .header("Cookie", admin.cookie()).header("X-CSRF-Token", admin.csrf())
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, asAdmin.statusCode(), asAdmin.body());

        byte[] huge = new byte[SignedInAppliance.GITHUB_WEBHOOK_MAX_BYTES + 1];
        Arrays.fill(huge, (byte) ' ');
        huge[0] = '{';
        huge[huge.length - 1] = '}';
        assertEquals(413, deliver("push", UUID.randomUUID().toString(), huge, sign(SignedInAppliance.GITHUB_WEBHOOK_SECRET, huge))
            .statusCode());
        byte[] notJson = "{\"action\": ".getBytes(StandardCharsets.UTF_8);
        assertEquals(400, deliver("push", UUID.randomUUID().toString(), notJson, sign(SignedInAppliance.GITHUB_WEBHOOK_SECRET, notJson))
            .statusCode(), "signed, but not an event");
        assertEquals(rows, count(), "nothing refused was stored");
        assertEquals(List.of("denied"), appliance.column(
            "SELECT outcome FROM audit_event WHERE action = 'github.webhook.receive' AND target_id = ?", forged),
            "a forged delivery is in the audit trail");
    }

    @Test
    void a_delivery_body_is_cleared_a_week_after_it_was_acted_on_and_its_replay_dropped_until_it_is_deleted() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        byte[] sample = Files.readAllBytes(CORPUS.resolve("pull_request").resolve("closed.payload.json"));
        byte[] oldBody = unique(sample, run + "-old");
        String old = run + "-old";
        String recent = run + "-recent";
        String givenUp = run + "-given-up";
        assertEquals(202, deliver("pull_request", old, oldBody, sign(SignedInAppliance.GITHUB_WEBHOOK_SECRET, oldBody)).statusCode());
        for (String delivery : List.of(recent, givenUp)) {
            byte[] body = unique(sample, delivery);
            assertEquals(202, deliver("pull_request", delivery, body, sign(SignedInAppliance.GITHUB_WEBHOOK_SECRET, body)).statusCode());
        }
        for (String delivery : List.of(old, recent, givenUp)) {
            appliance.await("delivery " + delivery + " is acted on", "SELECT 1 FROM github_inbox WHERE delivery_id = ?"
                + " AND processed_at IS NOT NULL", delivery);
        }
        // Eight days on: one acted on, one given up on after every attempt (the intake no longer claims it).
        try (Connection c = appliance.database(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE github_inbox SET received_at = now() - interval '8 days', processed_at = now() - interval '8 days'"
                + " WHERE delivery_id = '" + old + "'");
            s.executeUpdate("UPDATE github_inbox SET received_at = now() - interval '8 days', processed_at = NULL, attempts = "
                + GitHubIntake.MAX_ATTEMPTS + " WHERE delivery_id = '" + givenUp + "'");
            GitHubInbox.prune(c, Instant.now());
        }
        assertEquals(List.of(givenUp + " cleared", old + " cleared", recent + " kept"), appliance.column("SELECT delivery_id || ' '"
            + " || CASE WHEN payload IS NULL THEN 'cleared' ELSE 'kept' END FROM github_inbox WHERE delivery_id LIKE ? ORDER BY 1", run + "-%"));
        String rows = count();
        HttpResponse<String> replayed = deliver("pull_request", UUID.randomUUID().toString(), oldBody,
            sign(SignedInAppliance.GITHUB_WEBHOOK_SECRET, oldBody));
        assertEquals(200, replayed.statusCode(), "a replay of a cleared delivery is still recognised by its hash: " + replayed.body());
        assertEquals(rows, count());

        // Ninety-one days on, the delivery is gone altogether.
        try (Connection c = appliance.database(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE github_inbox SET received_at = now() - interval '91 days' WHERE delivery_id = '" + old + "'");
            GitHubInbox.prune(c, Instant.now());
        }
        assertEquals(List.of(givenUp, recent), appliance.column("SELECT delivery_id FROM github_inbox WHERE delivery_id LIKE ? ORDER BY 1",
            run + "-%"));
    }

    private HttpResponse<String> deliver(String event, String delivery, byte[] body, String signature) throws Exception {
        return appliance.deliverGitHub(event, delivery, body, signature);
    }

    private String count() throws Exception {
        return appliance.column("SELECT count(*) FROM github_inbox").getFirst();
    }

    /** The payload with a field of this run's own, added the way GitHub adds fields: more are always allowed. */
    private static byte[] unique(byte[] payload, String run) {
        String text = new String(payload, StandardCharsets.UTF_8).strip();
        return ("{\"mainstay_test_run\": \"" + run + "\", " + text.substring(1)).getBytes(StandardCharsets.UTF_8);
    }

    private static String sign(String secret, byte[] body) {
        return Webhooks.sign(body, secret.getBytes(StandardCharsets.UTF_8));
    }
}
