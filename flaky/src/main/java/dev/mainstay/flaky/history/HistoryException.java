package dev.mainstay.flaky.history;

/** A history or labels file that cannot be read: the message names the line and what is wrong with it. */
public final class HistoryException extends Exception {

    private final long line;

    public HistoryException(long line, String problem) {
        super("line " + line + ": " + problem);
        this.line = line;
    }

    /** The 1-based line the problem is on. */
    public long line() {
        return line;
    }
}
