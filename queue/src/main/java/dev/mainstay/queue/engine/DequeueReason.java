package dev.mainstay.queue.engine;

/** Why a pull request left the queue without merging: machine-readable, on every dequeue. */
public enum DequeueReason {
    /** Its change failed the required checks: alone, or as the last half of a bisected batch. */
    CHECKS_FAILED,
    /** A batch failed and bisection is turned off: every pull request in it leaves. */
    BATCH_FAILED,
    /** Its changes cannot be combined with the target branch or a pull request ahead of it. */
    MERGE_CONFLICT,
    /** New commits were pushed to it; it must be enqueued again to be tested at the new head. */
    UPDATED,
    /** It was closed. */
    CLOSED,
    /** Someone removed it from the queue. */
    REMOVED,
    /** The target branch refused the merge of its candidate {@value MergeQueue#MERGE_ATTEMPTS} times. */
    MERGE_REFUSED,
    /** It was enqueued again after it had merged. */
    ALREADY_MERGED
}
