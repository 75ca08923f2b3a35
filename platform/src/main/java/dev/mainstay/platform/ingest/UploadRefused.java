package dev.mainstay.platform.ingest;

import dev.mainstay.reports.bundle.UploadMetadata;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An upload refused for what it is, not for a fault of the appliance: the answer's status, a
 * title and a detail naming what is wrong, and where in which report when a report is at fault.
 * Thrown inside the upload's transaction, which it rolls back.
 */
public final class UploadRefused extends RuntimeException {

    private final int status;
    private final String title;
    private final Optional<String> file;
    private final OptionalLong line;
    private transient UploadMetadata metadata;

    UploadRefused(int status, String title, String detail) {
        this(status, title, detail, Optional.empty(), OptionalLong.empty());
    }

    UploadRefused(int status, String title, String detail, Optional<String> file, OptionalLong line) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.file = file;
        this.line = line;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    /** What the refused upload said it was about, when its metadata was read before the refusal. */
    public Optional<UploadMetadata> metadata() {
        return Optional.ofNullable(metadata);
    }

    UploadRefused about(UploadMetadata about) {
        if (metadata == null) {
            metadata = about;
        }
        return this;
    }

    /** The report at fault, when one is. */
    public Optional<String> file() {
        return file;
    }

    /** The line in it, when known. */
    public OptionalLong line() {
        return line;
    }
}
