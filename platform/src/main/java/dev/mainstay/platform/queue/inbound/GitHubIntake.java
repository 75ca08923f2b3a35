package dev.mainstay.platform.queue.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mainstay.audit.AuditEvent;
import dev.mainstay.platform.app.ApplianceConfig;
import dev.mainstay.platform.crypto.FieldCipher;
import dev.mainstay.platform.jobs.work.Backoff;
import dev.mainstay.platform.jobs.work.BackgroundThread;
import dev.mainstay.platform.jobs.work.DurableWork;
import dev.mainstay.platform.jobs.work.RetryPolicy;
import dev.mainstay.platform.jobs.work.WorkSettings;
import dev.mainstay.platform.queue.forge.Forge;
import dev.mainstay.platform.queue.forge.ForgeException;
import dev.mainstay.platform.queue.forge.Forges;
import dev.mainstay.platform.queue.forge.PullRequestView;
import dev.mainstay.platform.queue.outbound.QueueExecutor;
import dev.mainstay.platform.queue.worker.QueueDefaults;
import dev.mainstay.platform.queue.worker.QueueRequests;
import dev.mainstay.platform.queue.worker.QueueRequests.Command;
import dev.mainstay.platform.queue.worker.QueueStore;
import dev.mainstay.platform.queue.worker.QueueStore.QueueKey;
import dev.mainstay.platform.queue.worker.QueueWorker;
import dev.mainstay.queue.engine.Priority;
import dev.mainstay.queue.engine.QueueEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Turns GitHub's deliveries in the inbox into merge-queue events, one delivery per transaction,
 * in the order they arrived:
 * <ul>
 *   <li>a comment on a pull request with a command line — {@code /mainstay merge [urgent|high|low]},
 *       {@code /mainstay cancel}, {@code /mainstay priority urgent|high|normal|low} — from someone
 *       GitHub says may push to the repository: enqueue (the pull request's head as it is now, on
 *       its base branch's queue), remove, or reprioritise. Anyone else is answered with a comment
 *       and recorded as refused;</li>
 *   <li>a pull request whose head moved ({@code synchronize}) or that was closed, on a branch that
 *       has a queue: updated or closed;</li>
 *   <li>a push to a branch that has a queue: the target moved (the queue's own merges included: the
 *       engine knows its own commit).</li>
 * </ul>
 * Every other delivery is marked processed and changes nothing. Events are written with
 * {@link QueueStore#submit} in the transaction that marks the delivery processed, with the
 * delivery's id in their source, so a delivery is acted on once ({@link DurableWork}). When GitHub
 * cannot be reached (or no GitHub App is configured yet) the delivery is tried again with backoff
 * ({@link #SETTINGS}), up to {@value #MAX_ATTEMPTS} times, then left in the inbox with its error.
 */
@ApplicationScoped
public class GitHubIntake {

    static final int POLL_SECONDS = 2;
    static final int MAX_ATTEMPTS = 20;
    /** One delivery per transaction; 2 s after the first failed attempt, doubling up to 10 minutes. */
    static final WorkSettings SETTINGS = WorkSettings.of("mainstay-github-intake", Duration.ofSeconds(POLL_SECONDS),
        new RetryPolicy(MAX_ATTEMPTS, Backoff.doubling(Duration.ofSeconds(2), Duration.ofMinutes(10))));
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Logger LOG = Logger.getLogger(GitHubIntake.class.getName());

    private final DataSource dataSource;
    private final FieldCipher cipher;
    private final QueueStore store;
    private final QueueWorker worker;
    private final QueueExecutor executor;
    private final Forges forges;
    private final QueueRequests requests;
    private final String mergeLabel;
    private final Clock clock;
    private final DurableWork<Claimed> work;
    private final BackgroundThread background = SETTINGS.thread(LOG, "act on GitHub deliveries", this::drain);

    @Inject
    GitHubIntake(@Named(ApplianceConfig.DATA_SOURCE) DataSource dataSource, FieldCipher cipher, QueueStore store, QueueWorker worker,
                 QueueExecutor executor, Forges forges, QueueRequests requests, QueueDefaults defaults, Clock clock) {
        this.dataSource = dataSource;
        this.cipher = cipher;
        this.store = store;
        this.worker = worker;
        this.executor = executor;
        this.forges = forges;
        this.requests = requests;
        this.mergeLabel = defaults.mergeLabel();
        this.clock = clock;
        this.work = new DurableWork<>(dataSource, clock, SETTINGS, new DurableWork.Steps<>() {
            @Override
            public Claimed claim(Connection c, Instant now) throws SQLException {
                return GitHubIntake.claim(c, now);
            }

            @Override
            public void handle(Connection c, Claimed delivery, Instant now) throws SQLException, IOException {
                act(c, delivery, now);
            }

            @Override
            public int attempts(Claimed delivery) {
                return delivery.attempts();
            }

            @Override
            public void failed(Connection c, Claimed delivery, RetryPolicy.Attempt attempt, Exception e, Instant now) throws SQLException {
                retryLater(c, delivery, attempt);
            }

            @Override
            public void committed(Claimed delivery) {
                answer(delivery);
            }

            @Override
            public String describe(Claimed delivery) {
                return "GitHub delivery " + delivery.id() + " (" + delivery.event() + " " + delivery.action() + ")";
            }
        }, LOG);
    }

    void start(@Observes @Initialized(ApplicationScoped.class) Object event) {
        background.start();
    }

    /** Asks for new deliveries to be acted on soon, on the background thread. */
    public void wake() {
        background.wake();
    }

    /**
     * A comment the intake owes someone, posted once the delivery's transaction committed; its key
     * (the delivery and the reply's place in it) makes a repeat post nothing.
     */
    private record Reply(Forge forge, int pr, String key, String body) {
    }

    private static void reply(List<Reply> replies, Forge forge, Claimed delivery, int pr, String body) {
        replies.add(new Reply(forge, pr, "reply:" + delivery.id() + ":" + replies.size(), body));
    }

    /** A claimed delivery, with the replies its turn owes and whether it queued an event. */
    private record Claimed(String id, String event, String action, String repo, byte[] payload, int attempts, List<Reply> replies,
                           AtomicBoolean queued) {
    }

    /**
     * Acts on deliveries until none is due (or other replicas hold the rest).
     *
     * @return how many were acted on or tried
     */
    int drain() throws SQLException {
        return work.drain();
    }

    /** Acts on {@code d} in its claim's transaction and marks it processed. */
    private void act(Connection c, Claimed d, Instant now) throws SQLException, IOException {
        JsonNode body = JSON.readTree(cipher.decrypt(GitHubInbox.payloadContext(d.id()), d.payload()));
        d.queued().set(translate(c, d, body, d.replies(), now));
        try (PreparedStatement s = c.prepareStatement("UPDATE github_inbox SET processed_at = ?, attempts = attempts + 1,"
            + " last_error = '', next_attempt_at = NULL WHERE delivery_id = ?")) {
            s.setTimestamp(1, Timestamp.from(now));
            s.setString(2, d.id());
            s.executeUpdate();
        }
    }

    /** Once {@code d}'s transaction committed: posts the replies it owes and wakes the worker for the events it queued. */
    private void answer(Claimed d) {
        for (Reply reply : d.replies()) {
            try {
                reply.forge().comment(reply.pr(), reply.key(), reply.body());
            } catch (ForgeException e) {
                LOG.log(Level.WARNING, "could not answer on pull request #" + reply.pr(), e);
            }
        }
        if (d.queued().get()) {
            worker.wake();
        }
    }

    private static Claimed claim(Connection c, Instant now) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT delivery_id, event, action, repo, payload, attempts FROM github_inbox"
            + " WHERE processed_at IS NULL AND attempts < ? AND (next_attempt_at IS NULL OR next_attempt_at <= ?)"
            + " ORDER BY received_at LIMIT 1 FOR UPDATE SKIP LOCKED")) {
            s.setInt(1, MAX_ATTEMPTS);
            s.setTimestamp(2, Timestamp.from(now));
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new Claimed(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBytes(5), rs.getInt(6),
                    new ArrayList<>(), new AtomicBoolean());
            }
        }
    }

    /** Stores a failed attempt: its count and error, and when to try again; the last leaves the delivery given up. */
    private static void retryLater(Connection c, Claimed claimed, RetryPolicy.Attempt attempt) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE github_inbox SET attempts = ?, last_error = ?, next_attempt_at = ?"
            + " WHERE delivery_id = ? AND processed_at IS NULL")) {
            s.setInt(1, attempt.number());
            s.setString(2, attempt.error());
            s.setTimestamp(3, Timestamp.from(attempt.next()));
            s.setString(4, claimed.id());
            s.executeUpdate();
        }
    }

    /** @return true when an event was written for a queue */
    private boolean translate(Connection c, Claimed d, JsonNode body, List<Reply> replies, Instant now) throws SQLException {
        String repo = body.path("repository").path("full_name").asText("");
        if (repo.isEmpty()) {
            return false;
        }
        return switch (d.event()) {
            case "issue_comment" -> "created".equals(d.action()) && body.path("issue").has("pull_request")
                && command(c, d, repo, body, replies, now);
            case "pull_request" -> pullRequest(c, d, repo, body, replies, now);
            case "push" -> push(c, d, repo, body, now);
            case "check_run", "check_suite", "status" -> {
                executor.checksChanged(); // a candidate's test may have finished; the executor reads its checks
                yield false;
            }
            default -> false;
        };
    }

    private boolean pullRequest(Connection c, Claimed d, String repo, JsonNode body, List<Reply> replies, Instant now)
        throws SQLException {
        if (d.action().equals("labeled") || d.action().equals("unlabeled")) {
            return label(c, d, repo, body, replies, now);
        }
        JsonNode pr = body.path("pull_request");
        int number = body.path("number").asInt(pr.path("number").asInt());
        Optional<QueueKey> key = QueueRequests.key(repo, pr.path("base").path("ref").asText(""));
        if (key.isEmpty()) {
            return false;
        }
        QueueEvent event = switch (d.action()) {
            case "synchronize" -> new QueueEvent.PullRequestUpdated(number, pr.path("head").path("sha").asText());
            case "closed" -> new QueueEvent.PullRequestClosed(number);
            default -> null;
        };
        return event != null && store.submitIfQueued(c, key.get(), event, source(d, 0), now);
    }

    private boolean push(Connection c, Claimed d, String repo, JsonNode body, Instant now) throws SQLException {
        String ref = body.path("ref").asText("");
        String after = body.path("after").asText("");
        if (!ref.startsWith("refs/heads/") || body.path("deleted").asBoolean(false) || after.isEmpty()) {
            return false;
        }
        Optional<QueueKey> key = QueueRequests.key(repo, ref.substring("refs/heads/".length()));
        return key.isPresent() && store.submitIfQueued(c, key.get(), new QueueEvent.TargetMoved(after), source(d, 0), now);
    }

    /** A parsed {@code /mainstay} command line. */
    /** The {@code /mainstay} command lines of a comment, in order; a line that is not one is no command. */
    static List<Command> commands(String comment) {
        List<Command> out = new ArrayList<>();
        for (String line : comment.split("\\R")) {
            String[] words = line.trim().toLowerCase(Locale.ROOT).split("\\s+");
            if (words.length == 0 || !words[0].equals("/mainstay")) {
                continue;
            }
            String verb = words.length > 1 ? words[1] : "";
            Optional<Priority> priority = words.length > 2 ? QueueRequests.priority(words[2]) : Optional.empty();
            boolean valid = switch (verb) {
                case "merge" -> words.length == 2 || words.length == 3 && priority.isPresent();
                case "cancel" -> words.length == 2;
                case "priority" -> words.length == 3 && priority.isPresent();
                default -> false;
            };
            out.add(valid ? new Command(verb, priority) : new Command("", Optional.empty()));
        }
        return out;
    }


    static final String USAGE = "Mainstay understands `/mainstay merge` (optionally `urgent`, `high` or `low`), `/mainstay cancel` and "
        + "`/mainstay priority urgent|high|normal|low`, each on a line of its own.";

    private boolean command(Connection c, Claimed d, String repo, JsonNode body, List<Reply> replies, Instant now) throws SQLException {
        List<Command> commands = commands(body.path("comment").path("body").asText(""));
        if (commands.isEmpty() || "Bot".equals(body.path("comment").path("user").path("type").asText())) {
            return false;
        }
        return act(c, d, repo, body.path("issue").path("number").asInt(), body.path("comment").path("user").path("login").asText(""),
            commands, replies, now);
    }

    /** The merge label added to a pull request queues it, as {@code /mainstay merge} would; removed, it dequeues it. */
    private boolean label(Connection c, Claimed d, String repo, JsonNode body, List<Reply> replies, Instant now) throws SQLException {
        boolean added = d.action().equals("labeled");
        if (!added && !d.action().equals("unlabeled") || !body.path("label").path("name").asText("").equals(mergeLabel)
            || "Bot".equals(body.path("sender").path("type").asText())) {
            return false;
        }
        int number = body.path("number").asInt(body.path("pull_request").path("number").asInt());
        return act(c, d, repo, number, body.path("sender").path("login").asText(""),
            List.of(added ? Command.merge(Optional.empty()) : Command.cancel()), replies, now);
    }

    /** Carries out {@code commands} on pull request {@code number} for GitHub user {@code login}, if they may push. */
    private boolean act(Connection c, Claimed d, String repo, int number, String login, List<Command> commands, List<Reply> replies,
                        Instant now) throws SQLException {
        Forge forge = forges.forRepository(repo)
            .orElseThrow(() -> new IllegalStateException("no GitHub App is configured (mainstay.github.app-id and private-key)"));
        AuditEvent.Actor actor = new AuditEvent.Actor("code-host-user", "github:" + login, login, "", "");
        if (commands.stream().anyMatch(cmd -> cmd.verb().isEmpty())) {
            reply(replies, forge, d, number, "@" + login + " " + USAGE);
            return false;
        }
        if (!requests.mayPush(c, forge, repo, number, login, commands.getFirst().verb(), actor, "")) {
            reply(replies, forge, d, number, "@" + login + " only people who may push to " + repo
                + " can use Mainstay's merge queue commands.");
            return false;
        }
        PullRequestView pr = forge.pullRequest(number);
        boolean queued = false;
        for (int i = 0; i < commands.size(); i++) {
            QueueRequests.Outcome outcome = requests.carryOut(c, forge, repo, pr, commands.get(i), source(d, i), actor, "", now);
            if (outcome.refused() && outcome.key().isPresent()) {
                reply(replies, forge, d, number, "@" + login + " #" + number + " cannot be queued: " + outcome.refusal() + ".");
            }
            queued |= outcome.stored();
        }
        return queued;
    }

    private static String source(Claimed d, int index) {
        return "github:" + d.id() + "#" + index;
    }

    @PreDestroy
    void stop() {
        background.stop();
    }
}
