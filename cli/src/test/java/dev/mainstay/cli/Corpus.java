package dev.mainstay.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The shared corpus of real reports ({@code ../shared/corpus/reports} beside the checkout; the
 * build passes its place as {@code mainstay.corpus}), as the reports module's tests use it.
 */
public final class Corpus {

    public static final Path ROOT = root();

    private Corpus() {
    }

    private static Path root() {
        Path corpus = Path.of(System.getProperty("mainstay.corpus", Path.of("..", "..", "shared", "corpus").toString()));
        Path reports = corpus.resolve("reports").toAbsolutePath().normalize();
        if (!Files.isDirectory(reports)) {
            throw new IllegalStateException("the corpus of real reports is not at " + reports
                + "; it is ../shared/corpus beside the checkout, or pass -Dmainstay.corpus=DIR");
        }
        return reports;
    }

    /** A corpus file, e.g. {@code junit/dorny/jest-junit.xml}. */
    public static Path file(String relative) {
        return ROOT.resolve(relative);
    }

    /** Every report file of the corpus, relative to its root, sorted. */
    public static List<String> all() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT)) {
            return files.filter(Files::isRegularFile).map(f -> ROOT.relativize(f).toString().replace('\\', '/')).sorted().toList();
        }
    }
}
