package dev.mainstay.queue.engine;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/** What happens to a queue: from people, from the code host, from CI, from flaky-test detection, or time passing. */
public sealed interface QueueEvent {

    /** A pull request joins the queue. Enqueuing one already queued at the same head does nothing. */
    record Enqueue(PullRequest pr) implements QueueEvent {
        public Enqueue {
            Objects.requireNonNull(pr, "pr");
        }
    }

    /** Someone removes a pull request from the queue. */
    record Remove(int pr) implements QueueEvent {
    }

    /** A queued pull request's priority changes. */
    record ChangePriority(int pr, Priority priority) implements QueueEvent {
        public ChangePriority {
            Objects.requireNonNull(priority, "priority");
        }
    }

    /** Commits were pushed to a pull request: it leaves the queue, since what was tested is no longer what it holds. */
    record PullRequestUpdated(int pr, String head) implements QueueEvent {
    }

    /** A pull request was closed. */
    record PullRequestClosed(int pr) implements QueueEvent {
    }

    /** The executor built a candidate's commit and started its test. */
    record CandidateBuilt(long run, String sha) implements QueueEvent {
        public CandidateBuilt {
            Objects.requireNonNull(sha, "sha");
        }
    }

    /** The executor could not build a candidate: {@code pr} does not apply on top of what is before it. */
    record CandidateConflict(long run, int pr) implements QueueEvent {
    }

    /**
     * A candidate's required checks finished.
     *
     * @param failingTests the tests that failed, when the checks report them (empty when unknown)
     */
    record TestFinished(long run, boolean passed, List<String> failingTests) implements QueueEvent {
        public TestFinished {
            failingTests = List.copyOf(failingTests);
        }
    }

    /**
     * The merge of {@code run} landed: the target branch is at {@code target}, the candidate's own commit after a
     * fast-forward, or the commit that merged it into a target another lane had moved.
     */
    record Merged(long run, String target) implements QueueEvent {
        public Merged {
            Objects.requireNonNull(target, "target");
        }
    }

    /** The code host refused to move the target branch to the candidate's commit. */
    record MergeRefused(long run, String why) implements QueueEvent {
    }

    /** The target branch is at {@code sha}: a push from outside the queue invalidates every test. */
    record TargetMoved(String sha) implements QueueEvent {
        public TargetMoved {
            Objects.requireNonNull(sha, "sha");
        }
    }

    /** Flaky-test detection's verdicts changed: these tests are now known flaky, those no longer. */
    record FlakinessChanged(Set<String> flaky, Set<String> notFlaky) implements QueueEvent {
        public FlakinessChanged {
            flaky = Set.copyOf(flaky);
            notFlaky = Set.copyOf(notFlaky);
        }
    }

    /** No test starts and nothing merges until {@link Resume}; tests running go on and their results are kept. */
    record Pause(String why) implements QueueEvent {
    }

    /** What is queued now is tested and merged; pull requests enqueued from now wait until {@link Resume}. */
    record Drain() implements QueueEvent {
    }

    /** Ends a pause or a drain. */
    record Resume() implements QueueEvent {
    }

    /** Time passed: test timeouts and batch waits are checked. */
    record Tick() implements QueueEvent {
    }
}
