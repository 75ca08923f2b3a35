package dev.mainstay.cli.upload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportPatternsTest {

    @TempDir
    Path dir;

    @BeforeEach
    void aMultiModuleBuild() throws IOException {
        for (String f : List.of("TEST-root.xml", "api/target/surefire-reports/TEST-a.ApiTest.xml",
            "api/target/surefire-reports/TEST-a.ApiIT.txt", "web/build/test-results/test/TEST-b.WebTest.xml",
            "web/build/test-results/test/binary/output.bin", ".git/TEST-not-a-report.xml", "rspec.json")) {
            Path p = dir.resolve(f);
            Files.createDirectories(p.getParent());
            Files.writeString(p, "<testsuite/>");
        }
    }

    private List<String> expand(String pattern) throws IOException {
        return ReportPatterns.expand(dir, pattern).stream().map(p -> dir.relativize(p).toString()).toList();
    }

    @Test
    void double_star_crosses_folders_and_also_matches_none() throws IOException {
        assertEquals(List.of("TEST-root.xml", "api/target/surefire-reports/TEST-a.ApiTest.xml", "web/build/test-results/test/TEST-b.WebTest.xml"),
            expand("**/TEST-*.xml"));
    }

    @Test
    void a_single_star_stays_in_its_folder() throws IOException {
        assertEquals(List.of("TEST-root.xml"), expand("*.xml"));
        assertEquals(List.of("api/target/surefire-reports/TEST-a.ApiTest.xml"), expand("*/target/surefire-reports/*.xml"));
    }

    @Test
    void the_walk_starts_below_the_literal_folders_of_the_pattern() throws IOException {
        assertEquals(List.of("web/build/test-results/test/TEST-b.WebTest.xml"), expand("web/build/**/*.xml"));
        assertEquals(List.of(), expand("nowhere/**/*.xml"));
    }

    @Test
    void braces_choose_among_alternatives() throws IOException {
        assertEquals(List.of("TEST-root.xml", "rspec.json"), expand("{TEST-root.xml,*.json}"));
    }

    @Test
    void a_path_without_wildcards_is_that_file_when_it_exists() throws IOException {
        assertEquals(List.of("rspec.json"), expand("rspec.json"));
        assertEquals(List.of("api/target/surefire-reports/TEST-a.ApiTest.xml"), expand("./api/target/surefire-reports/TEST-a.ApiTest.xml"));
        assertEquals(List.of(), expand("missing.json"));
        assertEquals(List.of(), expand("api"), "a folder is not a report");
    }

    @Test
    void an_absolute_pattern_is_searched_where_it_says() throws IOException {
        assertEquals(List.of("web/build/test-results/test/TEST-b.WebTest.xml"), expand(dir.resolve("web") + "/**/TEST-*.xml"));
    }

    @Test
    void every_double_star_folder_may_match_no_folder() {
        assertEquals(Set.of("**/a/**/b", "a/**/b", "**/a/b", "a/b"), ReportPatterns.withoutDoubleStarFolders("**/a/**/b"));
        assertEquals(Set.of("x/**"), ReportPatterns.withoutDoubleStarFolders("x/**"));
    }

    @Test
    void bundle_names_are_relative_to_the_working_directory_and_stay_clear_of_reserved_names() {
        assertEquals("web/TEST-b.xml", RequestedReport.bundleName(dir, dir.resolve("web/TEST-b.xml")));
        assertEquals("tmp/out/TEST-c.xml", RequestedReport.bundleName(dir, Path.of("/tmp/out/TEST-c.xml")));
        assertEquals("reports/mainstay.json", RequestedReport.bundleName(dir, dir.resolve("mainstay.json")));
        assertEquals("reports/referenced/x.xml", RequestedReport.bundleName(dir, dir.resolve("referenced/x.xml")));
    }
}
