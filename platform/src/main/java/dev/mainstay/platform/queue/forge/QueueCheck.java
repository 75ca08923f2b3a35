package dev.mainstay.platform.queue.forge;

import java.util.Objects;

/**
 * The merge queue's check run on a pull request: where it stands, shown to its author.
 *
 * @param state    its state in the queue
 * @param position its place in the queue, 1 first; 0 when it is not waiting
 * @param detail   one line on why, e.g. the reason it left the queue
 */
public record QueueCheck(State state, int position, String detail) {

    /** The check run's name on GitHub. */
    public static final String NAME = "Mainstay merge queue";

    /** A pull request's state in the queue, as its check run shows it. */
    public enum State {
        /** Waiting: the check run is queued. */
        QUEUED,
        /** In a candidate that CI is testing: in progress. */
        TESTING,
        /** Landed: completed, success. */
        MERGED,
        /** Left the queue without landing: completed, failure. */
        REMOVED
    }

    public QueueCheck {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(detail, "detail");
        if (position < 0) {
            throw new IllegalArgumentException("a queue position is 0 (not waiting) or more: " + position);
        }
    }

    /** The check run's title. */
    public String title() {
        return switch (state) {
            case QUEUED -> position > 0 ? "Queued: position " + position : "Queued";
            case TESTING -> "Testing";
            case MERGED -> "Merged";
            case REMOVED -> "Removed from the queue";
        };
    }
}
