package dev.mainstay.platform.queue.forge;

import java.util.Objects;
import java.util.Set;

/**
 * A pull request as the code host reports it.
 *
 * @param number     its number
 * @param title      its title
 * @param headSha    the commit at its head
 * @param baseBranch the branch it merges into
 * @param state      open, closed or merged
 * @param mergeable  whether it merges cleanly into its base branch now
 * @param draft      whether it is a draft
 * @param labels     its labels
 * @param approvedBy the users whose latest review approves it
 */
public record PullRequestView(int number, String title, String headSha, String baseBranch, State state, Mergeable mergeable,
                              boolean draft, Set<String> labels, Set<String> approvedBy) {

    /** Open, closed without merging, or merged. */
    public enum State {
        OPEN, CLOSED, MERGED
    }

    /** Whether it merges cleanly; UNKNOWN while the code host is still computing it. */
    public enum Mergeable {
        YES, NO, UNKNOWN
    }

    public PullRequestView {
        Objects.requireNonNull(headSha, "headSha");
        Objects.requireNonNull(baseBranch, "baseBranch");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(mergeable, "mergeable");
        labels = Set.copyOf(labels);
        approvedBy = Set.copyOf(approvedBy);
    }
}
