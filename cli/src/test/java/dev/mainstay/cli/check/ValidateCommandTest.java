package dev.mainstay.cli.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mainstay.cli.CliRun;
import dev.mainstay.cli.Corpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mainstay validate}: one line per file, {@code ok} with counts or {@code FAIL} with file, line and problem. */
class ValidateCommandTest {

    @TempDir
    Path dir;

    @BeforeEach
    void aBuildWithGoodAndBadReports() throws IOException {
        Files.createDirectories(dir.resolve("build"));
        Files.copy(Corpus.file("junit/dorny/jest-junit.xml"), dir.resolve("build/TEST-a.xml"));
        Files.writeString(dir.resolve("build/TEST-b.xml"), """
            <?xml version="1.0"?>
            <!DOCTYPE testsuite [<!ENTITY x "y">]>
            <testsuite name="b"><testcase name="t"/></testsuite>
            """);
        Files.writeString(dir.resolve("build/empty.xml"), "");
    }

    @Test
    void every_file_that_parses_exits_0() {
        CliRun.Result r = CliRun.in(dir).run("validate", "build/TEST-a.xml");
        assertEquals(0, r.code(), r.both());
        assertEquals("ok   build/TEST-a.xml: junit, 6 cases (1 passed, 4 failed, 0 errors, 1 skipped), 6 attempts\n", r.out());
    }

    @Test
    void each_file_is_reported_and_one_that_fails_makes_exit_1() {
        CliRun.Result r = CliRun.in(dir).run("validate", "build/TEST-a.xml", "build/TEST-b.xml", "build/empty.xml", "build/missing.xml",
            "build");
        assertEquals(1, r.code(), r.both());
        assertEquals("""
            ok   build/TEST-a.xml: junit, 6 cases (1 passed, 4 failed, 0 errors, 1 skipped), 6 attempts
            FAIL build/TEST-b.xml:2: a DOCTYPE is not accepted (JUnit reports never need one, and it could define entities)
            FAIL build/empty.xml: is empty
            FAIL build/missing.xml: no such file
            FAIL build: is a directory, not a report file
            """, r.out());
        assertEquals("", r.err());
    }

    @Test
    void no_file_or_an_unknown_option_is_a_usage_error() {
        CliRun.Result none = CliRun.in(dir).run("validate");
        assertEquals(2, none.code());
        assertEquals("mainstay: name at least one report file\nmainstay: see 'mainstay help validate'\n", none.err());
        CliRun.Result option = CliRun.in(dir).run("validate", "--strict", "build/TEST-a.xml");
        assertEquals(2, option.code());
        assertEquals("mainstay: unknown option --strict for 'mainstay validate'\nmainstay: see 'mainstay help validate'\n", option.err());
    }
}
