package dev.mainstay.platform.identity;

import java.io.Serial;

/** The Keycloak admin API could not be reached, refused the admin account, or refused a change. */
public class KeycloakAdminException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    KeycloakAdminException(String message) {
        super(message);
    }

    KeycloakAdminException(String message, Throwable cause) {
        super(message, cause);
    }
}
