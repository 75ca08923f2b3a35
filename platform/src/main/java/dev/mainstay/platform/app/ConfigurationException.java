package dev.mainstay.platform.app;

/** The configuration cannot be used; the message names the key and what is wrong with it. */
public final class ConfigurationException extends RuntimeException {

    /** Creates the exception with a message that names the key. */
    public ConfigurationException(String message) {
        super(message);
    }
}
