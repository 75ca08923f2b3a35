package dev.mainstay.cli.command;

/**
 * The command line cannot be carried out as written: an unknown option, a missing value, a
 * pattern that matched nothing. Its message says what to change; the command exits with
 * {@link ExitCode#USAGE}.
 */
public final class UsageException extends Exception {

    public UsageException(String message) {
        super(message);
    }
}
