package dev.mainstay.platform.queue.web;

import dev.mainstay.audit.AuditEvent;
import dev.mainstay.platform.app.ApplianceConfig;
import dev.mainstay.platform.identity.Caller;
import dev.mainstay.platform.queue.forge.Forge;
import dev.mainstay.platform.queue.forge.ForgeException;
import dev.mainstay.platform.queue.forge.Forges;
import dev.mainstay.platform.queue.forge.PullRequestView;
import dev.mainstay.platform.queue.worker.QueueRequests;
import dev.mainstay.platform.queue.worker.QueueWorker;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A person's or a token's request to queue a pull request or take it out, from the API or a queue
 * page: GitHub must say the caller may push (a person under their GitHub login from Keycloak, else
 * their Mainstay user name; a token under the admin who made it), then {@link QueueRequests}
 * carries it out, in one transaction.
 */
@ApplicationScoped
public class QueueEntries {

    /** What came of a request: accepted (the pull request's base branch and head), or refused with an HTTP status and why. */
    public sealed interface Result {
    }

    /**
     * @param branch the pull request's base branch: the queue it went to
     * @param fresh  a new queue event was stored (false: the same request was made before)
     */
    public record Accepted(String repo, String branch, int pr, String head, boolean fresh) implements Result {
    }

    public record Refused(int status, String title, String detail) implements Result {
    }

    private final DataSource dataSource;
    private final QueueRequests requests;
    private final Forges forges;
    private final QueueWorker worker;
    private final Clock clock;

    @Inject
    QueueEntries(@Named(ApplianceConfig.DATA_SOURCE) DataSource dataSource, QueueRequests requests, Forges forges, QueueWorker worker,
                 Clock clock) {
        this.dataSource = dataSource;
        this.requests = requests;
        this.forges = forges;
        this.worker = worker;
        this.clock = clock;
    }

    /**
     * Carries out {@code command} on pull request {@code number} of {@code repo} for {@code caller} of
     * {@code org} (which must see the repository), once per {@code source}.
     */
    public Result request(Caller caller, String org, String repo, int number, QueueRequests.Command command, String source)
        throws SQLException {
        Optional<Forge> forge = forges.forRepository(repo);
        if (forge.isEmpty()) {
            return new Refused(503, "No GitHub App", "this appliance has no GitHub App configured (mainstay.github.*), so it has no merge queue");
        }
        String login = switch (caller) {
            case Caller.Machine token -> token.creator();
            case Caller.Person person -> person.gitHubUser();
        };
        AuditEvent.Actor actor = caller.actor();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (!requests.mayPush(c, forge.get(), repo, number, login, command.verb(), actor, org)) {
                    c.commit();
                    return new Refused(403, "No write access", "GitHub says " + login + " may not push to " + repo
                        + "; only people who may push can use its merge queue"
                        + (caller instanceof Caller.Machine ? " (an API token acts as the admin who made it)" : ""));
                }
                PullRequestView pr = forge.get().pullRequest(number);
                QueueRequests.Outcome outcome = requests.carryOut(c, forge.get(), repo, pr, command, source, actor, org, clock.instant());
                c.commit();
                if (outcome.refused()) {
                    return new Refused(409, "Cannot be queued", "#" + number + " cannot be queued: " + outcome.refusal());
                }
                worker.wake();
                return new Accepted(repo, pr.baseBranch(), number, pr.headSha(), outcome.stored());
            } catch (ForgeException e) {
                c.rollback();
                return e.status() == 404 ? new Refused(404, "Not found on GitHub", e.getMessage())
                    : new Refused(502, "GitHub did not answer", e.getMessage());
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }
}
