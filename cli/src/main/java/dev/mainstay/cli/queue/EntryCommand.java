package dev.mainstay.cli.queue;

import dev.mainstay.cli.command.Arguments;
import dev.mainstay.cli.command.Command;
import dev.mainstay.cli.command.Context;
import dev.mainstay.cli.command.Option;
import dev.mainstay.cli.command.UsageException;
import java.util.List;

/**
 * {@code mainstay queue enqueue --repo OWNER/NAME --pr N [--priority urgent|high|normal|low]} and
 * {@code mainstay queue cancel --repo OWNER/NAME --pr N}: asks the appliance to queue a pull request
 * on its base branch's merge queue, or to take it out, with an API token with the {@code queue:write}
 * scope. As on GitHub, the token's admin must be allowed to push to the repository. A retry after a
 * failed connection, timeout, 429 or 5xx carries the same idempotency key, so it queues once.
 */
public final class EntryCommand implements Command {

    static final Option PRIORITY = Option.one("priority", "LEVEL", "urgent, high, normal (the default) or low");

    private final boolean enqueue;

    private EntryCommand(boolean enqueue) {
        this.enqueue = enqueue;
    }

    /** {@code queue enqueue}. */
    public static EntryCommand enqueue() {
        return new EntryCommand(true);
    }

    /** {@code queue cancel}. */
    public static EntryCommand cancel() {
        return new EntryCommand(false);
    }

    @Override
    public String name() {
        return enqueue ? "queue enqueue" : "queue cancel";
    }

    @Override
    public String usage() {
        return "--repo OWNER/NAME --pr N" + (enqueue ? " [--priority LEVEL]" : "") + " --url URL [--json]";
    }

    @Override
    public String summary() {
        return enqueue ? "queue a pull request on its base branch's merge queue (token scope queue:write)"
            : "take a pull request out of the merge queue (token scope queue:write)";
    }

    @Override
    public List<Option> options() {
        return enqueue ? List.of(QueueRequest.REPO, QueueRequest.PR, PRIORITY, QueueRequest.URL, QueueRequest.TOKEN, QueueRequest.RETRIES,
                QueueRequest.CA_CERT, QueueRequest.PROXY, QueueRequest.JSON)
            : List.of(QueueRequest.REPO, QueueRequest.PR, QueueRequest.URL, QueueRequest.TOKEN, QueueRequest.RETRIES, QueueRequest.CA_CERT,
                QueueRequest.PROXY, QueueRequest.JSON);
    }

    @Override
    public boolean takesFiles() {
        return false;
    }

    @Override
    public int run(Context context, Arguments arguments) throws UsageException {
        String repo = QueueRequest.repo(arguments);
        String pr = QueueRequest.pr(arguments);
        String priority = arguments.value("priority").orElse("");
        if (!priority.isEmpty() && !List.of("urgent", "high", "normal", "low").contains(priority)) {
            throw new UsageException("--priority must be urgent, high, normal or low, not '" + priority + "'");
        }
        String body = enqueue ? "{\"pull_request\": " + pr + (priority.isEmpty() ? "" : ", \"priority\": \"" + priority + "\"") + "}" : "";
        String path = "/api/v1/queues/" + repo + "/entries" + (enqueue ? "" : "/" + pr);
        return QueueRequest.send(context, arguments, enqueue ? "POST" : "DELETE", path, body, 202, fields -> enqueue
                ? "mainstay: #" + pr + " of " + repo + " is queued on " + fields.getOrDefault("branch", "its base branch")
                    + (priority.isEmpty() ? "" : " (" + priority + ")") + ("false".equals(fields.get("new")) ? "; it already was" : "")
                : "mainstay: #" + pr + " of " + repo + " leaves the merge queue of " + fields.getOrDefault("branch", "its base branch"));
    }
}
