package dev.mainstay.reports.bazel;

import dev.mainstay.reports.ReferencedFiles;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Test fixture: answers {@code file:} URIs of regular files under one directory, as the CLI
 * answers from a runner's disk, and remembers every URI it was asked for. Anything else is
 * unavailable. Main code has no such thing: the server answers only from an upload's files.
 */
final class DirectoryFiles implements ReferencedFiles {

    private final Path root;
    private final List<URI> asked = new ArrayList<>();

    DirectoryFiles(Path root) throws IOException {
        this.root = root.toRealPath();
    }

    @Override
    public Optional<InputStream> open(URI uri) throws IOException {
        asked.add(uri);
        if (!"file".equals(uri.getScheme())) {
            return Optional.empty();
        }
        Path path;
        try {
            path = Path.of(uri).normalize();
        } catch (IllegalArgumentException | FileSystemNotFoundException e) {
            return Optional.empty();
        }
        if (!path.startsWith(root) || !Files.isRegularFile(path)) {
            return Optional.empty();
        }
        return Optional.of(Files.newInputStream(path));
    }

    /** The URIs asked for so far, in order. */
    List<URI> asked() {
        return List.copyOf(asked);
    }

    /** Copies the test resource {@code name} (beside this class) into {@code dir}; returns its {@code file:} URI. */
    static String copy(String name, Path dir) throws IOException {
        Path target = dir.resolve(name);
        try (InputStream in = DirectoryFiles.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + name + " beside " + DirectoryFiles.class.getName());
            }
            Files.copy(in, target);
        }
        return target.toUri().toString();
    }
}
