package dev.mainstay.reports.bundle;

/** A bundle that cannot be read as a whole: its message says what is wrong, and its kind how to answer. */
public final class BundleException extends Exception {

    /** What kind of wrong. */
    public enum Kind {
        /** Not a gzip-compressed tar archive, or a damaged one. */
        MALFORMED,
        /** Larger than a limit: the whole bundle, one file, or the number of files. */
        TOO_LARGE,
        /** A well-formed archive whose content is not an upload: metadata missing or invalid, links, no reports. */
        INVALID
    }

    private final Kind kind;

    public BundleException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public BundleException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
