package dev.mainstay.platform.queue.forge.github;

import dev.mainstay.platform.queue.forge.CandidateResult;
import dev.mainstay.platform.queue.forge.Forge;
import dev.mainstay.queue.engine.PullRequest;
import java.io.IOException;
import java.util.List;
import org.kohsuke.github.GHBranch;
import org.kohsuke.github.GHCommit;
import org.kohsuke.github.GHPullRequest;
import org.kohsuke.github.GHPullRequestCommitDetail;
import org.kohsuke.github.GHRef;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.HttpException;

/**
 * Builds one candidate without a clone, through GitHub's merges API and Git Data API, on a scratch
 * branch {@code mainstay/build/<target>/<run>}; only the finished commit is put on the candidate
 * branch, so that CI (which runs on pushes to {@code mainstay/queue/}) runs once, on it.
 *
 * <ul>
 *   <li>MERGE: the merges API merges the pull request's head: a merge commit, as GitHub's merge button makes.</li>
 *   <li>SQUASH: the head is merged the same way for its tree, then one commit with that tree and the
 *       previous tip as its only parent replaces the merge, titled {@code <title> (#<n>)} like GitHub's.</li>
 *   <li>REBASE: each of the pull request's commits in turn is cherry-picked: a commit with the tip's tree
 *       and the picked commit's parent as its parent is put on the scratch branch, so that merging the
 *       picked commit into it is a three-way merge against that parent, which applies just that
 *       commit's change; its tree is then committed on the tip with the commit's own message.</li>
 * </ul>
 */
final class CandidateBuild {

    private final GHRepository repo;
    private final String scratch;
    private final String candidate;

    CandidateBuild(GHRepository repo, String target, long run) {
        this.repo = repo;
        this.scratch = "mainstay/build/" + target + "/" + run;
        this.candidate = Forge.candidateBranch(target, run);
    }

    CandidateResult build(String baseSha, List<PullRequest> prs) throws IOException {
        GitHubForge.deleteBranch(repo, scratch);
        GHRef ref = repo.createRef("refs/heads/" + scratch, baseSha);
        String tip = baseSha;
        try {
            for (PullRequest pr : prs) {
                try {
                    tip = switch (pr.method()) {
                        case MERGE -> merged(merge(pr.head(), "Merge pull request #" + pr.number() + " (Mainstay merge queue)"), tip);
                        case SQUASH -> squash(ref, tip, pr);
                        case REBASE -> rebase(ref, tip, pr);
                    };
                } catch (HttpException e) {
                    if (e.getResponseCode() != 409) {
                        throw e;
                    }
                    GitHubForge.deleteBranch(repo, candidate);
                    return new CandidateResult.Conflict(pr.number());
                }
            }
            GitHubForge.deleteBranch(repo, candidate); // a rebuild of the same run replaces it
            repo.createRef("refs/heads/" + candidate, tip);
            return new CandidateResult.Built(tip);
        } finally {
            GitHubForge.deleteBranch(repo, scratch);
        }
    }

    /** Merges {@code head} into the scratch branch; null when it holds it already. */
    private GHCommit merge(String head, String message) throws IOException {
        GHBranch branch = repo.getBranch(scratch);
        return branch.merge(head, message);
    }

    private static String merged(GHCommit merge, String tip) {
        return merge == null ? tip : merge.getSHA1();
    }

    private String squash(GHRef ref, String tip, PullRequest pr) throws IOException {
        GHCommit merge = merge(pr.head(), "squash #" + pr.number());
        if (merge == null) {
            return tip;
        }
        GHPullRequest pull = repo.getPullRequest(pr.number());
        return replace(ref, merge, tip, pull.getTitle() + " (#" + pr.number() + ")");
    }

    private String rebase(GHRef ref, String tip, PullRequest pr) throws IOException {
        for (GHPullRequestCommitDetail commit : repo.getPullRequest(pr.number()).listCommits()) {
            String parent = commit.getParents()[0].getSha();
            String tipTree = repo.getCommit(tip).getCommitShortInfo().getTreeSHA1();
            String onParent = repo.createCommit().message("pick base").tree(tipTree).parent(parent).create().getSHA1();
            ref.updateTo(onParent, true);
            GHCommit merge = merge(commit.getSha(), "pick " + commit.getSha());
            tip = replace(ref, merge, tip, commit.getCommit().getMessage());
        }
        return tip;
    }

    /** Replaces scratch's merge commit {@code merge} by a commit of its tree on {@code tip} alone. */
    private String replace(GHRef ref, GHCommit merge, String tip, String message) throws IOException {
        String tree = merge.getCommitShortInfo().getTreeSHA1();
        String sha = repo.createCommit().message(message).tree(tree).parent(tip).create().getSHA1();
        ref.updateTo(sha, true);
        return sha;
    }
}
