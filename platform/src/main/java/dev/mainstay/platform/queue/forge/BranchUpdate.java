package dev.mainstay.platform.queue.forge;

import java.util.Objects;

/** What moving a branch gave. */
public sealed interface BranchUpdate {

    /** The branch is now at {@code sha}. */
    record Updated(String sha) implements BranchUpdate {
        public Updated {
            Objects.requireNonNull(sha, "sha");
        }
    }

    /** The branch was not where it was expected: it is at {@code actualSha}, untouched. */
    record Moved(String actualSha) implements BranchUpdate {
    }

    /** The tested commit does not merge cleanly into the branch; the branch is untouched. */
    record Conflict() implements BranchUpdate {
    }
}
