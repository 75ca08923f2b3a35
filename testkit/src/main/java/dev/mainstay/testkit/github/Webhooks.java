package dev.mainstay.testkit.github;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mainstay.testkit.github.SimulatedRepository.CheckRunState;
import dev.mainstay.testkit.github.SimulatedRepository.CommentState;
import dev.mainstay.testkit.github.SimulatedRepository.PullState;
import dev.mainstay.testkit.github.SimulatedRepository.StatusState;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.jgit.lib.ObjectId;

/**
 * Sends GitHub's webhooks to one URL, in the order the events happened, signed like GitHub signs
 * them, and keeps every delivery so that a test can send one again (a replay) or send one with a
 * wrong signature (a forgery). Without a URL, deliveries are recorded and not sent.
 */
public final class Webhooks {

    /**
     * One delivery.
     *
     * @param id        the {@code X-GitHub-Delivery} UUID
     * @param event     the {@code X-GitHub-Event} name, e.g. {@code pull_request}
     * @param action    the payload's {@code action}, empty for events without one (push, status)
     * @param body      the exact bytes sent
     * @param signature the {@code X-Hub-Signature-256} header, {@code sha256=} and the hex HMAC
     */
    public record Delivery(String id, String event, String action, byte[] body, String signature) {
    }

    private final GitHubSimulator simulator;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "github-simulator-webhooks");
        t.setDaemon(true);
        return t;
    });
    private final List<Delivery> deliveries = new ArrayList<>();
    private final List<Integer> answers = new ArrayList<>();
    private volatile URI target;
    private volatile byte[] secret = "simulator-webhook-secret".getBytes(StandardCharsets.UTF_8);

    Webhooks(GitHubSimulator simulator) {
        this.simulator = simulator;
    }

    /** Sends from now on to {@code url}, signed with {@code secret}. */
    public void sendTo(URI url, String secret) {
        this.target = url;
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    /** The deliveries so far, oldest first. */
    public synchronized List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /** The deliveries of {@code event} so far, oldest first. */
    public synchronized List<Delivery> deliveries(String event) {
        return deliveries.stream().filter(d -> d.event().equals(event)).toList();
    }

    /** The HTTP status the receiver answered for each sent delivery, in order (-1: no answer). */
    public synchronized List<Integer> answers() {
        return List.copyOf(answers);
    }

    /** Sends {@code delivery} again, byte for byte with the same id and signature: a replay. */
    public void resend(Delivery delivery) {
        send(delivery);
    }

    /** Sends {@code delivery}'s body under a new id with a signature made with the wrong secret: a forgery. */
    public Delivery sendForged(Delivery delivery) {
        Delivery forged = new Delivery(UUID.randomUUID().toString(), delivery.event(), delivery.action(), delivery.body(),
            sign(delivery.body(), "not-the-secret".getBytes(StandardCharsets.UTF_8)));
        send(forged);
        return forged;
    }

    /** Waits until every delivery made so far was sent (or failed). */
    public void awaitSent() {
        try {
            sender.submit(() -> { }).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("webhook deliveries did not finish within 30 s", e);
        }
    }

    /** The {@code X-Hub-Signature-256} of {@code body} under {@code secret}. */
    public static String sign(byte[] body, byte[] secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    void pullRequest(SimulatedRepository repo, PullState pr, String action) {
        pullRequest(repo, pr, action, Payloads.JSON.createObjectNode());
    }

    void pullRequestLabeled(SimulatedRepository repo, PullState pr, String label, boolean added, String user) {
        ObjectNode extra = Payloads.JSON.createObjectNode();
        extra.set("label", simulator.payloads().label(repo, label));
        extra.set("sender", simulator.payloads().user(user));
        pullRequest(repo, pr, added ? "labeled" : "unlabeled", extra);
    }

    void pullRequestSynchronized(SimulatedRepository repo, PullState pr, ObjectId before, ObjectId after) {
        ObjectNode extra = Payloads.JSON.createObjectNode();
        extra.put("before", before.name()).put("after", after.name());
        pullRequest(repo, pr, "synchronize", extra);
    }

    private void pullRequest(SimulatedRepository repo, PullState pr, String action, ObjectNode extra) {
        deliver("pull_request", action, simulator.payloads().pullRequestEvent(repo, simulator.pullJson(repo, pr), action, extra));
    }

    void checkRun(SimulatedRepository repo, CheckRunState run) {
        deliver("check_run", "completed", simulator.payloads().checkRunEvent(repo, run));
    }

    void checkSuite(SimulatedRepository repo, ObjectNode suite, String branch) {
        deliver("check_suite", "completed", simulator.payloads().checkSuiteEvent(repo, suite, branch));
    }

    void status(SimulatedRepository repo, StatusState status) {
        deliver("status", "", simulator.payloads().statusEvent(repo, status, repo.git.parseCommit(ObjectId.fromString(status.sha()))));
    }

    void push(SimulatedRepository repo, String ref, ObjectId before, ObjectId after, boolean forced) {
        deliver("push", "", simulator.payloads().pushEvent(repo, ref, before, after, forced));
    }

    void issueComment(SimulatedRepository repo, PullState pr, CommentState comment) {
        deliver("issue_comment", "created", simulator.payloads().issueCommentEvent(repo, pr, comment));
    }

    private void deliver(String event, String action, ObjectNode payload) {
        byte[] body;
        try {
            body = Payloads.JSON.writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a " + event + " payload", e);
        }
        Delivery delivery = new Delivery(UUID.randomUUID().toString(), event, action, body, sign(body, secret));
        synchronized (this) {
            deliveries.add(delivery);
        }
        send(delivery);
    }

    private void send(Delivery delivery) {
        URI to = target;
        if (to == null) {
            return;
        }
        sender.execute(() -> {
            int status;
            try {
                HttpRequest request = HttpRequest.newBuilder(to).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").header("User-Agent", "GitHub-Hookshot/simulator")
                    .header("X-GitHub-Event", delivery.event()).header("X-GitHub-Delivery", delivery.id())
                    .header("X-Hub-Signature-256", delivery.signature())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(delivery.body())).build();
                status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException e) {
                status = -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                status = -1;
            }
            synchronized (this) {
                answers.add(status);
            }
        });
    }

    void close() {
        sender.shutdownNow();
    }
}
