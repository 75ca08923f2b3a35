package dev.mainstay.cli.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.cli.CliRun;
import dev.mainstay.cli.upload.RecordingServer;
import dev.mainstay.cli.upload.RecordingServer.Answer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mainstay queue enqueue} and {@code queue cancel} against an appliance stand-in: the request
 * the API expects, one idempotency key over retries, and the sentence and exit code for each answer.
 * (QueueApiTest in the appliance runs the served CLI against the real appliance.)
 */
class EntryCommandTest {

    private static final String TOKEN = "msy_0123456789abcdef0123456789abcdef";
    private static final String QUEUED = "{\"repository\":\"acme/web\",\"branch\":\"main\",\"pull_request\":42,\"new\":true}";

    @TempDir
    Path dir;

    private CliRun.Result run(String... args) {
        return CliRun.in(dir).env("MAINSTAY_TOKEN", TOKEN).run(args);
    }

    @Test
    void enqueue_posts_the_pull_request_and_retries_a_503_with_retry_after_with_the_same_idempotency_key() throws Exception {
        try (RecordingServer server = RecordingServer.http().answering(new Answer(503, Map.of("Content-Type", "application/problem+json",
            "Retry-After", "2"), "{\"title\":\"Starting\"}"), Answer.json(202, QUEUED))) {
            CliRun.Result r = run("queue", "enqueue", "--url", server.url(), "--repo", "acme/web", "--pr", "42", "--priority", "urgent");

            assertEquals(0, r.code(), r.both());
            assertEquals("mainstay: #42 of acme/web is queued on main (urgent)\n", r.out());
            List<RecordingServer.Request> requests = server.requests();
            assertEquals(2, requests.size(), "one retry after the 503");
            RecordingServer.Request request = requests.get(1);
            assertEquals("POST", request.method());
            assertEquals("/api/v1/queues/acme/web/entries", request.uri().getPath());
            assertEquals("Bearer " + TOKEN, request.header("Authorization"));
            assertEquals("{\"pull_request\": 42, \"priority\": \"urgent\"}", new String(request.body(), StandardCharsets.UTF_8));
            assertEquals(requests.get(0).header("Idempotency-Key"), request.header("Idempotency-Key"), "a retry queues once");
            assertEquals("mainstay: the appliance answered 503 Service Unavailable: Starting and asked to wait 2 s; retrying in 2.0 s"
                + " (attempt 2 of at most 6)\n", r.err());
        }
    }

    @Test
    void a_503_no_github_app_is_said_at_once_not_retried() throws Exception {
        try (RecordingServer server = RecordingServer.http().answering(Answer.problem(503,
            "{\"title\":\"No GitHub App\",\"status\":503,\"detail\":\"no GitHub App is installed for acme\",\"permanent\":true}"))) {
            CliRun.Result r = run("queue", "enqueue", "--url", server.url(), "--repo", "acme/web", "--pr", "42");

            assertEquals(3, r.code(), r.both());
            assertEquals(1, server.requests().size(), "an installation missing stays missing for the next 30 s");
            assertEquals(List.of(), r.waits());
            assertEquals("mainstay: not retrying: the appliance marked its 503 Service Unavailable permanent (\"permanent\": true):"
                + " asking again gets the same answer\nmainstay: the appliance answered 503: no GitHub App is installed for acme\n", r.err());
        }
    }

    @Test
    void cancel_deletes_the_entry() throws Exception {
        try (RecordingServer server = RecordingServer.http().answering(Answer.json(202, QUEUED.replace("true", "false")))) {
            CliRun.Result r = run("queue", "cancel", "--url", server.url(), "--repo", "acme/web", "--pr", "42");

            assertEquals(0, r.code(), r.both());
            assertEquals("mainstay: #42 of acme/web leaves the merge queue of main\n", r.out());
            assertEquals("DELETE", server.requests().get(0).method());
            assertEquals("/api/v1/queues/acme/web/entries/42", server.requests().get(0).uri().getPath());
        }
    }

    @Test
    void each_refusal_is_said_with_the_appliances_reason_and_its_own_exit_code() throws Exception {
        try (RecordingServer server = RecordingServer.http().answering(Answer.problem(403,
            "{\"title\":\"No write access\",\"detail\":\"GitHub says admin may not push to acme/web\"}"))) {
            CliRun.Result r = run("queue", "enqueue", "--url", server.url(), "--repo", "acme/web", "--pr", "42");
            assertEquals(4, r.code(), r.both());
            assertEquals("mainstay: refused (403): GitHub says admin may not push to acme/web\n", r.err());
        }
        try (RecordingServer server = RecordingServer.http().answering(Answer.problem(409,
            "{\"title\":\"Cannot be queued\",\"detail\":\"#42 cannot be queued: it is a draft\"}"))) {
            CliRun.Result r = run("queue", "enqueue", "--url", server.url(), "--repo", "acme/web", "--pr", "42");
            assertEquals(6, r.code(), r.both());
            assertEquals("mainstay: refused (409): #42 cannot be queued: it is a draft\n", r.err());
        }
    }

    @Test
    void a_wrong_command_line_is_named_before_anything_is_sent() {
        assertUsage(run("queue", "enqueue", "--url", "http://127.0.0.1:9", "--pr", "42"), "--repo is required");
        assertUsage(run("queue", "enqueue", "--url", "http://127.0.0.1:9", "--repo", "web", "--pr", "42"), "--repo must be OWNER/NAME");
        assertUsage(run("queue", "enqueue", "--url", "http://127.0.0.1:9", "--repo", "acme/web", "--pr", "#42"), "--pr must be");
        assertUsage(run("queue", "enqueue", "--url", "http://127.0.0.1:9", "--repo", "acme/web", "--pr", "42", "--priority", "asap"),
            "--priority must be urgent, high, normal or low");
        assertUsage(CliRun.in(dir).run("queue", "cancel", "--url", "http://127.0.0.1:9", "--repo", "acme/web", "--pr", "42"),
            "an API token with the queue:write scope");
    }

    private static void assertUsage(CliRun.Result r, String message) {
        assertEquals(2, r.code(), r.both());
        assertTrue(r.err().contains(message), r.both());
    }
}
