package dev.mainstay.cli.upload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.cli.CliRun;
import dev.mainstay.cli.Corpus;
import dev.mainstay.reports.ParseLimits;
import dev.mainstay.reports.ReportSummary;
import dev.mainstay.reports.Reports;
import dev.mainstay.reports.bundle.BundleLimits;
import dev.mainstay.reports.bundle.BundleReader;
import dev.mainstay.reports.bundle.UploadMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mainstay upload --dry-run}: the bundle written to a file and read back with the
 * appliance's {@link BundleReader}, including the {@code test.xml} a Bazel event stream refers to.
 */
class DryRunTest {

    static final String SHA = "4f1c2d0e9b8a7f6e5d4c3b2a1908f7e6d5c4b3a2";

    @TempDir
    Path dir;

    Path testXml;
    URI testXmlUri;

    /**
     * A Bazel job's workspace: a JUnit report under build/, and the corpus's BEP example with its
     * {@code file://} URIs pointing at a test.xml (and test.log) in this job's testlogs folder.
     */
    @BeforeEach
    void aBazelJob() throws IOException {
        Files.createDirectories(dir.resolve("build"));
        Files.copy(Corpus.file("junit/dorny/jest-junit.xml"), dir.resolve("build/TEST-a.xml"));
        Path testlogs = Files.createDirectories(dir.resolve("bazel-testlogs/hello_test"));
        testXml = testlogs.resolve("test.xml");
        Files.copy(Corpus.file("junit/mikepenz/nested_junit.xml"), testXml);
        Files.writeString(testlogs.resolve("test.log"), "all good\n");
        testXmlUri = testXml.toUri();
        String bep = Files.readString(Corpus.file("bazel-bep/trunk_bep_example.json"))
            .replace("file:///tmp/hello_test/", testlogs.toUri().toString());
        assertTrue(bep.contains(testXmlUri.toString()), "the event stream names the test.xml on this disk");
        Files.writeString(dir.resolve("bep.json"), bep);
    }

    private CliRun.Result dryRun(String out, String... more) {
        List<String> args = new ArrayList<>(List.of("upload", "--dry-run", out, "--junit", "**/TEST-*.xml", "--bazel-bep", "bep.json",
            "--repo", "acme/shop", "--commit", SHA, "--branch", "main", "--variant", "linux"));
        args.addAll(List.of(more));
        return CliRun.in(dir).env("MAINSTAY_TOKEN", "msy_secret_token_value").run(args.toArray(String[]::new));
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Test
    void the_bundle_holds_the_metadata_the_reports_and_the_referenced_test_xml_before_the_event_stream() throws Exception {
        CliRun.Result r = dryRun("out.tgz");
        assertEquals(0, r.code(), r.both());

        try (InputStream in = Files.newInputStream(dir.resolve("out.tgz"));
             BundleReader bundle = new BundleReader(in, BundleLimits.DEFAULT)) {
            assertEquals(new UploadMetadata("acme/shop", SHA, "main", OptionalInt.empty(), "", "", "", "", "", OptionalInt.empty(), "linux",
                Optional.empty(), Optional.empty()), bundle.metadata());
            BundleReader.Entry junit = bundle.nextReport().orElseThrow();
            assertEquals("build/TEST-a.xml", junit.name());
            assertArrayEquals(Files.readAllBytes(dir.resolve("build/TEST-a.xml")), junit.content().readAllBytes());
            BundleReader.Entry bep = bundle.nextReport().orElseThrow();
            assertEquals("bep.json", bep.name());
            assertArrayEquals(Files.readAllBytes(testXml), bundle.referencedFiles().open(testXmlUri).orElseThrow().readAllBytes(),
                "the test.xml came before the event stream that names it");
            ReportSummary.Counter counter = new ReportSummary.Counter();
            Reports.parse(bep.name(), bep.content(), ParseLimits.DEFAULT, bundle.referencedFiles(), counter);
            assertEquals(new ReportSummary(5, 2, 3, 0, 0, 5), counter.summary(), "the appliance reads the test.xml's cases from the bundle");
            assertTrue(bundle.nextReport().isEmpty());
            assertEquals(4, bundle.files(), "mainstay.json, the referenced test.xml (not the unread test.log), two reports");
        }

        String key = sha256(dir.resolve("out.tgz"));
        String referenced = "referenced" + testXmlUri.getPath();
        assertEquals("""
            mainstay: dry run: wrote out.tgz (%s); nothing was sent
            request: (no --url given), a bearer token from MAINSTAY_TOKEN (not shown)
            Idempotency-Key: %s
            mainstay.json:
              {
                "version" : 1,
                "repo" : "acme/shop",
                "commit" : "%s",
                "branch" : "main",
                "variant" : "linux"
              }
            files:
              %s (referenced)
              build/TEST-a.xml: junit, 6 cases (1 passed, 4 failed, 0 errors, 1 skipped), 6 attempts
              bep.json: bazel-bep, 5 cases (2 passed, 3 failed, 0 errors, 0 skipped), 5 attempts
            total: 2 reports, 11 cases (3 passed, 7 failed, 0 errors, 1 skipped), 11 attempts
            """.formatted(ConsoleProgress.size(Files.size(dir.resolve("out.tgz"))), key, SHA, referenced), r.out());
        assertFalse(r.both().contains("msy_secret_token_value"), "the token is never printed");
    }

    @Test
    void the_idempotency_key_is_the_sha256_of_the_bundle_and_the_same_on_a_second_run() throws Exception {
        CliRun.Result first = dryRun("first.tgz");
        CliRun.Result second = dryRun("second.tgz");
        assertEquals(0, first.code(), first.both());
        assertEquals(0, second.code(), second.both());
        assertArrayEquals(Files.readAllBytes(dir.resolve("first.tgz")), Files.readAllBytes(dir.resolve("second.tgz")),
            "the same files make the same bytes");
        assertTrue(first.out().contains("Idempotency-Key: " + sha256(dir.resolve("first.tgz")) + "\n"), first.out());
        assertTrue(second.out().contains("Idempotency-Key: " + sha256(dir.resolve("first.tgz")) + "\n"), second.out());
    }

    @Test
    void flags_override_what_the_ci_provider_says_field_by_field() throws Exception {
        CliRun.Result r = CliRun.in(dir).env(Map.of("GITHUB_ACTIONS", "true", "GITHUB_REPOSITORY", "acme/shop", "GITHUB_SHA", SHA,
                "GITHUB_REF", "refs/heads/main", "GITHUB_REF_NAME", "main", "GITHUB_RUN_ID", "2718", "GITHUB_RUN_ATTEMPT", "1",
                "GITHUB_JOB", "unit-tests", "GITHUB_SERVER_URL", "https://github.com"))
            .run("upload", "--dry-run", "out.tgz", "--junit", "build/TEST-a.xml", "--branch", "release/2.x", "--job-name", "unit (linux)",
                "--run-attempt", "3", "--started-at", "2026-11-22T09:00:00Z", "--finished-at", "2026-11-22T10:12:41+01:00");
        assertEquals(0, r.code(), r.both());
        try (InputStream in = Files.newInputStream(dir.resolve("out.tgz")); BundleReader bundle = new BundleReader(in, BundleLimits.DEFAULT)) {
            assertEquals(new UploadMetadata("acme/shop", SHA, "release/2.x", OptionalInt.empty(), "github-actions", "unit (linux)", "",
                "https://github.com/acme/shop/actions/runs/2718/attempts/1", "2718", OptionalInt.of(3), "",
                Optional.of(Instant.parse("2026-11-22T09:00:00Z")), Optional.of(Instant.parse("2026-11-22T09:12:41Z"))), bundle.metadata());
        }
    }

    @Test
    void an_invalid_report_stops_the_upload_and_is_named_with_its_line() throws IOException {
        Files.writeString(dir.resolve("build/TEST-b.xml"), "<testsuite>\n<testcase name=\"x\">\n</testsuite>\n");
        CliRun.Result r = dryRun("out.tgz");
        assertEquals(1, r.code(), r.both());
        assertTrue(r.err().startsWith("mainstay: nothing was sent: 1 of 3 reports is invalid\nFAIL build/TEST-b.xml:3: "), r.err());
        assertFalse(Files.exists(dir.resolve("out.tgz")), "no bundle is written");
    }

    @Test
    void a_report_given_with_the_wrong_flag_is_refused() throws IOException {
        Files.copy(Corpus.file("rspec/dorny_rspec-json.json"), dir.resolve("rspec.json"));
        CliRun.Result r = CliRun.in(dir).run("upload", "--dry-run", "out.tgz", "--junit", "rspec.json", "--repo", "acme/shop", "--commit", SHA);
        assertEquals(1, r.code(), r.both());
        assertEquals("""
            mainstay: nothing was sent: 1 of 1 report is invalid
            FAIL rspec.json: given with --junit, but it is a rspec report; pass it with --rspec
            """, r.err());
    }

    @Test
    void a_pattern_that_matches_nothing_is_a_usage_error() {
        CliRun.Result r = CliRun.in(dir).run("upload", "--dry-run", "out.tgz", "--junit", "target/**/TEST-*.xml", "--repo", "acme/shop",
            "--commit", SHA);
        assertEquals(2, r.code(), r.both());
        assertEquals("mainstay: --junit target/**/TEST-*.xml: no file matches (relative to " + dir.toAbsolutePath().normalize() + ")\n"
            + "mainstay: see 'mainstay help upload'\n", r.err());
    }

    @Test
    void without_ci_git_or_flags_the_repository_is_asked_for() {
        CliRun.Result r = CliRun.in(dir).run("upload", "--dry-run", "out.tgz", "--junit", "build/TEST-a.xml");
        assertEquals(2, r.code(), r.both());
        assertEquals("mainstay: the repository is unknown: no CI provider named it and the working directory has no git remote;"
            + " pass --repo owner/name\nmainstay: see 'mainstay help upload'\n", r.err());
    }

    @Test
    void an_invalid_flag_value_names_the_flag() {
        CliRun.Result r = CliRun.in(dir).run("upload", "--dry-run", "out.tgz", "--junit", "build/TEST-a.xml", "--repo", "acme/shop",
            "--commit", SHA, "--job-url", "ftp://ci.example/job/1");
        assertEquals(2, r.code(), r.both());
        assertEquals("mainstay: invalid upload metadata: job_url must be an http or https URL, not 'ftp://ci.example/job/1'"
            + " (set it with --job-url)\nmainstay: see 'mainstay help upload'\n", r.err());
    }

    @Test
    void an_xcresult_bundle_off_macos_is_a_usage_error() throws IOException {
        Files.createDirectories(dir.resolve("Test.xcresult"));
        CliRun.Result r = CliRun.in(dir).run("upload", "--dry-run", "out.tgz", "--xcresult", "Test.xcresult", "--repo", "acme/shop",
            "--commit", SHA);
        assertEquals(2, r.code(), r.both());
        assertEquals("mainstay: --xcresult Test.xcresult is an .xcresult bundle, which only Xcode's xcresulttool reads, on macOS;"
            + " on the Mac run 'xcrun xcresulttool get test-results tests --path Test.xcresult > tests.json' and pass tests.json\n"
            + "mainstay: see 'mainstay help upload'\n", r.err());
    }

    @Test
    void on_macos_an_xcresult_bundle_is_turned_into_json_by_xcrun() throws Exception {
        Files.createDirectories(dir.resolve("Test.xcresult"));
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path xcrun = bin.resolve("xcrun");
        // Stands in for Xcode's xcrun: records its arguments and prints what xcresulttool prints.
        Files.writeString(xcrun, "#!/bin/sh\necho \"$@\" > \"" + dir.resolve("xcrun.args") + "\"\ncat <<'JSON'\n" + XCRESULT_JSON + "\nJSON\n");
        assertTrue(xcrun.toFile().setExecutable(true));

        CliRun.Result r = CliRun.in(dir).os("Mac OS X").env("PATH", bin + ":/usr/bin:/bin")
            .run("upload", "--dry-run", "out.tgz", "--xcresult", "Test.xcresult", "--repo", "acme/shop", "--commit", SHA);

        assertEquals(0, r.code(), r.both());
        assertEquals("xcresulttool get test-results tests --path " + dir.resolve("Test.xcresult"),
            Files.readString(dir.resolve("xcrun.args"), StandardCharsets.UTF_8).strip());
        assertTrue(r.out().contains("\n  Test.xcresult.json: xcresult, 1 cases (1 passed, 0 failed, 0 errors, 0 skipped), 1 attempts\n"), r.out());
    }

    /** The smallest output of {@code xcresulttool get test-results tests}: one passing test. */
    static final String XCRESULT_JSON = """
        {"devices":[{"deviceId":"d1","deviceName":"My Mac","architecture":"arm64","modelName":"MacBook Pro","osVersion":"15.1"}],
         "testPlanConfigurations":[{"configurationId":"1","configurationName":"Test Scheme Action"}],
         "testNodes":[{"name":"ShopTests","nodeType":"Unit test bundle","result":"Passed","children":[
           {"name":"CartTests","nodeType":"Test Suite","result":"Passed","children":[
             {"name":"testAddsItem()","nodeType":"Test Case","nodeIdentifier":"CartTests/testAddsItem()","result":"Passed","duration":"0.1s"}]}]}]}""";
}
