package dev.mainstay.queue.engine;

/**
 * How urgently a pull request should merge. {@link #URGENT} goes to the front of the queue and
 * interrupts the tests running behind it; the other levels only reorder what is still waiting, so
 * no test already running is restarted for them.
 */
public enum Priority {
    URGENT, HIGH, NORMAL, LOW
}
