package dev.mainstay.cli.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.cli.CliRun;
import dev.mainstay.cli.upload.RecordingServer;
import dev.mainstay.cli.upload.RecordingServer.Answer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mainstay queue targets} against an appliance stand-in: the targets from the command line or
 * a file (as a monorepo tool writes them) in the body the API expects, and each mistake named before
 * anything is sent. (ImpactedTargetsTest in the appliance covers what the appliance does with them.)
 */
class TargetsCommandTest {

    private static final String TOKEN = "msy_0123456789abcdef0123456789abcdef";
    private static final String HEAD = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path dir;

    private CliRun.Result run(String... args) {
        return CliRun.in(dir).env("MAINSTAY_TOKEN", TOKEN).run(args);
    }

    @Test
    void the_targets_of_a_file_are_posted_once_each_for_the_pull_requests_head() throws Exception {
        Files.writeString(dir.resolve("targets.txt"), "# from bazel-diff\n//app:server\n\n  //app:lib  \n//app:server\n//docs:\"site\"\n");
        try (RecordingServer server = RecordingServer.http().answering(Answer.json(201,
            "{\"repository\":\"acme/web\",\"pull_request\":42,\"head\":\"" + HEAD + "\",\"targets\":3}"))) {
            CliRun.Result r = run("queue", "targets", "--url", server.url(), "--repo", "acme/web", "--pr", "42", "--head", HEAD,
                "--targets-file", "targets.txt");

            assertEquals(0, r.code(), r.both());
            assertEquals("mainstay: 3 impacted targets of #42 of acme/web at 0123456789ab posted\n", r.out());
            RecordingServer.Request request = server.requests().getFirst();
            assertEquals("POST", request.method());
            assertEquals("/api/v1/impacted-targets", request.uri().getPath());
            assertEquals("Bearer " + TOKEN, request.header("Authorization"));
            assertEquals("{\"repository\": \"acme/web\", \"pull_request\": 42, \"head\": \"" + HEAD + "\", \"targets\": [\"//app:server\","
                + " \"//app:lib\", \"//docs:\\\"site\\\"\"]}", new String(request.body(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void targets_named_on_the_command_line_are_posted_and_a_refusal_is_said_with_its_exit_code() throws Exception {
        try (RecordingServer server = RecordingServer.http().answering(Answer.problem(422,
            "{\"title\":\"Invalid impacted targets\",\"detail\":\"at most 10000 targets\"}"))) {
            CliRun.Result r = run("queue", "targets", "--url", server.url(), "--repo", "acme/web", "--pr", "42", "--head", HEAD,
                "--target", "ALL");
            assertEquals(6, r.code(), r.both());
            assertEquals("mainstay: refused (422): at most 10000 targets\n", r.err());
            assertTrue(new String(server.requests().getFirst().body(), StandardCharsets.UTF_8).endsWith("\"targets\": [\"ALL\"]}"));
        }
    }

    @Test
    void a_wrong_command_line_is_named_before_anything_is_sent() throws Exception {
        String url = "http://127.0.0.1:9";
        assertUsage(run("queue", "targets", "--url", url, "--repo", "acme/web", "--pr", "42", "--target", "x"), "--head is required");
        assertUsage(run("queue", "targets", "--url", url, "--repo", "acme/web", "--pr", "42", "--head", "abc", "--target", "x"),
            "--head must be a commit's 40 hex digits");
        assertUsage(run("queue", "targets", "--url", url, "--repo", "acme/web", "--pr", "42", "--head", HEAD),
            "name the targets with --target (repeated) or --targets-file");
        assertUsage(run("queue", "targets", "--url", url, "--repo", "acme/web", "--pr", "42", "--head", HEAD, "--targets-file", "none.txt"),
            "cannot read --targets-file");
        Files.writeString(dir.resolve("empty.txt"), "# nothing changed\n");
        assertUsage(run("queue", "targets", "--url", url, "--repo", "acme/web", "--pr", "42", "--head", HEAD, "--targets-file", "empty.txt"),
            "post 1 to 10000 targets, not 0");
    }

    private static void assertUsage(CliRun.Result r, String message) {
        assertEquals(2, r.code(), r.both());
        assertTrue(r.err().contains(message), r.both());
    }
}
