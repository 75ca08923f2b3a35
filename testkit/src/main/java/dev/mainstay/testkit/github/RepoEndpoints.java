package dev.mainstay.testkit.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mainstay.testkit.github.RestApi.Call;
import dev.mainstay.testkit.github.RestApi.Refused;
import dev.mainstay.testkit.github.RestApi.Reply;
import dev.mainstay.testkit.github.SimulatedRepository.CheckRunState;
import dev.mainstay.testkit.github.SimulatedRepository.CommentState;
import dev.mainstay.testkit.github.SimulatedRepository.PullState;
import dev.mainstay.testkit.github.SimulatedRepository.Review;
import dev.mainstay.testkit.github.SimulatedRepository.StatusState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The repository's endpoints besides git: pull requests, reviews, comments, checks, statuses, protection, permissions. */
final class RepoEndpoints {

    private static final String BRANCH = "/branches/(?<branch>.+?)";
    /** GitHub lists at most this many files of a pull request. */
    static final int MAX_FILES = 3000;

    private final GitHubSimulator simulator;

    RepoEndpoints(GitHubSimulator simulator) {
        this.simulator = simulator;
    }

    void register(RestApi api) {
        api.on("GET", "{repo}", call -> Reply.json(200, simulator.payloads().repository(call.repo())));
        api.on("GET", "{repo}/pulls", this::listPulls);
        api.on("GET", "{repo}/pulls/(?<n>\\d+)", call -> Reply.json(200, simulator.pullJson(call.repo(), pull(call))));
        api.on("PATCH", "{repo}/(pulls|issues)/(?<n>\\d+)", this::editPull);
        api.on("GET", "{repo}/issues/(?<n>\\d+)", call -> Reply.json(200, simulator.payloads().issue(call.repo(), pull(call))));
        api.on("GET", "/users/(?<user>[^/]+)", call -> Reply.json(200, simulator.payloads().user(call.param("user"))));
        api.on("GET", "{repo}/pulls/(?<n>\\d+)/reviews", this::reviews);
        api.on("GET", "{repo}/pulls/(?<n>\\d+)/commits", this::pullCommits);
        api.on("GET", "{repo}/pulls/(?<n>\\d+)/files", this::pullFiles);
        api.on("GET", "{repo}/issues/(?<n>\\d+)/comments", this::comments);
        api.on("POST", "{repo}/issues/(?<n>\\d+)/comments", this::comment);
        api.on("GET", "{repo}/commits/(?<ref>[^/]+)/check-runs", this::checkRuns);
        api.on("GET", "{repo}/commits/(?<ref>[^/]+)/check-suites", this::checkSuites);
        api.on("GET", "{repo}/commits/(?<ref>[^/]+)/status", this::combinedStatus);
        api.on("GET", "{repo}/(commits/(?<ref>[^/]+)/statuses|statuses/(?<sha>[0-9a-f]{40}))", call ->
            Reply.json(200, RestApi.array(statuses(call).stream().map(s -> simulator.payloads().status(call.repo(), s)).toList())));
        api.on("POST", "{repo}/statuses/(?<sha>[0-9a-f]{40})", call -> {
            String sha = GitEndpoints.commit(call, call.param("sha")).name();
            StatusState s = simulator.createStatus(call.repo(), sha, call.body().path("context").asText("default"),
                RestApi.required(call, "state"), call.body().path("description").asText(""));
            return Reply.json(201, simulator.payloads().status(call.repo(), s));
        });
        api.on("POST", "{repo}/check-runs", call -> Reply.json(201, writeCheckRun(call, null)));
        api.on("PATCH", "{repo}/check-runs/(?<id>\\d+)", call -> Reply.json(200, writeCheckRun(call, Long.parseLong(call.param("id")))));
        api.on("GET", "{repo}" + BRANCH + "/protection/required_status_checks", call -> Reply.json(200, requiredChecks(call)));
        api.on("GET", "{repo}" + BRANCH + "/protection", this::protection);
        api.on("GET", "{repo}" + BRANCH, this::branch);
        api.on("GET", "{repo}/collaborators/(?<user>[^/]+)/permission", this::permission);
    }

    private PullState pull(Call call) {
        synchronized (call.repo()) {
            PullState p = call.repo().pulls.get(call.number("n"));
            if (p == null) {
                throw new Refused(404, "Not Found");
            }
            return p;
        }
    }

    private Reply listPulls(Call call) {
        String state = call.query().getOrDefault("state", "open");
        List<PullState> pulls;
        synchronized (call.repo()) {
            pulls = call.repo().pulls.values().stream()
                .filter(p -> state.equals("all") || state.equals(p.closed || p.merged ? "closed" : "open")).toList();
        }
        return Reply.json(200, RestApi.array(pulls.stream().map(p -> simulator.pullJson(call.repo(), p)).toList()));
    }

    private Reply editPull(Call call) {
        PullState p = pull(call);
        boolean closing = "closed".equals(call.body().path("state").asText());
        synchronized (call.repo()) {
            if (closing && (p.closed || p.merged)) {
                closing = false;
            } else if (closing) {
                p.closed = true;
                p.closedAt = simulator.clock().instant();
            }
        }
        if (closing) {
            simulator.webhooks().pullRequest(call.repo(), p, "closed");
        }
        return Reply.json(200, simulator.pullJson(call.repo(), p));
    }

    private Reply reviews(Call call) {
        PullState p = pull(call);
        List<ObjectNode> reviews = new ArrayList<>();
        synchronized (call.repo()) {
            for (Review r : p.reviews) {
                ObjectNode node = Payloads.JSON.createObjectNode();
                node.put("id", r.id()).put("node_id", "PRR_" + r.id()).put("state", r.state()).put("body", "")
                    .put("commit_id", r.commitId()).put("submitted_at", Payloads.time(p.createdAt))
                    .put("html_url", simulator.apiUrl() + "/reviews/" + r.id())
                    .put("pull_request_url", simulator.apiUrl() + "/repos/" + call.repo().fullName() + "/pulls/" + p.number);
                node.set("user", simulator.payloads().user(r.user()));
                reviews.add(node);
            }
        }
        return Reply.json(200, RestApi.array(reviews));
    }

    /** The pull request's commits, oldest first, as GitHub lists them. */
    private Reply pullCommits(Call call) {
        PullState p = pull(call);
        GitStore git = call.repo().git;
        org.eclipse.jgit.lib.ObjectId head = git.resolve(p.headRef).orElseThrow(() -> new Refused(404, "Not Found"));
        List<org.eclipse.jgit.revwalk.RevCommit> commits = new ArrayList<>(git.commitsBetween(git.resolve(p.baseRef).orElse(null), head));
        java.util.Collections.reverse(commits);
        return Reply.json(200, RestApi.array(commits.stream().map(c -> simulator.payloads().commit(call.repo(), c)).toList()));
    }

    /**
     * The files the pull request changes, paged as GitHub pages them; like GitHub, at most
     * {@value #MAX_FILES} are listed.
     */
    private Reply pullFiles(Call call) {
        PullState p = pull(call);
        GitStore git = call.repo().git;
        org.eclipse.jgit.lib.ObjectId head = git.resolve(p.headRef).orElseThrow(() -> new Refused(404, "Not Found"));
        org.eclipse.jgit.lib.ObjectId base = git.resolve(p.baseRef).orElseThrow(() -> new Refused(404, "Not Found"));
        String repoUrl = simulator.apiUrl() + "/repos/" + call.repo().fullName();
        List<ObjectNode> files = new ArrayList<>();
        for (GitStore.ChangedFile f : git.changedFiles(base, head)) {
            if (files.size() == MAX_FILES) {
                break;
            }
            ObjectNode node = Payloads.JSON.createObjectNode();
            node.put("sha", f.blob().name()).put("filename", f.path()).put("status", f.status())
                .put("additions", f.additions()).put("deletions", f.deletions()).put("changes", f.additions() + f.deletions())
                .put("blob_url", repoUrl + "/blob/" + head.name() + "/" + f.path())
                .put("raw_url", repoUrl + "/raw/" + head.name() + "/" + f.path())
                .put("contents_url", repoUrl + "/contents/" + f.path() + "?ref=" + head.name());
            if (f.previousPath() != null) {
                node.put("previous_filename", f.previousPath());
            }
            files.add(node);
        }
        return RestApi.page(call, repoUrl + "/pulls/" + p.number + "/files", files);
    }

    private Reply comments(Call call) {
        List<CommentState> comments;
        synchronized (call.repo()) {
            comments = call.repo().comments.stream().filter(c -> c.issue() == call.number("n")).toList();
        }
        return Reply.json(200, RestApi.array(comments.stream().map(c -> simulator.payloads().comment(call.repo(), c)).toList()));
    }

    private Reply comment(Call call) {
        PullState p = pull(call);
        CommentState c = new CommentState(simulator.nextId(), p.number, "mainstay[bot]", RestApi.required(call, "body"),
            simulator.clock().instant());
        synchronized (call.repo()) {
            call.repo().comments.add(c);
        }
        simulator.webhooks().issueComment(call.repo(), p, c);
        return Reply.json(201, simulator.payloads().comment(call.repo(), c));
    }

    private Reply checkRuns(Call call) {
        String sha = GitEndpoints.commit(call, call.param("ref")).name();
        String name = call.query().get("check_name");
        List<ObjectNode> runs = new ArrayList<>();
        synchronized (call.repo()) {
            for (CheckRunState run : call.repo().checkRuns) {
                if (run.headSha.equals(sha) && (name == null || run.name.equals(name))) {
                    runs.add(0, simulator.payloads().checkRun(call.repo(), run));
                }
            }
        }
        ObjectNode body = Payloads.JSON.createObjectNode();
        body.put("total_count", runs.size()).set("check_runs", RestApi.array(runs));
        return Reply.json(200, body);
    }

    private Reply checkSuites(Call call) {
        String sha = GitEndpoints.commit(call, call.param("ref")).name();
        Map<String, List<CheckRunState>> byApp = new LinkedHashMap<>();
        synchronized (call.repo()) {
            call.repo().checkRuns.stream().filter(r -> r.headSha.equals(sha))
                .forEach(r -> byApp.computeIfAbsent(r.app, a -> new ArrayList<>()).add(r));
        }
        List<ObjectNode> suites = new ArrayList<>();
        byApp.forEach((app, runs) -> {
            boolean done = runs.stream().allMatch(r -> r.conclusion != null);
            boolean failed = runs.stream().anyMatch(r -> "failure".equals(r.conclusion));
            suites.add(simulator.payloads().checkSuite(call.repo(), sha, app, done ? "completed" : "in_progress",
                done ? (failed ? "failure" : "success") : null, runs.size()));
        });
        ObjectNode body = Payloads.JSON.createObjectNode();
        body.put("total_count", suites.size()).set("check_suites", RestApi.array(suites));
        return Reply.json(200, body);
    }

    private List<StatusState> statuses(Call call) {
        String sha = GitEndpoints.commit(call, call.path().group("ref") != null ? call.param("ref") : call.param("sha")).name();
        synchronized (call.repo()) {
            List<StatusState> newestFirst = new ArrayList<>(call.repo().statuses.stream().filter(s -> s.sha().equals(sha)).toList());
            java.util.Collections.reverse(newestFirst);
            return newestFirst;
        }
    }

    private Reply combinedStatus(Call call) {
        Map<String, StatusState> latest = new LinkedHashMap<>();
        for (StatusState s : statuses(call)) {
            latest.putIfAbsent(s.context(), s);
        }
        String state = latest.isEmpty() ? "pending"
            : latest.values().stream().anyMatch(s -> s.state().equals("failure") || s.state().equals("error")) ? "failure"
            : latest.values().stream().anyMatch(s -> s.state().equals("pending")) ? "pending" : "success";
        ObjectNode body = Payloads.JSON.createObjectNode();
        body.put("state", state).put("sha", GitEndpoints.commit(call, call.param("ref")).name()).put("total_count", latest.size());
        body.set("statuses", RestApi.array(latest.values().stream().map(s -> simulator.payloads().status(call.repo(), s)).toList()));
        body.set("repository", simulator.payloads().repository(call.repo()));
        return Reply.json(200, body);
    }

    private ObjectNode writeCheckRun(Call call, Long id) {
        JsonNode body = call.body();
        CheckRunState run;
        boolean completed;
        synchronized (call.repo()) {
            if (id == null) {
                String sha = GitEndpoints.commit(call, RestApi.required(call, "head_sha")).name();
                run = new CheckRunState(simulator.nextId(), RestApi.required(call, "name"), sha, "mainstay");
                run.status = "queued";
                run.startedAt = simulator.clock().instant();
                call.repo().checkRuns.add(run);
            } else {
                run = call.repo().checkRuns.stream().filter(r -> r.id == id).findFirst()
                    .orElseThrow(() -> new Refused(404, "Not Found"));
            }
            boolean wasCompleted = "completed".equals(run.status);
            if (body.hasNonNull("status")) {
                run.status = body.get("status").asText();
            }
            if (body.hasNonNull("conclusion")) {
                run.conclusion = body.get("conclusion").asText();
                run.status = "completed";
                run.completedAt = simulator.clock().instant();
            }
            if (body.has("output")) {
                run.title = body.path("output").path("title").asText(null);
                run.summary = body.path("output").path("summary").asText(null);
            }
            completed = !wasCompleted && "completed".equals(run.status);
        }
        if (completed) {
            simulator.webhooks().checkRun(call.repo(), run);
        }
        return simulator.payloads().checkRun(call.repo(), run);
    }

    private ObjectNode requiredChecks(Call call) {
        String branch = call.param("branch");
        List<String> checks;
        synchronized (call.repo()) {
            checks = call.repo().requiredChecks.get(branch);
        }
        if (checks == null) {
            throw new Refused(404, "Branch not protected");
        }
        ObjectNode node = Payloads.JSON.createObjectNode();
        String url = simulator.apiUrl() + "/repos/" + call.repo().fullName() + "/branches/" + branch + "/protection";
        node.put("url", url + "/required_status_checks").put("strict", false)
            .put("contexts_url", url + "/required_status_checks/contexts");
        ArrayNode contexts = node.putArray("contexts");
        ArrayNode items = node.putArray("checks");
        for (String check : checks) {
            contexts.add(check);
            items.addObject().put("context", check).putNull("app_id");
        }
        return node;
    }

    private Reply protection(Call call) {
        ObjectNode node = Payloads.JSON.createObjectNode();
        ObjectNode checks = requiredChecks(call);
        node.put("url", checks.get("url").asText().replace("/required_status_checks", ""));
        node.set("required_status_checks", checks);
        node.putObject("enforce_admins").put("enabled", false).put("url", node.get("url").asText() + "/enforce_admins");
        return Reply.json(200, node);
    }

    private Reply branch(Call call) {
        String branch = call.param("branch");
        String sha = call.repo().git.resolve(branch).map(org.eclipse.jgit.lib.ObjectId::name)
            .orElseThrow(() -> new Refused(404, "Branch not found"));
        boolean protectedBranch;
        synchronized (call.repo()) {
            protectedBranch = call.repo().requiredChecks.containsKey(branch);
        }
        ObjectNode node = Payloads.JSON.createObjectNode();
        String url = simulator.apiUrl() + "/repos/" + call.repo().fullName() + "/branches/" + branch;
        node.put("name", branch).put("protected", protectedBranch).put("protection_url", url + "/protection");
        node.putObject("commit").put("sha", sha).put("url", simulator.apiUrl() + "/repos/" + call.repo().fullName() + "/commits/" + sha);
        node.putObject("_links").put("self", url).put("html", url);
        return Reply.json(200, node);
    }

    private Reply permission(Call call) {
        String user = call.param("user");
        String role;
        synchronized (call.repo()) {
            role = call.repo().permissions.getOrDefault(user, "none");
        }
        String permission = switch (role) {
            case "admin" -> "admin";
            case "maintain", "write" -> "write";
            case "triage", "read" -> "read";
            default -> "none";
        };
        ObjectNode node = Payloads.JSON.createObjectNode();
        node.put("permission", permission).put("role_name", role);
        node.set("user", simulator.payloads().user(user));
        return Reply.json(200, node);
    }
}
