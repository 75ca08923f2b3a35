package dev.mainstay.platform.queue.worker;

import dev.mainstay.audit.AuditEvent;
import dev.mainstay.platform.auditing.AuditTrail;
import dev.mainstay.platform.queue.forge.Forge;
import dev.mainstay.platform.queue.forge.PullRequestView;
import dev.mainstay.platform.queue.worker.QueueStore.QueueKey;
import dev.mainstay.queue.engine.Priority;
import dev.mainstay.queue.engine.PullRequest;
import dev.mainstay.queue.engine.QueueEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What people ask of a merge queue — queue a pull request, take it out, change its priority — however
 * they ask (a comment or label on GitHub, the API, the CLI): checked the same way, turned into the
 * same queue events, audited the same way.
 */
@ApplicationScoped
public class QueueRequests {

    /** A request: {@code merge} (with an optional priority), {@code cancel}, or {@code priority} (with one). */
    public record Command(String verb, Optional<Priority> priority) {

        public static Command merge(Optional<Priority> priority) {
            return new Command("merge", priority);
        }

        public static Command cancel() {
            return new Command("cancel", Optional.empty());
        }
    }

    /**
     * What became of a request.
     *
     * @param key     the queue it went to: the pull request's repository and base branch
     * @param stored  whether a new queue event was stored (a repeated source, or a cancel of a pull request not queued, stores none)
     * @param refusal why it was not carried out (the pull request is closed or a draft, its base branch is no queue's); empty when it was
     */
    public record Outcome(Optional<QueueKey> key, boolean stored, String refusal) {

        public boolean refused() {
            return !refusal.isEmpty();
        }
    }

    private final QueueStore store;
    private final QueueConfigs configs;
    private final ImpactedTargets targets;
    private final AuditTrail audit;

    @Inject
    QueueRequests(QueueStore store, QueueConfigs configs, ImpactedTargets targets, AuditTrail audit) {
        this.store = store;
        this.configs = configs;
        this.targets = targets;
        this.audit = audit;
    }

    /**
     * Whether GitHub user {@code login} may push to {@code repo}; when not, the refusal of {@code verb}
     * on {@code number} is audited for {@code actor}.
     */
    public boolean mayPush(Connection c, Forge forge, String repo, int number, String login, String verb, AuditEvent.Actor actor, String org)
        throws SQLException {
        if (!login.isEmpty() && forge.canWrite(login)) {
            return true;
        }
        audit.record(c, actor, org, "queue." + verb, target(repo, number), AuditEvent.Outcome.DENIED,
            Map.of("repository", repo, "reason", "no write access", "github_user", login));
        return false;
    }

    /**
     * Carries out {@code command} on pull request {@code pr} of {@code repo}, in the caller's
     * transaction, once per {@code source}, and audits it for {@code actor} (of {@code org}, empty for
     * none) when it is carried out.
     */
    public Outcome carryOut(Connection c, Forge forge, String repo, PullRequestView pr, Command command, String source,
                            AuditEvent.Actor actor, String org, Instant now) throws SQLException {
        Optional<QueueKey> key = key(repo, pr.baseBranch());
        if (key.isEmpty()) {
            return new Outcome(key, false, "its base branch '" + pr.baseBranch() + "' cannot be queued on");
        }
        QueueEvent event;
        switch (command.verb()) {
            case "merge" -> {
                String refusal = pr.state() != PullRequestView.State.OPEN ? "it is " + pr.state().name().toLowerCase(Locale.ROOT)
                    : pr.draft() ? "it is a draft" : "";
                if (!refusal.isEmpty()) {
                    return new Outcome(key, false, refusal);
                }
                QueueConfig config = configs.forBranch(c, repo, pr.baseBranch());
                event = new QueueEvent.Enqueue(new PullRequest(pr.number(), pr.headSha(), impacted(c, forge, repo, pr, config),
                    command.priority().orElse(Priority.NORMAL), config.mergeMethod()));
            }
            case "cancel" -> event = new QueueEvent.Remove(pr.number());
            case "priority" -> event = new QueueEvent.ChangePriority(pr.number(), command.priority().orElseThrow());
            default -> throw new IllegalArgumentException("no such merge queue request: " + command.verb());
        }
        boolean stored = command.verb().equals("merge")
            ? store.submit(c, key.get(), () -> forge.branchHead(pr.baseBranch()), event, source, now)
            : store.submitIfQueued(c, key.get(), event, source, now);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("repository", repo);
        details.put("branch", pr.baseBranch());
        details.put("head", pr.headSha());
        command.priority().ifPresent(p -> details.put("priority", p.name().toLowerCase(Locale.ROOT)));
        audit.record(c, actor, org, "queue." + command.verb(), target(repo, pr.number()), AuditEvent.Outcome.SUCCESS, details);
        return new Outcome(key, stored, "");
    }

    /** The targets CI posted for the pull request's head, or else those its files fall in by the queue's lanes. */
    private Set<String> impacted(Connection c, Forge forge, String repo, PullRequestView pr, QueueConfig config) throws SQLException {
        Optional<Set<String>> posted = targets.posted(c, repo, pr.number(), pr.headSha());
        if (posted.isPresent() || config.lanes().isEmpty()) {
            return posted.orElse(Set.of(PullRequest.ALL));
        }
        return config.lanes().targets(forge.changedFiles(pr.number()));
    }

    /** The priority a word names ({@code urgent}, {@code high}, {@code normal}, {@code low}), in lower case. */
    public static Optional<Priority> priority(String word) {
        for (Priority p : Priority.values()) {
            if (p.name().toLowerCase(Locale.ROOT).equals(word)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static AuditEvent.Target target(String repo, int number) {
        return new AuditEvent.Target("pull-request", repo + "#" + number);
    }

    /** The queue of {@code repo}'s {@code branch}; empty when that is no queue's name. */
    public static Optional<QueueKey> key(String repo, String branch) {
        try {
            return Optional.of(new QueueKey(repo, branch));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
