package dev.mainstay.platform.queue.forge;

/** The code host could not be reached or refused a call for a reason the queue does not handle; the action may be retried. */
public class ForgeException extends RuntimeException {

    public ForgeException(String message, Throwable cause) {
        super(message, cause);
    }

    public ForgeException(String message) {
        super(message);
    }
}
