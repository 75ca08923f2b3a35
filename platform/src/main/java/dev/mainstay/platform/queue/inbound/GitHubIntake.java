package dev.mainstay.platform.queue.inbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mainstay.audit.AuditEvent;
import dev.mainstay.platform.app.ApplianceConfig;
import dev.mainstay.platform.app.BackgroundWork;
import dev.mainstay.platform.crypto.FieldCipher;
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
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * delivery's id in their source, so a delivery is acted on once. When GitHub cannot be reached (or
 * no GitHub App is configured yet) the delivery is tried again with backoff, up to
 * {@value #MAX_ATTEMPTS} times.
 */
@ApplicationScoped
public class GitHubIntake {

    static final int POLL_SECONDS = 2;
    static final int MAX_ATTEMPTS = 20;
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(10);
    private static final int MAX_ERROR = 500;
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
    private final BackgroundWork background = new BackgroundWork("mainstay-github-intake", POLL_SECONDS, LOG,
        "act on GitHub deliveries", this::drain);

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

    /** A claimed delivery. */
    private record Claimed(String id, String event, String action, String repo, byte[] payload, int attempts) {
    }

    /**
     * Acts on deliveries until none is due (or other replicas hold the rest).
     *
     * @return how many were acted on or tried
     */
    int drain() throws SQLException {
        int turns = 0;
        while (!Thread.currentThread().isInterrupted() && turn(clock.instant())) {
            turns++;
        }
        return turns;
    }

    private boolean turn(Instant now) throws SQLException {
        List<Reply> replies = new ArrayList<>();
        boolean queued;
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            Claimed claimed = null;
            try {
                claimed = claim(c, now);
                if (claimed == null) {
                    c.commit();
                    return false;
                }
                JsonNode body = JSON.readTree(cipher.decrypt(GitHubInbox.payloadContext(claimed.id()), claimed.payload()));
                queued = translate(c, claimed, body, replies, now);
                try (PreparedStatement s = c.prepareStatement("UPDATE github_inbox SET processed_at = ?, attempts = attempts + 1,"
                    + " last_error = '', next_attempt_at = NULL WHERE delivery_id = ?")) {
                    s.setTimestamp(1, Timestamp.from(now));
                    s.setString(2, claimed.id());
                    s.executeUpdate();
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } catch (IOException | RuntimeException e) {
                c.rollback();
                if (claimed == null) {
                    throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
                }
                retryLater(c, claimed, e, now);
                return true;
            }
        }
        for (Reply reply : replies) {
            try {
                reply.forge().comment(reply.pr(), reply.key(), reply.body());
            } catch (ForgeException e) {
                LOG.log(Level.WARNING, "could not answer on pull request #" + reply.pr(), e);
            }
        }
        if (queued) {
            worker.wake();
        }
        return true;
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
                return new Claimed(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBytes(5), rs.getInt(6));
            }
        }
    }

    private void retryLater(Connection c, Claimed claimed, Exception e, Instant now) throws SQLException {
        int attempts = claimed.attempts() + 1;
        Duration backoff = Duration.ofSeconds(1L << Math.min(attempts, 10));
        String error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        try (PreparedStatement s = c.prepareStatement("UPDATE github_inbox SET attempts = ?, last_error = ?, next_attempt_at = ?"
            + " WHERE delivery_id = ? AND processed_at IS NULL")) {
            s.setInt(1, attempts);
            s.setString(2, error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) : error);
            s.setTimestamp(3, Timestamp.from(now.plus(backoff.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff)));
            s.setString(4, claimed.id());
            s.executeUpdate();
            c.commit();
        } catch (SQLException | RuntimeException again) {
            c.rollback();
            throw again;
        }
        Level level = attempts >= MAX_ATTEMPTS ? Level.WARNING : Level.FINE;
        LOG.log(level, "GitHub delivery " + claimed.id() + " (" + claimed.event() + " " + claimed.action() + ") could not be acted on"
            + (attempts >= MAX_ATTEMPTS ? "; given up after " + attempts + " attempts" : ", attempt " + attempts), e);
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
