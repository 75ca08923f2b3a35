package dev.mainstay.platform.crypto;

import java.io.Serial;

/** The key-encryption key cannot be loaded: the message names the file or setting and what is wrong. */
public class KeyMaterialException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    KeyMaterialException(String message) {
        super(message);
    }

    KeyMaterialException(String message, Throwable cause) {
        super(message, cause);
    }
}
