package dev.mainstay.platform.queue.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mainstay.queue.engine.PullRequest;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Lanes by path: a pull request's targets from the files it changes, and everything where that is not known. */
class PathLanesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PathLanes lanes = PathLanes.parse("web: web/**, shared/{ui,icons}/**; api: api/**, shared/proto/*.proto; docs: *.md, docs/**");

    @Test
    void a_pull_request_affects_the_targets_whose_globs_match_its_files() {
        assertEquals(Set.of("web"), targets("web/src/app.ts", "shared/icons/x.svg"));
        assertEquals(Set.of("api", "web"), targets("api/server/Main.java", "shared/ui/button.css"));
        assertEquals(Set.of("api"), targets("shared/proto/queue.proto"));
        assertEquals(Set.of("docs"), targets("README.md"), "'*' matches within the root only");
        assertEquals(Set.of(PullRequest.ALL), targets("web/a.ts", "shared/proto/v1/queue.proto"), "'*' does not cross a '/'");
        assertEquals(Set.of(PullRequest.ALL), targets("build.gradle"), "a file no glob matches: every lane");
        assertEquals(Set.of(PullRequest.ALL), lanes.targets(Optional.empty()), "files the code host cannot list: every lane");
        assertEquals(Set.of(PullRequest.ALL), lanes.targets(Optional.of(List.of())));
    }

    @Test
    void the_text_and_json_forms_read_back_as_themselves() throws Exception {
        assertEquals("web: web/**, shared/{ui,icons}/**; api: api/**, shared/proto/*.proto; docs: *.md, docs/**", lanes.text(),
            "a comma inside braces belongs to its glob");
        assertEquals(lanes, PathLanes.parse(lanes.text()));
        assertEquals(lanes, PathLanes.read(lanes.json()));
        assertEquals("{\"api\":[\"api/**\"]}", PathLanes.parse(" api :  api/** ,, ; ").json().toString());
        assertTrue(PathLanes.parse("  ").isEmpty());
    }

    @Test
    void each_mistake_is_named() {
        assertProblem("web", "'web' is not 'target: glob, glob'");
        assertProblem("web: a/**; web: b/**", "target 'web' is named twice");
        assertProblem("web: ", "target 'web' needs a list of 1 to 50 path globs");
        assertProblem(": a/**", "a target's name is 1 to 300 printable characters");
        assertProblem("web: /abs/**", "relative to the repository root");
        assertProblem("web: web/[a", "'web/[a' is not a glob");
        assertJsonProblem("[\"web/**\"]", "lanes must be an object");
        assertJsonProblem("{\"web\": \"web/**\"}", "target 'web' needs a list");
        assertJsonProblem("{\"web\": [3]}", "a glob is a string, not 3");
    }

    private Set<String> targets(String... files) {
        return lanes.targets(Optional.of(List.of(files)));
    }

    private static void assertProblem(String text, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PathLanes.parse(text));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    private static void assertJsonProblem(String json, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PathLanes.read(JSON.readTree(json)));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
