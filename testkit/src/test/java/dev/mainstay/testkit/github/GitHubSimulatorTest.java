package dev.mainstay.testkit.github;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mainstay.testkit.github.CiModel.Outcome;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulator behaves like GitHub where Mainstay relies on it: real git, real HTTP. */
class GitHubSimulatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private GitHubSimulator github;
    private SimulatedRepository repo;
    private String token;

    @BeforeEach
    void start() throws Exception {
        github = GitHubSimulator.start();
        repo = github.createRepository("acme", "widgets");
        token = call("POST", "/app/installations/" + github.app().installationId() + "/access_tokens", jwt(github.app().privateKeyPkcs8Pem(),
            github.app().id(), Instant.now()), "{}").body().get("token").asText();
    }

    @AfterEach
    void stop() {
        github.close();
    }

    @Test
    void the_merges_api_merges_reports_nothing_to_merge_and_refuses_a_conflict() throws Exception {
        int first = repo.openPullRequest("first", "First", Map.of("README.md", "first\n"));
        int second = repo.openPullRequest("second", "Second", Map.of("README.md", "second\n"));
        String main = repo.branchSha("main");
        assertEquals(201, post("/repos/acme/widgets/git/refs", "{\"ref\":\"refs/heads/mainstay/queue/main/1\",\"sha\":\"" + main + "\"}").status());

        Answer merged = post("/repos/acme/widgets/merges", "{\"base\":\"mainstay/queue/main/1\",\"head\":\"first\"}");
        assertEquals(201, merged.status(), "the first pull request merges cleanly");
        assertEquals(List.of(main, repo.branchSha("first")), repo.parents(merged.body().get("sha").asText()), "a merge commit of base and head");
        assertEquals(merged.body().get("sha").asText(), repo.branchSha("mainstay/queue/main/1"), "the base branch moved to the merge");
        assertEquals(204, post("/repos/acme/widgets/merges", "{\"base\":\"mainstay/queue/main/1\",\"head\":\"first\"}").status(),
            "merging it again has nothing to merge");
        assertEquals(409, post("/repos/acme/widgets/merges", "{\"base\":\"mainstay/queue/main/1\",\"head\":\"second\"}").status(),
            "the second edits the same line: a conflict");
        assertEquals(merged.body().get("sha").asText(), repo.branchSha("mainstay/queue/main/1"), "a conflict moves nothing");
        assertEquals("open", repo.pullRequestState(first), "a pull request merges only when its head reaches its base branch");
        assertTrue(get("/repos/acme/widgets/pulls/" + second).body().get("mergeable").asBoolean(), "main itself did not move");
    }

    @Test
    void a_ref_update_that_is_not_a_fast_forward_is_refused_unless_forced_and_a_merged_head_marks_the_pull_request_merged()
        throws Exception {
        String other = repo.push("other", Map.of("b.txt", "b\n"), "Other");
        String main = repo.push("main", Map.of("c.txt", "c\n"), "Moved on");
        int pr = repo.openPullRequest("feature", "Feature", Map.of("a.txt", "a\n"));

        Answer refused = patch("/repos/acme/widgets/git/refs/heads/main", "{\"sha\":\"" + other + "\",\"force\":false}");
        assertEquals(422, refused.status(), "main is not an ancestor of a sibling branch's commit");
        assertEquals("Update is not a fast forward", refused.body().get("message").asText());
        assertEquals(main, repo.branchSha("main"), "a refused update moves nothing");

        assertEquals(200, patch("/repos/acme/widgets/git/refs/heads/other", "{\"sha\":\"" + main + "\",\"force\":true}").status(),
            "forced, a branch may move anywhere");
        assertEquals(main, repo.branchSha("other"));

        String head = repo.branchSha("feature");
        assertEquals(200, patch("/repos/acme/widgets/git/refs/heads/main", "{\"sha\":\"" + head + "\",\"force\":false}").status());
        assertEquals("merged", repo.pullRequestState(pr), "its head is now in main, as after a fast-forward on GitHub");
        JsonNode json = get("/repos/acme/widgets/pulls/" + pr).body();
        assertTrue(json.get("merged").asBoolean());
        assertEquals("closed", json.get("state").asText());
    }

    @Test
    void the_files_of_a_pull_request_are_listed_against_its_merge_base_in_pages_with_renames() throws Exception {
        repo.push("main", Map.of("lib/old.txt", "a library\nwith two lines\n"), "A library");
        Map<String, String> files = new java.util.TreeMap<>();
        for (int i = 0; i < 33; i++) {
            files.put(String.format("src/f%02d.txt", i), "file " + i + "\n");
        }
        files.put("lib/old.txt", null);
        files.put("lib/new.txt", "a library\nwith two lines\n");
        int pr = repo.openPullRequest("many", "Many files", files);
        repo.push("main", Map.of("main-only.txt", "main moved on\n"), "Main moves on"); // not the pull request's change

        HttpResponse<String> first = raw("GET", "/repos/acme/widgets/pulls/" + pr + "/files");
        assertEquals(200, first.statusCode());
        assertEquals(30, JSON.readTree(first.body()).size(), "GitHub's default page holds 30");
        String next = github.apiUrl() + "/repos/acme/widgets/pulls/" + pr + "/files?per_page=30&page=2";
        assertEquals("<" + next + ">; rel=\"next\", <" + next + ">; rel=\"last\"", first.headers().firstValue("Link").orElseThrow());
        JsonNode all = get("/repos/acme/widgets/pulls/" + pr + "/files?per_page=100").body();
        assertEquals(34, all.size(), "33 added and one renamed, not main's later change");
        JsonNode renamed = null;
        for (JsonNode f : all) {
            if (f.get("filename").asText().equals("lib/new.txt")) {
                renamed = f;
            }
        }
        assertEquals("renamed", renamed.get("status").asText());
        assertEquals("lib/old.txt", renamed.get("previous_filename").asText());
        assertEquals("lib/new.txt", all.get(0).get("filename").asText(), "in path order, as GitHub lists them");
        assertEquals("src/f00.txt added 1", all.get(1).get("filename").asText() + " " + all.get(1).get("status").asText() + " "
            + all.get(1).get("additions").asInt());
        assertFalse(raw("GET", "/repos/acme/widgets/pulls/" + pr + "/files?per_page=100").headers().firstValue("Link").isPresent(),
            "one page holds them all");
    }

    @Test
    void app_jwts_and_installation_tokens_are_checked_on_every_call() throws Exception {
        String path = "/app/installations/" + github.app().installationId() + "/access_tokens";
        assertEquals(401, call("POST", path, jwt(SimulatedApp.foreignPrivateKeyPkcs8Pem(), github.app().id(), Instant.now()), "{}").status(),
            "a JWT signed with another key is a forgery");
        assertEquals(401, call("POST", path, jwt(github.app().privateKeyPkcs8Pem(), github.app().id(), Instant.now().minusSeconds(1200)), "{}")
            .status(), "an expired JWT is refused");
        assertEquals(401, call("GET", "/repos/acme/widgets", "ghs_not-a-token", null).status(), "an unknown token is refused");
        assertEquals(401, call("GET", "/repos/acme/widgets", jwt(github.app().privateKeyPkcs8Pem(), github.app().id(), Instant.now()), null)
            .status(), "repository endpoints want an installation token, not the App's JWT");
        assertEquals(200, get("/repos/acme/widgets").status());

        github.clock(Clock.offset(Clock.systemUTC(), Duration.ofHours(2)));
        assertEquals(401, get("/repos/acme/widgets").status(), "an expired installation token is refused");
    }

    @Test
    void rate_limits_answer_like_github_and_then_clear() throws Exception {
        github.rateLimitNext(1, GitHubSimulator.RateLimit.SECONDARY);
        HttpResponse<String> secondary = raw("GET", "/repos/acme/widgets");
        assertEquals(403, secondary.statusCode());
        assertEquals("1", secondary.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(secondary.body().contains("secondary rate limit"));

        github.rateLimitNext(1, GitHubSimulator.RateLimit.PRIMARY);
        HttpResponse<String> primary = raw("GET", "/repos/acme/widgets");
        assertEquals(403, primary.statusCode());
        assertEquals("0", primary.headers().firstValue("x-ratelimit-remaining").orElseThrow());
        assertTrue(primary.headers().firstValue("x-ratelimit-reset").isPresent());

        assertEquals(200, raw("GET", "/repos/acme/widgets").statusCode(), "the limit applied to the next call only");
    }

    @Test
    void ci_runs_on_candidates_and_fails_them_by_what_their_pull_requests_do() throws Exception {
        repo.requireChecks("main", List.of("build", "test"));
        int passing = repo.openPullRequest("passing", "Passing", Map.of("p.txt", "p\n"));
        int failing = repo.openPullRequest("failing", "Failing", Map.of("f.txt", "f\n"));
        int flaky = repo.openPullRequest("flaky", "Flaky", Map.of("k.txt", "k\n"));
        List<String> reports = new CopyOnWriteArrayList<>();
        github.ci().duration(Duration.ofMillis(10)).resultSink((run, junit) -> reports.add(junit))
            .outcome(repo, failing, new Outcome.Fail(List.of("com.acme.WidgetTest.rejects")))
            .outcome(repo, flaky, new Outcome.Flaky("com.acme.ClockTest.ticks", 1));

        String good = candidate(1, "passing");
        String bad = candidate(2, "passing", "failing");
        String flakyOnce = candidate(3, "flaky");
        String flakyAgain = candidate(4, "flaky");
        awaitRuns(good, bad, flakyOnce, flakyAgain);

        assertEquals(Map.of("build", "completed/success", "test", "completed/success"), repo.checkRuns(good));
        assertEquals(Map.of("build", "completed/failure", "test", "completed/failure"), repo.checkRuns(bad),
            "a candidate fails when any pull request in it fails");
        assertEquals("completed/failure", repo.checkRuns(flakyOnce).get("test"), "the flaky test fails the first run");
        assertEquals("completed/success", repo.checkRuns(flakyAgain).get("test"), "and passes the next");
        CiModel.Run badRun = github.ci().runs().stream().filter(r -> r.sha().equals(bad)).findFirst().orElseThrow();
        assertEquals(List.of(passing, failing), badRun.pullRequests());
        assertEquals(List.of("com.acme.WidgetTest.rejects"), badRun.failingTests());
        assertTrue(reports.stream().anyMatch(x -> x.contains("classname=\"com.acme.WidgetTest\" name=\"rejects\"")
            && x.contains("<failure")), "the JUnit XML names the failing test");
        assertEquals("failure", get("/repos/acme/widgets/commits/" + bad + "/status").body().get("state").asText());
        assertEquals("completed", get("/repos/acme/widgets/commits/" + bad + "/check-suites").body()
            .get("check_suites").get(0).get("status").asText());
    }

    private String candidate(int id, String... heads) throws Exception {
        String branch = "mainstay/queue/main/" + id;
        post("/repos/acme/widgets/git/refs", "{\"ref\":\"refs/heads/" + branch + "\",\"sha\":\"" + repo.branchSha("main") + "\"}");
        for (String head : heads) {
            assertEquals(201, post("/repos/acme/widgets/merges", "{\"base\":\"" + branch + "\",\"head\":\"" + head + "\"}").status());
        }
        return repo.branchSha(branch);
    }

    private void awaitRuns(String... shas) throws InterruptedException {
        List<String> wanted = List.of(shas);
        for (int i = 0; i < 500 && !ranOn(wanted); i++) {
            Thread.sleep(20);
        }
        assertTrue(ranOn(wanted), "CI ran on every candidate");
    }

    private boolean ranOn(List<String> shas) {
        return github.ci().runs().stream().map(CiModel.Run::sha).toList().containsAll(shas)
            && shas.stream().allMatch(sha -> repo.checkRuns(sha).size() == 2);
    }

    record Answer(int status, JsonNode body) {
    }

    private Answer get(String path) throws Exception {
        return call("GET", path, token, null);
    }

    private Answer post(String path, String body) throws Exception {
        return call("POST", path, token, body);
    }

    private Answer patch(String path, String body) throws Exception {
        return call("PATCH", path, token, body);
    }

    private HttpResponse<String> raw(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(github.apiUrl() + path)).header("Authorization", "token " + token)
            .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private Answer call(String method, String path, String credential, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(github.apiUrl() + path))
            .header("Authorization", "Bearer " + credential).header("Accept", "application/vnd.github+json")
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body().isEmpty() ? null : JSON.readTree(response.body()));
    }

    /** An App JWT as GitHub documents it: RS256, issued a minute ago, valid ten minutes. */
    static String jwt(String pkcs8Pem, long appId, Instant now) throws Exception {
        String base64 = pkcs8Pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        var key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String header = url.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        long iat = now.atOffset(ZoneOffset.UTC).toEpochSecond() - 60;
        String claims = url.encodeToString(("{\"iat\":" + iat + ",\"exp\":" + (iat + 600) + ",\"iss\":\"" + appId + "\"}")
            .getBytes(StandardCharsets.UTF_8));
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(key);
        signer.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
        return header + "." + claims + "." + url.encodeToString(signer.sign());
    }
}
