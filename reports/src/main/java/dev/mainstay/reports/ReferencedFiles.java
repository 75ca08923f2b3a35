package dev.mainstay.reports;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Optional;

/**
 * Opens the files a report refers to, such as the {@code test.xml} of each Bazel test attempt. The
 * server answers only from the files of the same upload, never from its own disk; the CLI
 * answers from the runner's disk and puts what it found into the upload.
 */
@FunctionalInterface
public interface ReferencedFiles {

    /** Refers nowhere: every reference is unavailable. */
    ReferencedFiles NONE = uri -> Optional.empty();

    /** The content of the file at {@code uri}, or empty when it is not available here. */
    Optional<InputStream> open(URI uri) throws IOException;
}
