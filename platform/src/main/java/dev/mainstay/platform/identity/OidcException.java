package dev.mainstay.platform.identity;

import java.io.Serial;

/** Keycloak could not be reached, or answered with something Mainstay must not trust. */
public class OidcException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    OidcException(String message) {
        super(message);
    }

    OidcException(String message, Throwable cause) {
        super(message, cause);
    }
}
