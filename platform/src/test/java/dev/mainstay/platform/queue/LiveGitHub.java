package dev.mainstay.platform.queue;

import com.microsoft.playwright.BrowserContext;
import dev.mainstay.platform.identity.SignedInAppliance;
import dev.mainstay.reports.bundle.UploadMetadata;
import dev.mainstay.testkit.KeycloakFixture;
import dev.mainstay.testkit.github.GitHubSimulator;
import dev.mainstay.testkit.github.SimulatedRepository;
import dev.mainstay.testkit.github.Webhooks;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The shared appliance wired to the simulated GitHub as in production: the simulator's webhooks are
 * carried to the appliance in order (redelivered while it does not answer, as from GitHub's "Recent
 * Deliveries"), and the simulated CI uploads each run's JUnit XML for the candidate's commit with an
 * API token, retrying an unanswered upload with the same idempotency key as {@code mainstay upload}
 * does. What the appliance refused is collected in {@link #refused()}. Close it after each test.
 */
public final class LiveGitHub implements AutoCloseable {

    private final SignedInAppliance appliance = SignedInAppliance.shared();
    private final GitHubSimulator github = SignedInAppliance.github();
    private final List<String> refused = new CopyOnWriteArrayList<>();
    private final String token;
    private volatile boolean pumping = true;
    private final Thread pump;

    /** Starts carrying webhooks sent from now on, and uploading CI results with a token {@code context}'s admin makes. */
    public LiveGitHub(BrowserContext context) throws Exception {
        token = appliance.token(context, KeycloakFixture.shared(), "queue-ci-" + UUID.randomUUID().toString().substring(0, 8),
            "uploads:write");
        github.ci().resultSink((run, junit) -> {
            String key = UUID.randomUUID().toString();
            Instant giveUp = Instant.now().plusSeconds(60);
            while (true) {
                try {
                    HttpResponse<String> r = upload(key, run.repository(), run.branch(), run.sha(), junit);
                    if (r.statusCode() != 201 && r.statusCode() != 200) {
                        refused.add("upload of " + run.sha() + ": HTTP " + r.statusCode() + " " + r.body());
                    }
                    return;
                } catch (Exception e) {
                    if (Instant.now().isAfter(giveUp)) {
                        refused.add("upload of " + run.sha() + ": " + e);
                        return;
                    }
                    pause(500);
                }
            }
        });
        int from = github.webhooks().deliveries().size();
        pump = new Thread(() -> {
            int next = from;
            while (pumping) {
                List<Webhooks.Delivery> all = github.webhooks().deliveries();
                while (pumping && next < all.size()) {
                    Webhooks.Delivery d = all.get(next);
                    try {
                        int status = appliance.deliverGitHub(d).statusCode();
                        if (status != 202 && status != 200) {
                            refused.add(d.event() + " " + d.action() + ": HTTP " + status);
                        }
                        next++;
                    } catch (Exception e) {
                        pause(200);
                    }
                }
                pause(20);
            }
        }, "webhook-pump");
        pump.setDaemon(true);
        pump.start();
    }

    /** A new repository of owner {@code acme} where alice may push. */
    public SimulatedRepository repository(String prefix) {
        SimulatedRepository repo = github.createRepository("acme", prefix + "-" + UUID.randomUUID().toString().substring(0, 8));
        repo.collaborator("alice", "write");
        return repo;
    }

    /** Uploads JUnit XML {@code junit} for {@code sha} of {@code repo} as one CI job. */
    public HttpResponse<String> upload(String repo, String branch, String sha, String junit) throws Exception {
        return upload(UUID.randomUUID().toString(), repo, branch, sha, junit);
    }

    private HttpResponse<String> upload(String key, String repo, String branch, String sha, String junit) throws Exception {
        UploadMetadata metadata = new UploadMetadata(repo, sha, branch, OptionalInt.empty(), "", "simulated-ci", "", "",
            "run-" + key, OptionalInt.empty(), "", Optional.empty(), Optional.empty());
        return appliance.upload(token, key, metadata, Map.of("TEST-ci.xml", junit.getBytes(StandardCharsets.UTF_8)));
    }

    /** Deliveries and uploads the appliance refused. */
    public List<String> refused() {
        return refused;
    }

    /** Waits up to {@code limit} for {@code condition}; failing, says what was refused and the latest decisions. */
    public void await(String what, Duration limit, Callable<Boolean> condition) throws Exception {
        await(what, limit, condition, () -> "");
    }

    /** As {@link #await(String, Duration, Callable)}, failing with what {@code state} says too. */
    public void await(String what, Duration limit, Callable<Boolean> condition, Callable<String> state) throws Exception {
        Instant deadline = Instant.now().plus(limit);
        while (!condition.call()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within " + limit.toSeconds() + " s: " + what + "; " + state.call()
                    + "; refused deliveries or uploads: " + refused
                    + "; outbox: " + appliance.column("SELECT o.seq || ' attempts ' || o.attempts || ' ' || o.last_error || ' done '"
                    + " || coalesce(o.done_at::text, 'no') FROM merge_queue_outbox o ORDER BY o.seq DESC LIMIT 8"));
            }
            Thread.sleep(100);
        }
    }

    /** The state of the queue check run on the head of {@code branch}: "status/conclusion", or "none". */
    public static String queueCheck(SimulatedRepository repo, String branch) {
        return repo.checkRuns(repo.branchSha(branch)).getOrDefault("Mainstay merge queue", "none");
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops carrying webhooks and uploading results. */
    @Override
    public void close() throws InterruptedException {
        pumping = false;
        pump.join(10_000);
        github.ci().resultSink((run, junit) -> { });
    }
}
