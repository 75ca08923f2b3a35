package dev.mainstay.cli.upload;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Expands the patterns given to {@code --junit} and its siblings into files, the way
 * {@link java.nio.file.FileSystem#getPathMatcher PathMatcher} globs do: {@code *} and {@code ?}
 * within one folder, {@code **} across folders, {@code {a,b}} and {@code [ab]}. Two choices on top:
 * {@code **}{@code /} also matches no folder at all ({@code **}{@code /TEST-*.xml} finds
 * {@code TEST-a.xml} beside you too, as in Gradle and .gitignore), and the walk starts at the
 * pattern's literal folders ({@code build/test-results/**} walks only {@code build/test-results})
 * and never enters {@code .git}. A pattern without wildcards is a path.
 */
final class ReportPatterns {

    private ReportPatterns() {
    }

    /** The regular files {@code pattern} matches, relative to {@code base} unless absolute, sorted. */
    static List<Path> expand(Path base, String pattern) throws IOException {
        String p = pattern.replace('\\', '/');
        if (!hasWildcard(p)) {
            Path file = base.resolve(p).normalize();
            return Files.isRegularFile(file) ? List.of(file) : List.of();
        }
        String[] segments = p.split("/", -1);
        int literal = 0;
        while (literal < segments.length - 1 && !hasWildcard(segments[literal])) {
            literal++;
        }
        String root = String.join("/", java.util.Arrays.copyOfRange(segments, 0, literal));
        Path start = root.isEmpty() && p.startsWith("/") ? Path.of("/") : base.resolve(root.isEmpty() ? "." : root).normalize();
        if (!Files.isDirectory(start)) {
            return List.of();
        }
        List<PathMatcher> matchers = new ArrayList<>();
        for (String variant : withoutDoubleStarFolders(String.join("/", java.util.Arrays.copyOfRange(segments, literal, segments.length)))) {
            matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + variant));
        }
        List<Path> found = new ArrayList<>();
        Files.walkFileTree(start, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return dir.getFileName() != null && dir.getFileName().toString().equals(".git") ? FileVisitResult.SKIP_SUBTREE
                    : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                Path relative = start.relativize(file);
                if (attrs.isRegularFile() && matchers.stream().anyMatch(m -> m.matches(relative))) {
                    found.add(file.normalize());
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
        found.sort(null);
        return found;
    }

    private static boolean hasWildcard(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('{') >= 0;
    }

    /** {@code glob} and every variant of it with some {@code **}{@code /} folders left out: {@code a/**}{@code /b} also as {@code a/b}. */
    static Set<String> withoutDoubleStarFolders(String glob) {
        Set<String> variants = new LinkedHashSet<>();
        int at = glob.startsWith("**/") ? 0 : glob.indexOf("/**/");
        if (at < 0) {
            variants.add(glob);
            return variants;
        }
        int cut = at == 0 ? 0 : at + 1;
        String head = glob.substring(0, cut);
        for (String tail : withoutDoubleStarFolders(glob.substring(cut + 3))) {
            variants.add(head + "**/" + tail);
            variants.add(head + tail);
        }
        return variants;
    }
}
