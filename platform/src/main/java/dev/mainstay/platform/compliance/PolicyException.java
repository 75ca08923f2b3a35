package dev.mainstay.platform.compliance;

import java.io.Serial;

/** A policy file that cannot be used; the message names the file and line. */
public class PolicyException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    public PolicyException(String message) {
        super(message);
    }

    public PolicyException(String message, Throwable cause) {
        super(message, cause);
    }
}
