package dev.mainstay.queue.engine;

import java.util.List;

/** What the engine asks the executor to do. The executor reports back with {@link QueueEvent}s. */
public sealed interface Decision {

    /**
     * Build a commit of {@code base} with {@code prs} applied in order (each by its merge method) and run the
     * required checks on it. Its result comes back as {@link QueueEvent.TestFinished} with the same run.
     */
    record StartTest(long run, String base, List<PullRequest> prs) implements Decision {
        public StartTest {
            prs = List.copyOf(prs);
        }

        /** The numbers of the pull requests tested, in order. */
        public List<Integer> numbers() {
            return prs.stream().map(PullRequest::number).toList();
        }
    }

    /** Stop the test of {@code run}: its result no longer matters. */
    record CancelTest(long run, String why) implements Decision {
    }

    /**
     * Move the target branch to {@code sha}, the commit {@code run} built and that passed. When
     * {@code fastForward} is false the target moved meanwhile, through another lane's merge that
     * touched none of these targets, and the executor merges {@code sha} into it instead.
     */
    record Merge(long run, String sha, List<Integer> prs, boolean fastForward) implements Decision {
        public Merge {
            prs = List.copyOf(prs);
        }
    }

    /**
     * {@code pr} leaves the queue without merging.
     *
     * @param head         the commit it was queued at
     * @param failingTests the tests that failed in the test that decided it (empty when no test did)
     */
    record Dequeue(int pr, String head, DequeueReason reason, String detail, List<String> failingTests) implements Decision {
        public Dequeue {
            failingTests = failingTests == null ? List.of() : List.copyOf(failingTests);
        }
    }

    /**
     * Tell the pull request's author where it stands.
     *
     * @param head the commit it was queued at
     */
    record UpdateStatus(int pr, String head, Status status, String detail) implements Decision {
    }

    /** The queue drained: every pull request queued before the drain merged or left. */
    record Drained() implements Decision {
    }

    /** Where a pull request stands. */
    enum Status {
        QUEUED, TESTING, MERGED
    }
}
