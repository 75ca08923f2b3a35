package dev.mainstay.platform.queue.forge;

/** The code host could not be reached or refused a call for a reason the queue does not handle; the action may be retried. */
public class ForgeException extends RuntimeException {

    private final int status;

    public ForgeException(String message, Throwable cause) {
        this(message, 0, cause);
    }

    public ForgeException(String message) {
        this(message, 0, null);
    }

    /** The code host answered with HTTP {@code status}. */
    public ForgeException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The code host's HTTP status when it answered and refused; 0 when it could not be reached. */
    public int status() {
        return status;
    }
}
