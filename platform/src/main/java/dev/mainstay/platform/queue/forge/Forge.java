package dev.mainstay.platform.queue.forge;

import dev.mainstay.queue.engine.PullRequest;
import java.util.List;
import java.util.Optional;

/**
 * What the merge queue needs from a code host, for one repository, in the engine's terms. The
 * executor carries out the engine's decisions through it: {@code StartTest} builds a candidate
 * ({@link #buildCandidate}) and CI runs on it; {@code Merge} moves the target branch to the tested
 * commit ({@link #fastForward}, or {@link #mergeInto} when another lane moved it); {@code Dequeue}
 * comments ({@link #comment}); {@code UpdateStatus} shows the queue on the pull request
 * ({@link #showQueueCheck}).
 *
 * <p>Refusals the queue reacts to (a conflict, a target branch that moved) are results; failures to
 * talk to the code host at all are {@link ForgeException}s, which the executor retries.
 */
public interface Forge {

    /** The name of a merge-queue candidate branch: {@code mainstay/queue/<target>/<run>}. */
    static String candidateBranch(String target, long run) {
        return "mainstay/queue/" + target + "/" + run;
    }

    /** A pull request as it is now. */
    PullRequestView pullRequest(int number);

    /** GitHub lists at most this many files of a pull request. */
    int MAX_LISTED_FILES = 3000;

    /**
     * The paths pull request {@code number} changes since it left its base branch (a renamed file under
     * its old and new name); empty when the code host cannot list them all (GitHub lists at most
     * {@value #MAX_LISTED_FILES}).
     */
    Optional<List<String>> changedFiles(int number);

    /** The commit {@code branch} is at now. */
    String branchHead(String branch);

    /** The checks that branch protection of {@code branch} requires; empty when it requires none. */
    List<String> requiredChecks(String branch);

    /**
     * Builds candidate branch {@link #candidateBranch(String, long)}: {@code baseSha} with {@code prs}
     * applied in order, each by its merge method. CI starts when the candidate branch appears, once,
     * at the finished commit. Building again with the same run replaces the candidate.
     *
     * @return the candidate's commit, or the first pull request that does not apply
     */
    CandidateResult buildCandidate(String target, long run, String baseSha, List<PullRequest> prs);

    /** Where commit {@code sha} stands against {@code required} checks (every reported check when none are required). */
    CheckState checks(String sha, List<String> required);

    /**
     * Moves {@code branch} from {@code expectedSha} to {@code testedSha}, which must descend from it;
     * never forces.
     *
     * @return {@link BranchUpdate.Updated}, or {@link BranchUpdate.Moved} when the branch is not at
     *     {@code expectedSha} (it moved meanwhile) and was left where it is
     */
    BranchUpdate fastForward(String branch, String expectedSha, String testedSha);

    /**
     * Merges {@code testedSha} into {@code branch} with a merge commit: the engine's {@code Merge}
     * with {@code fastForward=false}, when another lane moved the branch with changes that touch
     * none of this candidate's targets.
     *
     * @return the merge commit ({@link BranchUpdate.Updated}), or {@link BranchUpdate.Conflict}
     */
    BranchUpdate mergeInto(String branch, String testedSha, String message);

    /** Deletes candidate branch {@link #candidateBranch(String, long)}; nothing when it does not exist. */
    void deleteCandidate(String target, long run);

    /**
     * Marks a pull request that landed squashed (or rebased) closed, with a comment naming the commit
     * that holds its changes: GitHub marks only pull requests whose head reached the branch merged.
     * Doing it again does nothing.
     */
    void closeLanded(int number, String commitSha);

    /** Creates or updates the merge queue's check run on {@code headSha}, a pull request's head. */
    void showQueueCheck(String headSha, QueueCheck check);

    /**
     * Comments on a pull request, once per {@code key}: the comment carries the key (hidden), and a
     * call with a key a comment already carries posts nothing, so a retry after a lost answer or a
     * crash does not comment twice.
     */
    void comment(int number, String key, String body);

    /** Whether {@code user} may push to the repository (write, maintain or admin), so may queue pull requests. */
    boolean canWrite(String user);
}
