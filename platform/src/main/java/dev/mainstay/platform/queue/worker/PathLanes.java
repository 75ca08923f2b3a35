package dev.mainstay.platform.queue.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mainstay.queue.engine.PullRequest;
import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.PatternSyntaxException;

/**
 * Lanes from paths: each build target named with the path globs of the files it is built from, for
 * repositories whose CI posts no impacted targets. A pull request affects the targets one of whose
 * globs matches a file it changes; a file no glob matches, or a pull request whose files the code host
 * cannot list, affects everything ({@link PullRequest#ALL}), so such a pull request shares every lane.
 *
 * <p>Globs are the JDK's: {@code *} and {@code ?} within one path segment, {@code **} across segments,
 * {@code {a,b}} and {@code [a-z]}; paths are relative to the repository root, with {@code /}.
 * Written as a JSON object of target to globs, e.g. {@code {"web": ["web/**", "shared/ui/**"]}}, or on
 * the settings page as {@code web: web/**, shared/ui/**; api: api/**}.
 */
public final class PathLanes {

    /** No lanes from paths: every pull request without posted targets affects everything. */
    public static final PathLanes NONE = new PathLanes(Map.of(), Map.of());

    static final int MAX_TARGETS = 200;
    static final int MAX_GLOBS = 50;
    static final int MAX_GLOB = 300;

    private final Map<String, List<String>> globs;
    private final Map<String, List<PathMatcher>> matchers;

    /** {@code matchers} are {@code globs} compiled, as {@link #read} checked them. */
    private PathLanes(Map<String, List<String>> globs, Map<String, List<PathMatcher>> matchers) {
        this.globs = Collections.unmodifiableMap(globs);
        this.matchers = Collections.unmodifiableMap(matchers);
    }

    /** Each target's globs, in the order written. */
    public Map<String, List<String>> globs() {
        return globs;
    }

    public boolean isEmpty() {
        return globs.isEmpty();
    }

    /**
     * The targets a pull request changing {@code files} affects: those with a glob matching one of
     * them, or {@code [ALL]} when one matches no glob, there are no files, or they are unknown.
     */
    public Set<String> targets(Optional<List<String>> files) {
        if (files.isEmpty() || files.get().isEmpty()) {
            return Set.of(PullRequest.ALL);
        }
        Set<String> out = new TreeSet<>();
        for (String file : files.get()) {
            boolean matched = false;
            Path path;
            try {
                path = Path.of(file);
            } catch (InvalidPathException e) {
                return Set.of(PullRequest.ALL);
            }
            for (Map.Entry<String, List<PathMatcher>> lane : matchers.entrySet()) {
                if (lane.getValue().stream().anyMatch(m -> m.matches(path))) {
                    out.add(lane.getKey());
                    matched = true;
                }
            }
            if (!matched) {
                return Set.of(PullRequest.ALL);
            }
        }
        return out;
    }

    /**
     * Lanes as JSON writes them: an object of target name to a list of globs.
     *
     * @throws IllegalArgumentException naming the target or glob that is wrong
     */
    public static PathLanes read(JsonNode node) {
        if (!node.isObject() || node.size() > MAX_TARGETS) {
            throw new IllegalArgumentException("lanes must be an object of at most " + MAX_TARGETS
                + " targets, each with a list of path globs, e.g. {\"web\": [\"web/**\"]}");
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        Map<String, List<PathMatcher>> compiled = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> lane = it.next();
            String target = lane.getKey().strip();
            checkTarget(target);
            JsonNode list = lane.getValue();
            if (!list.isArray() || list.isEmpty() || list.size() > MAX_GLOBS) {
                throw new IllegalArgumentException("lanes: target '" + target + "' needs a list of 1 to " + MAX_GLOBS + " path globs");
            }
            List<String> globs = new ArrayList<>();
            List<PathMatcher> targetMatchers = new ArrayList<>();
            for (JsonNode glob : list) {
                if (!glob.isTextual()) {
                    throw new IllegalArgumentException("lanes: target '" + target + "': a glob is a string, not " + glob);
                }
                String text = glob.textValue().strip();
                targetMatchers.add(compile(target, text));
                globs.add(text);
            }
            out.put(target, List.copyOf(globs));
            compiled.put(target, List.copyOf(targetMatchers));
        }
        return new PathLanes(out, compiled);
    }

    /**
     * Lanes as the settings page writes them: {@code target: glob, glob; target: glob}.
     *
     * @throws IllegalArgumentException naming the part that is wrong
     */
    public static PathLanes parse(String text) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (String part : text.split(";")) {
            if (part.isBlank()) {
                continue;
            }
            int colon = part.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("lanes: '" + part.strip() + "' is not 'target: glob, glob'");
            }
            String target = part.substring(0, colon).strip();
            if (node.has(target)) {
                throw new IllegalArgumentException("lanes: target '" + target + "' is named twice");
            }
            var globs = node.putArray(target);
            splitGlobs(part.substring(colon + 1)).forEach(globs::add);
        }
        return read(node);
    }

    /** The comma-separated globs of {@code text}; a comma inside braces ({@code {a,b}}) belongs to its glob. */
    private static List<String> splitGlobs(String text) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int from = 0;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : ',';
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth = Math.max(0, depth - 1);
            } else if (c == ',' && (depth == 0 || i == text.length())) {
                String glob = text.substring(from, i).strip();
                if (!glob.isEmpty()) {
                    out.add(glob);
                }
                from = i + 1;
            }
        }
        return out;
    }

    /** The lanes as {@link #read} reads them. */
    public ObjectNode json() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        globs.forEach((target, list) -> list.forEach(out.putArray(target)::add));
        return out;
    }

    /** The lanes as {@link #parse} reads them. */
    public String text() {
        List<String> parts = new ArrayList<>();
        globs.forEach((target, list) -> parts.add(target + ": " + String.join(", ", list)));
        return String.join("; ", parts);
    }

    private static void checkTarget(String target) {
        if (!ImpactedTargets.isName(target) || target.contains(":") || target.contains(";")) {
            throw new IllegalArgumentException("lanes: a target's name is 1 to " + ImpactedTargets.MAX_NAME
                + " printable characters without ':' or ';', not '" + target + "'");
        }
    }

    /** {@code glob}, checked and compiled. */
    private static PathMatcher compile(String target, String glob) {
        if (glob.isEmpty() || glob.length() > MAX_GLOB || glob.chars().anyMatch(c -> c < 0x20) || glob.startsWith("/")
            || glob.contains(";")) {
            throw new IllegalArgumentException("lanes: target '" + target + "': a glob is 1 to " + MAX_GLOB
                + " printable characters, relative to the repository root, without ';', not " + glob);
        }
        try {
            return FileSystems.getDefault().getPathMatcher("glob:" + glob);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("lanes: target '" + target + "': '" + glob + "' is not a glob: " + e.getDescription(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PathLanes other && globs.equals(other.globs);
    }

    @Override
    public int hashCode() {
        return globs.hashCode();
    }

    @Override
    public String toString() {
        return "PathLanes" + globs;
    }
}
