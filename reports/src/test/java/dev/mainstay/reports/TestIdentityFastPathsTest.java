package dev.mainstay.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link TestIdentity}'s fast paths (an upload's parts normalised once, plain ASCII texts left as
 * they are, names without {@code @} or {@code 0x} not masked, a digest cloned with the scheme
 * read) give exactly the identities and ids of the rules as first written
 * ({@link TestIdentityAsFirstWritten}): over every execution in the corpus, over made-up
 * executions built from what each rule treats specially, and for every UTF-16 code unit.
 */
class TestIdentityFastPathsTest {

    /** Orgs, repositories and upload variants, as the upload gives them: plain, with whitespace, Unicode, empty. */
    private static final List<List<String>> UPLOADS = List.of(List.of("acme", "acme/shop", ""), List.of("acme", "acme/shop", "linux-jdk21"),
        List.of(" acme\t", "group/sub/shop", " linux  jdk21 "), List.of("caf\u00e9", "cafe\u0301/na\u00efve", "x\u00A0y"),
        List.of("acme", "shop", "/"), List.of("acme", "acme/", ""));

    /** Pieces of made-up texts: whitespace of every kind, Unicode to normalise, path spellings, hashes and addresses. */
    private static final List<String> PIECES = List.of("a", "Z", "0", "x", "Test", ".", "-", "_", "~", "\u007F", "[1]", "(String, int)",
        " ", "  ", "\t", "\n", "\r\n", "\u000B", "\f", "\u001C", "\u001F", "\u0000", "\u0085", "\u00A0", "\u1680", "\u2007", "\u2003",
        "\u2028", "\u2029", "\u202F", "\u205F", "\u3000", "\u200B", "\uFEFF", "e\u0301", "\u00e9", "\u212B", "\u1E9B\u0323", "\uFB01",
        "\uD83D\uDE00", "\uD800", "\uDC00", "\u203A", " \u203A ", "/", "//", "///", "\\", "\\\\", "./", "../", "C:", "c:/", "C:\\",
        "shop", "/shop/", "shop/", "/sub/", "acme", "@", "@1b6d3586", "@ABCDEF0123456789", "@12345", "0x", "0x7f3a2c1b5e80", "0X7F3A2C1B",
        "0x12345", "0x7f3a2c1b5e80g", "@cafe\u0301");

    private static TestExecution execution(String file, List<String> suites, String classname, String name, String variant) {
        return new TestExecution("r.xml", file, classname, suites, name, variant, TestStatus.PASSED, 1, Duration.ZERO, "", "", "", "",
            Optional.empty());
    }

    /** Checks {@code executions} under every upload in {@link #UPLOADS}, one {@link TestIdentity.Upload} reused for all of them. */
    private static void assertSameAsFirstWritten(List<TestExecution> executions) {
        for (List<String> upload : UPLOADS) {
            TestIdentity.Upload identities = new TestIdentity.Upload(upload.get(0), upload.get(1), upload.get(2));
            for (TestExecution e : executions) {
                TestIdentity expected = TestIdentityAsFirstWritten.of(upload.get(0), upload.get(1), e, upload.get(2));
                TestIdentity once = TestIdentity.of(upload.get(0), upload.get(1), e, upload.get(2));
                TestIdentity reused = identities.of(e);
                assertEquals(expected, once, () -> e + " in " + upload);
                assertEquals(expected, reused, () -> e + " in " + upload + ", the upload's parts normalised once");
                assertEquals(TestIdentityAsFirstWritten.id(expected), reused.id(), () -> e + " in " + upload);
            }
        }
    }

    @Test
    void every_corpus_execution_has_the_identity_and_id_the_rules_as_first_written_give() throws IOException {
        List<TestExecution> executions = new ArrayList<>();
        try (var files = Files.walk(Corpus.ROOT)) {
            for (Path file : files.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith(".md")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    Reports.parse(file.getFileName().toString(), in, ParseLimits.DEFAULT, ReferencedFiles.NONE, executions::add);
                } catch (ReportException unreadable) {
                    // The rejected files of the corpus have no executions to compare.
                }
            }
        }
        assertTrue(executions.size() > 1000, "the corpus has executions of all formats: " + executions.size());
        assertSameAsFirstWritten(executions);
    }

    @Test
    void made_up_executions_with_odd_whitespace_unicode_paths_and_hashes_have_the_same_identities_and_ids() {
        Random random = new Random(20261123);
        List<TestExecution> executions = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            String classname = text(random);
            List<String> suites = new ArrayList<>();
            for (int s = random.nextInt(4); s > 0; s--) {
                // Surefire's suite is its class; nested suites repeat, are empty, or differ only in whitespace.
                suites.add(switch (random.nextInt(4)) {
                    case 0 -> classname;
                    case 1 -> suites.isEmpty() ? "" : suites.getLast();
                    case 2 -> " " + classname + "\t";
                    default -> text(random);
                });
            }
            executions.add(execution(text(random), suites, classname, text(random), random.nextInt(4) == 0 ? text(random) : ""));
        }
        assertSameAsFirstWritten(executions);
    }

    @Test
    void every_utf16_code_unit_alone_and_among_text_and_spaces_gets_the_same_text_name_and_path() {
        List<String> differ = new ArrayList<>();
        for (int c = 0; c <= 0xFFFF; c++) {
            String unit = String.valueOf((char) c);
            for (String s : List.of(unit, "a" + unit + "b", " " + unit + " ", unit + unit, "x " + unit + "  y", "/shop/" + unit + "/t.py")) {
                if (!TestIdentityAsFirstWritten.text(s).equals(TestIdentity.text(s))
                    || !TestIdentityAsFirstWritten.name(s).equals(TestIdentity.name(s))
                    || !TestIdentityAsFirstWritten.file(s, "acme/shop").equals(TestIdentity.file(s, "acme/shop"))) {
                    differ.add(String.format("U+%04X in '%s'", c, s));
                }
            }
        }
        assertEquals(List.of(), differ);
    }

    private static String text(Random random) {
        StringBuilder s = new StringBuilder();
        for (int n = random.nextInt(9); n > 0; n--) {
            s.append(PIECES.get(random.nextInt(PIECES.size())));
        }
        return s.toString();
    }
}
