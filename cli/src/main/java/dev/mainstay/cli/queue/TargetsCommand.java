package dev.mainstay.cli.queue;

import dev.mainstay.cli.command.Arguments;
import dev.mainstay.cli.command.Command;
import dev.mainstay.cli.command.Context;
import dev.mainstay.cli.command.Option;
import dev.mainstay.cli.command.UsageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code mainstay queue targets --repo OWNER/NAME --pr N --head SHA (--target T ... | --targets-file FILE)}:
 * posts the build targets a pull request's head affects (e.g. from {@code bazel-diff} or a
 * monorepo tool), so that the merge queue tests it only with pull requests that share a target.
 * Post them before the pull request is queued. The file has one target per line; blank lines and
 * lines starting with {@code #} are skipped.
 */
public final class TargetsCommand implements Command {

    static final Option HEAD = Option.one("head", "SHA", "the pull request's head commit, 40 hex digits"
        + " (on GitHub Actions: github.event.pull_request.head.sha)");
    static final Option TARGET = Option.many("target", "T", "an impacted target; repeat it, or use --targets-file");
    static final Option TARGETS_FILE = Option.one("targets-file", "FILE", "the impacted targets, one per line");

    /** As many targets, as long, as the appliance takes. */
    static final int MAX_TARGETS = 10_000;
    static final int MAX_NAME = 300;

    @Override
    public String name() {
        return "queue targets";
    }

    @Override
    public String usage() {
        return "--repo OWNER/NAME --pr N --head SHA (--target T ... | --targets-file FILE) --url URL [--json]";
    }

    @Override
    public String summary() {
        return "post the build targets a pull request affects: its merge-queue lane (token scope queue:write)";
    }

    @Override
    public List<Option> options() {
        return List.of(QueueRequest.REPO, QueueRequest.PR, HEAD, TARGET, TARGETS_FILE, QueueRequest.URL, QueueRequest.TOKEN,
            QueueRequest.RETRIES, QueueRequest.CA_CERT, QueueRequest.PROXY, QueueRequest.JSON);
    }

    @Override
    public boolean takesFiles() {
        return false;
    }

    @Override
    public int run(Context context, Arguments arguments) throws UsageException {
        String repo = QueueRequest.repo(arguments);
        String pr = QueueRequest.pr(arguments);
        String head = arguments.value("head").orElseThrow(() -> new UsageException("--head is required: the pull request's head commit"));
        if (!head.matches("[0-9a-f]{40}")) {
            throw new UsageException("--head must be a commit's 40 hex digits, not '" + head + "'");
        }
        Set<String> targets = targets(context, arguments);
        StringBuilder body = new StringBuilder("{\"repository\": \"" + repo + "\", \"pull_request\": " + pr + ", \"head\": \"" + head
            + "\", \"targets\": [");
        String sep = "";
        for (String t : targets) {
            body.append(sep).append('"').append(t.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            sep = ", ";
        }
        body.append("]}");
        return QueueRequest.send(context, arguments, "POST", "/api/v1/impacted-targets", body.toString(), 201,
            fields -> "mainstay: " + fields.getOrDefault("targets", Integer.toString(targets.size())) + " impacted targets of #" + pr
                + " of " + repo + " at " + head.substring(0, 12) + " posted");
    }

    private static Set<String> targets(Context context, Arguments arguments) throws UsageException {
        List<String> named = new ArrayList<>(arguments.values("target"));
        Path file = arguments.value("targets-file").map(context::resolve).orElse(null);
        if (named.isEmpty() == (file == null)) {
            throw new UsageException("name the targets with --target (repeated) or --targets-file, one of the two");
        }
        if (file != null) {
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (!line.isBlank() && !line.strip().startsWith("#")) {
                        named.add(line);
                    }
                }
            } catch (IOException e) {
                throw new UsageException("cannot read --targets-file " + file + ": " + e.getMessage());
            }
        }
        Set<String> out = new LinkedHashSet<>();
        for (String t : named) {
            String name = t.strip();
            if (name.isEmpty() || name.length() > MAX_NAME || name.chars().anyMatch(ch -> ch < 0x20)) {
                throw new UsageException("a target is 1 to " + MAX_NAME + " printable characters, not '" + name + "'");
            }
            out.add(name);
        }
        if (out.isEmpty() || out.size() > MAX_TARGETS) {
            throw new UsageException("post 1 to " + MAX_TARGETS + " targets, not " + out.size() + "; ALL for a change that affects everything");
        }
        return out;
    }
}
