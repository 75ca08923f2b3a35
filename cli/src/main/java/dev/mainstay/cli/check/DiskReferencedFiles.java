package dev.mainstay.cli.check;

import dev.mainstay.reports.ReferencedFiles;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Answers a report's {@code file://} references (a Bazel test attempt's {@code test.xml}) from
 * this machine's disk, as the runner that wrote them left them, and remembers which it opened so
 * that the upload can carry them. Other schemes and missing files are unavailable.
 */
public final class DiskReferencedFiles implements ReferencedFiles {

    private final Set<URI> opened = new LinkedHashSet<>();

    @Override
    public Optional<InputStream> open(URI uri) throws IOException {
        if (!"file".equalsIgnoreCase(uri.getScheme()) || uri.getPath() == null) {
            return Optional.empty();
        }
        Path path = Path.of(uri.getPath());
        if (!Files.isRegularFile(path)) {
            return Optional.empty();
        }
        InputStream in = Files.newInputStream(path);
        opened.add(uri);
        return Optional.of(in);
    }

    /** The URIs opened so far, in the order first opened. */
    public List<URI> opened() {
        return List.copyOf(opened);
    }
}
