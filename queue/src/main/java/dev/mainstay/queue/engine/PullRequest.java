package dev.mainstay.queue.engine;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A pull request as the queue sees it.
 *
 * @param number   its number in the repository
 * @param head     the commit it was enqueued at; a push to the pull request dequeues it
 * @param targets  the build targets it affects; {@link #ALL} (or no targets at all) overlaps every
 *                 other pull request. Pull requests whose target sets are disjoint are in different
 *                 lanes and neither waits for nor is tested with the other.
 * @param priority its priority
 * @param method   how it merges
 */
public record PullRequest(int number, String head, Set<String> targets, Priority priority, MergeMethod method) {

    /** The target that overlaps every other. */
    public static final String ALL = "ALL";

    public PullRequest {
        if (number <= 0) {
            throw new IllegalArgumentException("a pull request number is positive: " + number);
        }
        Objects.requireNonNull(head, "head");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(method, "method");
        targets = targets == null || targets.isEmpty() ? Set.of(ALL) : Set.copyOf(new TreeSet<>(targets));
    }

    /** A pull request with normal priority that merges with a merge commit and affects everything. */
    public static PullRequest of(int number, String head) {
        return new PullRequest(number, head, Set.of(ALL), Priority.NORMAL, MergeMethod.MERGE);
    }

    /** True when this pull request and {@code other} affect a common target, so must be tested together. */
    public boolean overlaps(PullRequest other) {
        if (targets.contains(ALL) || other.targets.contains(ALL)) {
            return true;
        }
        for (String t : targets) {
            if (other.targets.contains(t)) {
                return true;
            }
        }
        return false;
    }

    /** This pull request with another priority. */
    public PullRequest withPriority(Priority p) {
        return new PullRequest(number, head, targets, p, method);
    }
}
