package dev.mainstay.cli.command;

/**
 * How a command ended, as the process's exit status. The numbers are part of the CLI's contract
 * (CI scripts branch on them) and are listed by {@code mainstay help} and in the README.
 */
public enum ExitCode {
    /** Uploaded, or the dry-run bundle was written, or every report parsed. */
    OK(0, "uploaded (or the dry-run bundle written); validate/summarize: every report parsed; queue enqueue/cancel/targets: done"),
    /**
     * A report is invalid: found locally, or refused by the appliance with 422; or a history, labels or config file is; or a
     * queue scenario file is.
     */
    INVALID_REPORT(1, "a report is invalid (found locally, or refused by the appliance with 422); flaky: a history, labels or config "
        + "file is; queue simulate: the scenario file is"),
    /** The command line is wrong, or it asks for something this machine cannot do. */
    USAGE(2, "usage error: unknown option, missing --url or token, no file matched a pattern, --xcresult off macOS"),
    /** The appliance could not be reached, kept failing after the retries, or answered unexpectedly. */
    UNREACHABLE(3, "the appliance could not be reached, kept failing after the retries, or answered unexpectedly"),
    /** The appliance refused the token (401 or 403). */
    TOKEN_REFUSED(4, "the token was refused (401, 403); queue enqueue/cancel: or GitHub says its admin may not push to the repository"),
    /** The appliance refused the bundle as too large (413). */
    TOO_LARGE(5, "the bundle is too large for the appliance (413)"),
    /** queue enqueue/cancel/targets: the appliance refused the request (404, 409, 422). */
    REFUSED(6, "queue enqueue/cancel/targets: refused (no such repository or pull request, it cannot be queued, or the targets are invalid)");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    /** The process exit status. */
    public int code() {
        return code;
    }

    /** One line for the help text. */
    public String meaning() {
        return meaning;
    }
}
