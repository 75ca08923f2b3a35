package dev.mainstay.queue.engine;

/**
 * How a pull request's changes land on the target branch. The engine does not build commits: the
 * executor builds each candidate with its pull requests' methods (a merge commit, one squashed
 * commit, or the commits rebased), tests that commit, and the merge moves the target branch to
 * the very commit that was tested, whatever the method.
 */
public enum MergeMethod {
    MERGE, SQUASH, REBASE
}
