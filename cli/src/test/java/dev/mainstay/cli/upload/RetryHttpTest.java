package dev.mainstay.cli.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.cli.CliRun;
import dev.mainstay.cli.Corpus;
import dev.mainstay.cli.upload.RecordingServer.Answer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which answers {@code mainstay upload} asks again, how often and how long, against an appliance
 * stand-in: the CLI retries only what can succeed, within 30 s.
 *
 * <p>The bug: every 429 and 5xx was retried up to {@code --retries} times, so users watched a
 * permanent 500 retried for about 20 s, and a 503 "No GitHub App" six times over about 22 s,
 * before being told what to fix. Each test counts the attempts and asserts the lines printed;
 * waits are recorded by {@link CliRun}, never slept, and its clock moves on by them.
 */
class RetryHttpTest {

    private static final String STARTING = "{\"title\":\"Service Unavailable\",\"status\":503,\"detail\":\"the appliance is starting\"}";
    private static final String NO_APP = "{\"title\":\"No GitHub App\",\"status\":503,\"detail\":\"no GitHub App is installed for acme\"}";

    @TempDir
    Path dir;

    @BeforeEach
    void aJobWithOneReport() throws IOException {
        Files.copy(Corpus.file("junit/dorny/jest-junit.xml"), dir.resolve("TEST-a.xml"));
    }

    private CliRun.Result upload(String url, String... more) {
        List<String> args = new ArrayList<>(List.of("upload", "--url", url, "--junit", "TEST-a.xml", "--repo", "acme/shop",
            "--commit", UploadHttpTest.SHA));
        args.addAll(List.of(more));
        return CliRun.in(dir).env("MAINSTAY_TOKEN", UploadHttpTest.TOKEN).run(args.toArray(String[]::new));
    }

    private static Answer problem(int status, Map<String, String> headers, String body) {
        Map<String, String> all = new HashMap<>(headers);
        all.put("Content-Type", "application/problem+json");
        return new Answer(status, all, body);
    }

    private static long retryLines(CliRun.Result r) {
        return r.err().lines().filter(l -> l.contains("; retrying in ")).count();
    }

    @Test
    void a_500_and_a_501_and_a_505_are_sent_once_and_say_why_they_are_not_retried() throws Exception {
        record Case(int status, String notRetrying, String answer) {
        }
        List<Case> cases = List.of(
            new Case(500, "a 500 is a fault in the appliance that the same request meets again",
                "500 Internal Server Error: NullPointerException in UploadResource"),
            new Case(501, "501 says the appliance cannot serve this request at all", "501: NullPointerException in UploadResource"),
            new Case(505, "505 says the appliance cannot serve this request at all", "505: NullPointerException in UploadResource"));
        for (Case c : cases) {
            try (RecordingServer server = RecordingServer.http().answering(
                Answer.problem(c.status(), "{\"title\":\"Error\",\"detail\":\"NullPointerException in UploadResource\"}"))) {
                CliRun.Result r = upload(server.url());

                assertEquals(3, r.code(), r.both());
                assertEquals(1, server.requests().size(), c.status() + " is never retried");
                assertEquals(List.of(), r.waits(), "no wait for " + c.status());
                assertTrue(r.err().endsWith("mainstay: not retrying: " + c.notRetrying() + "\n"
                    + "mainstay: the appliance answered " + c.answer() + "\n"), r.err());
            }
        }
    }

    @Test
    void a_503_without_retry_after_is_sent_once_and_its_problem_is_said() throws Exception {
        try (RecordingServer server = RecordingServer.http().answering(Answer.problem(503, NO_APP))) {
            CliRun.Result r = upload(server.url());

            assertEquals(3, r.code(), r.both());
            assertEquals(1, server.requests().size(), "a bare 503 does not say the appliance will be back");
            assertEquals(List.of(), r.waits());
            assertTrue(r.err().endsWith("mainstay: not retrying: a 503 without Retry-After does not say the appliance will be back soon\n"
                + "mainstay: the appliance answered 503 Service Unavailable: no GitHub App is installed for acme\n"), r.err());
        }
    }

    @Test
    void a_503_with_retry_after_is_retried_after_that_wait_with_the_same_idempotency_key() throws Exception {
        try (RecordingServer server = RecordingServer.http().answering(problem(503, Map.of("Retry-After", "3"), STARTING),
            Answer.json(201, UploadHttpTest.CREATED))) {
            CliRun.Result r = upload(server.url());

            assertEquals(0, r.code(), r.both());
            assertEquals(2, server.requests().size(), "one retry, then created");
            assertEquals(server.requests().get(0).header("Idempotency-Key"), server.requests().get(1).header("Idempotency-Key"),
                "a retry stores the results once");
            assertEquals(List.of(Duration.ofSeconds(3)), r.waits(), "the wait Retry-After asked for");
            assertTrue(r.err().contains("mainstay: the appliance answered 503 Service Unavailable: the appliance is starting and asked to"
                + " wait 3 s; retrying in 3.0 s (attempt 2 of at most 6)\n"), r.err());
        }
    }

    @Test
    void a_problem_marked_permanent_is_sent_once_even_with_retry_after() throws Exception {
        String permanent = NO_APP.replace("}", ",\"permanent\":true}");
        for (int status : new int[] {429, 502, 503, 504}) {
            try (RecordingServer server = RecordingServer.http().answering(problem(status, Map.of("Retry-After", "1"), permanent))) {
                CliRun.Result r = upload(server.url());

                assertEquals(3, r.code(), r.both());
                assertEquals(1, server.requests().size(), status + " marked permanent is never retried");
                assertEquals(List.of(), r.waits());
                assertTrue(r.err().endsWith("mainstay: not retrying: the appliance marked its " + Statuses.describe(status)
                    + " permanent (\"permanent\": true): asking again gets the same answer\n"
                    + "mainstay: the appliance answered " + Statuses.describe(status) + ": no GitHub App is installed for acme\n"), r.err());
            }
        }
    }

    @Test
    void only_the_literal_true_in_a_problem_body_marks_an_answer_permanent() throws Exception {
        List<Answer> notPermanent = List.of(
            problem(503, Map.of("Retry-After", "1"), NO_APP.replace("}", ",\"permanent\":\"true\"}")),
            problem(503, Map.of("Retry-After", "1"), NO_APP.replace("}", ",\"permanent\":false}")),
            new Answer(503, Map.of("Retry-After", "1", "Content-Type", "application/json"), NO_APP.replace("}", ",\"permanent\":true}")));
        for (Answer answer : notPermanent) {
            try (RecordingServer server = RecordingServer.http().answering(answer, Answer.json(201, UploadHttpTest.CREATED))) {
                CliRun.Result r = upload(server.url());

                assertEquals(0, r.code(), r.both());
                assertEquals(2, server.requests().size(), "retried, as a 503 with Retry-After: " + answer);
            }
        }
    }

    @Test
    void a_502_and_a_504_are_retried_with_growing_waits_and_one_line_each() throws Exception {
        for (int status : new int[] {502, 504}) {
            try (RecordingServer server = RecordingServer.http().answering(Answer.problem(status, "{\"detail\":\"upstream gone\"}"))) {
                CliRun.Result r = upload(server.url(), "--retries", "3");

                assertEquals(3, r.code(), r.both());
                assertEquals(4, server.requests().size(), "one attempt and three retries of " + status);
                for (int i = 0; i < 3; i++) {
                    long ceiling = 1000L << i;
                    long ms = r.waits().get(i).toMillis();
                    assertTrue(ms >= ceiling / 2 && ms <= ceiling, "wait " + (i + 1) + " within [" + ceiling / 2 + ", " + ceiling + "] ms: " + ms);
                    assertTrue(r.err().contains("mainstay: the appliance answered " + Statuses.describe(status) + ": upstream gone; retrying in "
                        + RetryPolicy.seconds(r.waits().get(i)) + " (attempt " + (i + 2) + " of at most 4)\n"), r.err());
                }
                assertEquals(3, retryLines(r), "one line a retry: " + r.err());
                assertTrue(r.err().endsWith("mainstay: the appliance kept failing: its last answer was " + Statuses.describe(status)
                    + ": upstream gone (after 4 attempts)\n"), r.err());
            }
        }
    }

    @Test
    void a_429_waits_as_long_as_its_retry_after_asks() throws Exception {
        try (RecordingServer server = RecordingServer.http()
            .answering(new Answer(429, Map.of("Retry-After", "7"), ""), Answer.json(201, UploadHttpTest.CREATED))) {
            CliRun.Result r = upload(server.url());

            assertEquals(0, r.code(), r.both());
            assertEquals(2, server.requests().size());
            assertEquals(List.of(Duration.ofSeconds(7)), r.waits());
            assertTrue(r.err().contains("mainstay: the appliance answered 429 Too Many Requests and asked to wait 7 s; retrying in 7.0 s"
                + " (attempt 2 of at most 6)\n"), r.err());
        }
    }

    @Test
    void a_refusal_is_sent_once_even_with_retry_after() throws Exception {
        for (int status : new int[] {400, 401, 403, 404, 409, 422}) {
            try (RecordingServer server = RecordingServer.http().answering(
                problem(status, Map.of("Retry-After", "1"), "{\"detail\":\"refused for a reason\"}"))) {
                CliRun.Result r = upload(server.url());

                assertEquals(1, server.requests().size(), status + " is final");
                assertEquals(List.of(), r.waits(), "no wait after " + status);
                assertFalse(r.err().contains("retrying"), "a refusal needs no word on retries: " + r.err());
                assertTrue(r.err().contains(": refused for a reason"), "the refusal's problem is said: " + r.err());
            }
        }
    }

    @Test
    void a_retry_after_longer_than_the_budget_ends_the_retries_and_says_how_long_was_asked() throws Exception {
        try (RecordingServer server = RecordingServer.http().answering(new Answer(429, Map.of("Retry-After", "120"), ""))) {
            CliRun.Result r = upload(server.url());

            assertEquals(3, r.code(), r.both());
            assertEquals(1, server.requests().size());
            assertEquals(List.of(), r.waits(), "no 120 s wait");
            assertTrue(r.err().endsWith("mainstay: not retrying: the appliance asked to wait 120 s (Retry-After), more than the 30.0 s left"
                + " of the 30 s the CLI spends retrying\nmainstay: the appliance answered 429 Too Many Requests\n"), r.err());
        }
    }

    @Test
    void retries_stop_when_the_next_retry_after_would_end_past_30_seconds_from_the_first_failure() throws Exception {
        try (RecordingServer server = RecordingServer.http().answering(problem(503, Map.of("Retry-After", "10"), STARTING))) {
            CliRun.Result r = upload(server.url(), "--retries", "99");

            assertEquals(3, r.code(), r.both());
            assertEquals(List.of(Duration.ofSeconds(10), Duration.ofSeconds(10)), r.waits(), "a third wait would end past 30 s");
            assertEquals(3, server.requests().size());
            assertTrue(r.err().matches("(?s).*\nmainstay: not retrying: the appliance asked to wait 10 s \\(Retry-After\\), more than the"
                + " 9\\.\\d s left of the 30 s the CLI spends retrying\nmainstay: the appliance kept failing: its last answer was 503"
                + " Service Unavailable: the appliance is starting \\(after 3 attempts\\)\n"), r.err());
        }
    }

    @Test
    void backoff_waits_stop_within_30_seconds_whatever_retries_allows() throws Exception {
        try (RecordingServer server = RecordingServer.http().answering(Answer.problem(502, "{\"detail\":\"upstream gone\"}"))) {
            CliRun.Result r = upload(server.url(), "--retries", "99");

            assertEquals(3, r.code(), r.both());
            Duration waited = r.waits().stream().reduce(Duration.ZERO, Duration::plus);
            assertTrue(waited.compareTo(Duration.ofSeconds(30)) <= 0, "all waits within 30 s: " + r.waits());
            assertTrue(r.waits().size() == 4 || r.waits().size() == 5, "waits of 0.5-1, 1-2, 2-4, 4-8, 8-16 s fit 4 or 5 times: " + r.waits());
            assertEquals(r.waits().size() + 1, server.requests().size());
            assertEquals(r.waits().size(), retryLines(r));
            assertTrue(r.err().matches("(?s).*\nmainstay: not retrying: the next wait, [0-9.]+ s, would end past the 30 s the CLI spends"
                + " retrying \\([0-9.]+ s gone\\)\nmainstay: the appliance kept failing: its last answer was 502 Bad Gateway: upstream gone"
                + " \\(after " + server.requests().size() + " attempts\\)\n"), r.err());
        }
    }

    @Test
    void a_refused_connection_is_retried_with_a_line_that_says_why() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        CliRun.Result r = upload("http://127.0.0.1:" + port, "--retries", "2");

        assertEquals(3, r.code(), r.both());
        assertEquals(2, r.waits().size(), "two retries");
        assertEquals(2, retryLines(r));
        assertTrue(r.err().matches("(?s).*mainstay: could not reach the appliance at 127\\.0\\.0\\.1:" + port + ": [^\n]+; retrying in"
            + " [0-9.]+ s \\(attempt 2 of at most 3\\)\n.*"), r.err());
        assertTrue(r.err().endsWith(" (after 3 attempts)\n"), r.err());
    }
}
