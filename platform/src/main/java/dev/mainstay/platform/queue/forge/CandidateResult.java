package dev.mainstay.platform.queue.forge;

import java.util.Objects;

/** What building a candidate gave: its commit, or the pull request that does not apply. */
public sealed interface CandidateResult {

    /** The candidate branch points at {@code sha}, the base with every pull request applied. */
    record Built(String sha) implements CandidateResult {
        public Built {
            Objects.requireNonNull(sha, "sha");
        }
    }

    /** Pull request {@code pr} conflicts with the base and the pull requests before it; no candidate branch is left. */
    record Conflict(int pr) implements CandidateResult {
    }
}
