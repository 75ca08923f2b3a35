package dev.mainstay.testkit.github;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mainstay.testkit.github.RestApi.Call;
import dev.mainstay.testkit.github.RestApi.Refused;
import dev.mainstay.testkit.github.RestApi.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;

/** Refs, the merges API and the Git Data API's commits: everything that writes git objects or moves refs. */
final class GitEndpoints {

    private static final String REF = "/git/refs?/(?<ref>.+)";

    private final GitHubSimulator simulator;

    GitEndpoints(GitHubSimulator simulator) {
        this.simulator = simulator;
    }

    void register(RestApi api) {
        api.on("GET", "{repo}" + REF, this::getRef);
        api.on("POST", "{repo}/git/refs", this::createRef);
        api.on("PATCH", "{repo}" + REF, this::updateRef);
        api.on("DELETE", "{repo}" + REF, this::deleteRef);
        api.on("POST", "{repo}/merges", this::merge);
        api.on("GET", "{repo}/git/commits/(?<sha>[0-9a-f]{40})", call ->
            Reply.json(200, simulator.payloads().gitCommit(call.repo(), call.repo().git.parseCommit(commit(call, call.param("sha"))))));
        api.on("POST", "{repo}/git/commits", this::createCommit);
        api.on("GET", "{repo}/commits/(?<ref>[^/]+)", call ->
            Reply.json(200, simulator.payloads().commit(call.repo(), call.repo().git.parseCommit(commit(call, call.param("ref"))))));
    }

    private Reply getRef(Call call) {
        String ref = "refs/" + call.param("ref");
        ObjectId sha = call.repo().git.resolve(ref).orElseThrow(() -> new Refused(404, "Not Found"));
        return Reply.json(200, simulator.payloads().ref(call.repo(), ref, sha));
    }

    private Reply createRef(Call call) {
        String ref = RestApi.required(call, "ref");
        if (!ref.startsWith("refs/") || ref.split("/").length < 3) {
            throw new Refused(422, "Reference name must start with 'refs/' and have at least two slashes.");
        }
        ObjectId sha = commit(call, RestApi.required(call, "sha"));
        if (call.repo().git.resolve(ref).isPresent()) {
            throw new Refused(422, "Reference already exists");
        }
        simulator.refMoved(call.repo(), ref, null, sha, true);
        return Reply.json(201, simulator.payloads().ref(call.repo(), ref, sha));
    }

    private Reply updateRef(Call call) {
        String ref = "refs/" + call.param("ref");
        ObjectId before = call.repo().git.resolve(ref).orElseThrow(() -> new Refused(422, "Reference does not exist"));
        ObjectId sha = commit(call, RestApi.required(call, "sha"));
        boolean force = call.body().path("force").asBoolean(false);
        if (!call.repo().git.updateRef(ref, sha, force)) {
            throw new Refused(422, "Update is not a fast forward");
        }
        simulator.refMoved(call.repo(), ref, before, sha, false);
        return Reply.json(200, simulator.payloads().ref(call.repo(), ref, sha));
    }

    private Reply deleteRef(Call call) {
        if (!call.repo().git.deleteRef("refs/" + call.param("ref"))) {
            throw new Refused(422, "Reference does not exist");
        }
        return Reply.empty(204);
    }

    private Reply merge(Call call) {
        String base = RestApi.required(call, "base");
        String ref = Constants.R_HEADS + base;
        ObjectId baseSha = call.repo().git.resolve(ref).orElseThrow(() -> new Refused(404, "Base does not exist"));
        ObjectId head = resolve(call, RestApi.required(call, "head")).orElseThrow(() -> new Refused(404, "Head does not exist"));
        String message = Optional.ofNullable(call.body().get("commit_message")).map(JsonNode::asText)
            .orElse("Merge " + head.name() + " into " + base);
        return switch (call.repo().git.merge(baseSha, head, message, "github", simulator.clock().instant())) {
            case GitStore.MergeResult.NothingToMerge nothing -> Reply.empty(204);
            case GitStore.MergeResult.Conflict conflict -> throw new Refused(409, "Merge conflict");
            case GitStore.MergeResult.Merged merged -> {
                simulator.refMoved(call.repo(), ref, baseSha, merged.commit(), true);
                yield Reply.json(201, simulator.payloads().commit(call.repo(), call.repo().git.parseCommit(merged.commit())));
            }
        };
    }

    private Reply createCommit(Call call) {
        String message = RestApi.required(call, "message");
        ObjectId tree = ObjectId.fromString(RestApi.required(call, "tree"));
        List<ObjectId> parents = new ArrayList<>();
        for (JsonNode parent : call.body().path("parents")) {
            parents.add(commit(call, parent.asText()));
        }
        ObjectId created = call.repo().git.commitTree(tree, parents, message, "mainstay[bot]", simulator.clock().instant());
        return Reply.json(201, simulator.payloads().gitCommit(call.repo(), call.repo().git.parseCommit(created)));
    }

    /** A sha or branch name as a commit of the repository; 422 when it names none. */
    static ObjectId commit(Call call, String shaOrBranch) {
        return resolve(call, shaOrBranch).orElseThrow(() -> new Refused(422, "No commit found for SHA: " + shaOrBranch));
    }

    static Optional<ObjectId> resolve(Call call, String shaOrBranch) {
        if (shaOrBranch.matches("[0-9a-f]{40}")) {
            ObjectId id = ObjectId.fromString(shaOrBranch);
            return call.repo().git.hasCommit(id) ? Optional.of(id) : Optional.empty();
        }
        return call.repo().git.resolve(shaOrBranch);
    }
}
