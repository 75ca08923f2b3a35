package dev.mainstay.testkit.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.mainstay.testkit.github.SimulatedRepository.CheckRunState;
import dev.mainstay.testkit.github.SimulatedRepository.CommentState;
import dev.mainstay.testkit.github.SimulatedRepository.PullState;
import dev.mainstay.testkit.github.SimulatedRepository.StatusState;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * JSON shaped like GitHub's: REST resources and webhook payloads. Webhook payloads start from real
 * payloads GitHub sent (payloads.json, taken from GitHub's published webhook examples) with the
 * simulated repository's names, numbers, commits and URLs written in, so that they keep every field
 * GitHub's schemas require.
 */
final class Payloads {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEMPLATE_REPO = "Codertocat/Hello-World";

    private final JsonNode templates;
    private final String apiUrl;
    private final String webUrl;
    private final long installationId;

    Payloads(String apiUrl, String webUrl, long installationId) {
        this.apiUrl = apiUrl;
        this.webUrl = webUrl;
        this.installationId = installationId;
        try (InputStream in = Payloads.class.getResourceAsStream("payloads.json")) {
            templates = JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the webhook payload templates", e);
        }
    }

    static String time(Instant at) {
        return at.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    ObjectNode user(String login) {
        ObjectNode user = template("pull_request", "sender");
        user.put("login", login).put("id", Math.abs((long) login.hashCode()) + 1)
            .put("url", apiUrl + "/users/" + login).put("html_url", webUrl + "/" + login);
        return user;
    }

    ObjectNode repository(SimulatedRepository repo) {
        ObjectNode node = template("pull_request", "repository");
        node.put("id", repo.id).put("name", repo.name).put("full_name", repo.fullName()).put("default_branch", "main");
        node.set("owner", user(repo.owner));
        return localize(node, repo);
    }

    ObjectNode pullRequest(SimulatedRepository repo, PullState p, String headSha, String baseSha, Boolean mergeable) {
        ObjectNode pr = template("pull_request", "pull_request");
        String url = apiUrl + "/repos/" + repo.fullName() + "/pulls/" + p.number;
        pr.put("url", url).put("id", p.id).put("number", p.number).put("title", p.title).put("body", p.title)
            .put("html_url", webUrl + "/" + repo.fullName() + "/pull/" + p.number)
            .put("issue_url", apiUrl + "/repos/" + repo.fullName() + "/issues/" + p.number)
            .put("state", p.closed || p.merged ? "closed" : "open").put("draft", p.draft).put("merged", p.merged)
            .put("created_at", time(p.createdAt)).put("updated_at", time(p.closedAt == null ? p.createdAt : p.closedAt))
            .put("closed_at", p.closedAt == null ? null : time(p.closedAt))
            .put("merged_at", p.merged ? time(p.closedAt) : null)
            .put("merge_commit_sha", p.mergeCommitSha);
        if (mergeable == null) {
            pr.putNull("mergeable");
            pr.put("mergeable_state", "unknown");
        } else {
            pr.put("mergeable", mergeable).put("mergeable_state", mergeable ? "clean" : "dirty");
        }
        pr.set("merged_by", p.merged ? user(repo.owner) : null);
        pr.set("user", user(p.author));
        ArrayNode labels = pr.putArray("labels");
        for (String label : p.labels) {
            labels.add(label(repo, label));
        }
        ObjectNode repoNode = repository(repo);
        branchEnd((ObjectNode) pr.get("head"), repo, p.headRef, headSha, repoNode);
        branchEnd((ObjectNode) pr.get("base"), repo, p.baseRef, baseSha, repoNode);
        return localize(pr, repo);
    }

    private void branchEnd(ObjectNode end, SimulatedRepository repo, String ref, String sha, ObjectNode repoNode) {
        end.put("ref", ref).put("sha", sha).put("label", repo.owner + ":" + ref);
        end.set("user", user(repo.owner));
        end.set("repo", repoNode);
    }

    /** A pull request as the issues API shows it. */
    ObjectNode issue(SimulatedRepository repo, PullState pr) {
        ObjectNode issue = template("issue_comment", "issue");
        issue.put("number", pr.number).put("title", pr.title).put("id", pr.id).put("body", pr.title)
            .put("state", pr.closed || pr.merged ? "closed" : "open")
            .put("url", apiUrl + "/repos/" + repo.fullName() + "/issues/" + pr.number)
            .put("html_url", webUrl + "/" + repo.fullName() + "/pull/" + pr.number);
        issue.set("user", user(pr.author));
        // GitHub marks an issue that is a pull request (every one here) with links to it.
        issue.putObject("pull_request").put("url", apiUrl + "/repos/" + repo.fullName() + "/pulls/" + pr.number)
            .put("html_url", webUrl + "/" + repo.fullName() + "/pull/" + pr.number)
            .put("diff_url", webUrl + "/" + repo.fullName() + "/pull/" + pr.number + ".diff")
            .put("patch_url", webUrl + "/" + repo.fullName() + "/pull/" + pr.number + ".patch");
        return localize(issue, repo);
    }

    ObjectNode label(SimulatedRepository repo, String name) {
        ObjectNode label = (ObjectNode) templates.get("label").deepCopy();
        label.put("name", name).put("id", Math.abs((long) name.hashCode()) + 1)
            .put("url", apiUrl + "/repos/" + repo.fullName() + "/labels/" + name);
        return label;
    }

    ObjectNode checkRun(SimulatedRepository repo, CheckRunState run) {
        ObjectNode node = template("check_run", "check_run");
        node.put("id", run.id).put("name", run.name).put("head_sha", run.headSha).put("status", run.status)
            .put("conclusion", run.conclusion).put("external_id", "")
            .put("url", apiUrl + "/repos/" + repo.fullName() + "/check-runs/" + run.id)
            .put("html_url", webUrl + "/" + repo.fullName() + "/runs/" + run.id)
            .put("started_at", time(run.startedAt)).put("completed_at", run.completedAt == null ? null : time(run.completedAt));
        ObjectNode output = (ObjectNode) node.get("output");
        output.put("title", run.title).put("summary", run.summary);
        node.putArray("pull_requests");
        ObjectNode suite = (ObjectNode) node.get("check_suite");
        suite.put("id", suiteId(run.headSha, run.app)).put("head_sha", run.headSha).put("after", run.headSha)
            .put("status", run.status).put("conclusion", run.conclusion).putArray("pull_requests");
        ((ObjectNode) node.get("app")).put("slug", run.app).put("name", run.app);
        ((ObjectNode) suite.get("app")).put("slug", run.app).put("name", run.app);
        return localize(node, repo);
    }

    ObjectNode checkSuite(SimulatedRepository repo, String sha, String app, String status, String conclusion, int runs) {
        ObjectNode suite = template("check_suite", "check_suite");
        suite.put("id", suiteId(sha, app)).put("head_sha", sha).put("after", sha).put("status", status)
            .put("conclusion", conclusion).put("latest_check_runs_count", runs).putArray("pull_requests");
        ((ObjectNode) suite.get("app")).put("slug", app).put("name", app);
        ((ObjectNode) suite.get("head_commit")).put("id", sha);
        return localize(suite, repo);
    }

    static long suiteId(String sha, String app) {
        return Math.abs(((long) sha.hashCode() << 16) ^ app.hashCode()) + 1;
    }

    ObjectNode status(SimulatedRepository repo, StatusState s) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", s.id()).put("url", apiUrl + "/repos/" + repo.fullName() + "/statuses/" + s.sha())
            .put("state", s.state()).put("description", s.description()).putNull("target_url");
        node.put("context", s.context()).put("created_at", time(s.at())).put("updated_at", time(s.at()));
        node.set("creator", user(repo.owner));
        return node;
    }

    ObjectNode comment(SimulatedRepository repo, CommentState c) {
        ObjectNode node = (ObjectNode) templates.get("issue_comment").get("comment").deepCopy();
        node.put("id", c.id()).put("body", c.body()).put("created_at", time(c.at())).put("updated_at", time(c.at()))
            .put("url", apiUrl + "/repos/" + repo.fullName() + "/issues/comments/" + c.id())
            .put("issue_url", apiUrl + "/repos/" + repo.fullName() + "/issues/" + c.issue())
            .put("html_url", webUrl + "/" + repo.fullName() + "/issues/" + c.issue() + "#issuecomment-" + c.id());
        node.set("user", user(c.user()));
        return localize(node, repo);
    }

    /** A commit as {@code GET /repos/{o}/{r}/commits/{sha}} and {@code POST /merges} return it. */
    ObjectNode commit(SimulatedRepository repo, RevCommit c) {
        ObjectNode node = JSON.createObjectNode();
        String sha = c.getName();
        node.put("sha", sha).put("node_id", "C_" + sha).put("url", apiUrl + "/repos/" + repo.fullName() + "/commits/" + sha)
            .put("html_url", webUrl + "/" + repo.fullName() + "/commit/" + sha);
        node.set("commit", gitCommit(repo, c));
        node.set("author", user(c.getAuthorIdent().getName()));
        node.set("committer", user(c.getCommitterIdent().getName()));
        node.set("parents", parents(repo, c));
        return node;
    }

    /** A commit as the Git Data API returns it. */
    ObjectNode gitCommit(SimulatedRepository repo, RevCommit c) {
        ObjectNode node = JSON.createObjectNode();
        node.put("sha", c.getName()).put("url", apiUrl + "/repos/" + repo.fullName() + "/git/commits/" + c.getName())
            .put("message", c.getFullMessage()).put("comment_count", 0);
        node.putObject("tree").put("sha", c.getTree().getName())
            .put("url", apiUrl + "/repos/" + repo.fullName() + "/git/trees/" + c.getTree().getName());
        node.set("author", person(c.getAuthorIdent()));
        node.set("committer", person(c.getCommitterIdent()));
        node.set("parents", parents(repo, c));
        return node;
    }

    private ArrayNode parents(SimulatedRepository repo, RevCommit c) {
        ArrayNode parents = JSON.createArrayNode();
        for (RevCommit parent : c.getParents()) {
            parents.addObject().put("sha", parent.getName())
                .put("url", apiUrl + "/repos/" + repo.fullName() + "/commits/" + parent.getName());
        }
        return parents;
    }

    private static ObjectNode person(PersonIdent who) {
        ObjectNode node = JSON.createObjectNode();
        node.put("name", who.getName()).put("email", who.getEmailAddress()).put("date", time(who.getWhenAsInstant()));
        return node;
    }

    ObjectNode ref(SimulatedRepository repo, String ref, ObjectId sha) {
        ObjectNode node = JSON.createObjectNode();
        node.put("ref", ref).put("node_id", "REF_" + ref).put("url", apiUrl + "/repos/" + repo.fullName() + "/git/" + ref);
        node.putObject("object").put("type", "commit").put("sha", sha.name())
            .put("url", apiUrl + "/repos/" + repo.fullName() + "/git/commits/" + sha.name());
        return node;
    }

    // ---- webhook payloads

    /** {@code extra} holds what the action adds: {@code label} for labeled, {@code before}/{@code after} for synchronize. */
    ObjectNode pullRequestEvent(SimulatedRepository repo, ObjectNode pr, String action, ObjectNode extra) {
        ObjectNode event = event("pull_request", repo);
        event.put("action", action).put("number", pr.get("number").asInt());
        event.set("pull_request", pr);
        event.setAll(extra);
        return event;
    }

    ObjectNode checkRunEvent(SimulatedRepository repo, CheckRunState run) {
        ObjectNode event = event("check_run", repo);
        event.put("action", "completed");
        event.set("check_run", checkRun(repo, run));
        return event;
    }

    ObjectNode checkSuiteEvent(SimulatedRepository repo, ObjectNode suite, String branch) {
        ObjectNode event = event("check_suite", repo);
        event.put("action", "completed");
        suite.put("head_branch", branch);
        event.set("check_suite", suite);
        return event;
    }

    ObjectNode statusEvent(SimulatedRepository repo, StatusState s, RevCommit c) {
        ObjectNode event = event("status", repo);
        event.put("id", s.id()).put("sha", s.sha()).put("name", repo.fullName()).put("context", s.context())
            .put("state", s.state()).put("description", s.description())
            .put("created_at", time(s.at())).put("updated_at", time(s.at()));
        ObjectNode commit = (ObjectNode) event.get("commit");
        commit.put("sha", s.sha()).put("url", apiUrl + "/repos/" + repo.fullName() + "/commits/" + s.sha());
        ((ObjectNode) commit.get("commit")).put("message", c.getFullMessage());
        event.putArray("branches");
        return localize(event, repo);
    }

    ObjectNode pushEvent(SimulatedRepository repo, String ref, ObjectId before, ObjectId after, boolean forced) {
        ObjectNode event = event("push", repo);
        String zero = ObjectId.zeroId().name();
        event.put("ref", ref).put("before", before == null ? zero : before.name()).put("after", after.name())
            .put("created", before == null).put("deleted", false).put("forced", forced)
            .put("compare", webUrl + "/" + repo.fullName() + "/compare/" + after.name());
        ObjectNode head = (ObjectNode) event.get("head_commit");
        head.put("id", after.name()).put("tree_id", after.name());
        ArrayNode commits = event.putArray("commits");
        commits.add(head.deepCopy());
        ObjectNode repoNode = (ObjectNode) event.get("repository");
        repoNode.put("id", repo.id).put("name", repo.name).put("full_name", repo.fullName())
            .put("default_branch", "main").put("master_branch", "main");
        ((ObjectNode) repoNode.get("owner")).put("login", repo.owner).put("name", repo.owner);
        return localize(event, repo);
    }

    ObjectNode issueCommentEvent(SimulatedRepository repo, PullState pr, CommentState c) {
        ObjectNode event = event("issue_comment", repo);
        event.put("action", "created");
        event.set("issue", issue(repo, pr));
        event.set("comment", comment(repo, c));
        return localize(event, repo);
    }

    /** A copy of the template of {@code kind} with the repository and sender of {@code repo} in place. */
    private ObjectNode event(String kind, SimulatedRepository repo) {
        ObjectNode event = (ObjectNode) templates.get(kind).deepCopy();
        if (!kind.equals("push")) {
            event.set("repository", repository(repo));
        }
        event.set("sender", user(repo.owner));
        event.remove("organization");
        // A GitHub App's webhooks name the installation they are for.
        event.putObject("installation").put("id", installationId).put("node_id", "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9u" + installationId);
        return event;
    }

    private ObjectNode template(String event, String field) {
        return (ObjectNode) templates.get(event).get(field).deepCopy();
    }

    /** Writes the simulated repository's name and the simulator's URLs over the template's. */
    private ObjectNode localize(ObjectNode node, SimulatedRepository repo) {
        rewrite(node, repo.fullName());
        return node;
    }

    private void rewrite(JsonNode node, String fullName) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getValue().isTextual()) {
                    field.setValue(new TextNode(localized(field.getValue().asText(), fullName)));
                } else {
                    rewrite(field.getValue(), fullName);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isTextual()) {
                    array.set(i, new TextNode(localized(array.get(i).asText(), fullName)));
                } else {
                    rewrite(array.get(i), fullName);
                }
            }
        }
    }

    private String localized(String text, String fullName) {
        return text.replace("https://api.github.com", apiUrl).replace("https://github.com", webUrl)
            .replace(TEMPLATE_REPO, fullName);
    }
}
