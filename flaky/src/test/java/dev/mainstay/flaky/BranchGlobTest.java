package dev.mainstay.flaky;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BranchGlobTest {

    @ParameterizedTest
    @CsvSource({
        "main, main, true",
        "main, main2, false",
        "release/*, release/1.2, true",
        "release/*, release/1.2/hotfix, false",
        "release/**, release/1.2/hotfix, true",
        "release-*, release-7, true",
        "release-*, release/7, false",
        "v?.x, v1.x, true",
        "v?.x, v/.x, false",
        "**, any/thing, true",
    })
    void globs_match_as_documented(String glob, String branch, boolean matches) {
        assertEquals(matches, BranchGlob.matches(glob, branch), glob + " ~ " + branch);
    }
}
