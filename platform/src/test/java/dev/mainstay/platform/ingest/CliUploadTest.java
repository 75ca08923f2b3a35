package dev.mainstay.platform.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import dev.mainstay.platform.identity.SignedInAppliance;
import dev.mainstay.reports.ParseLimits;
import dev.mainstay.reports.ReferencedFiles;
import dev.mainstay.reports.ReportSummary;
import dev.mainstay.reports.Reports;
import dev.mainstay.testkit.BrowserFixture;
import dev.mainstay.testkit.KeycloakFixture;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CI runner without internet access: it fetches the CLI from the appliance, then uploads real
 * reports over TLS to an appliance whose certificate a private CA issued, with a real token.
 */
@ExtendWith(BrowserFixture.class)
class CliUploadTest {

    private static final String SHA = "9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b";

    @Test
    void the_cli_fetched_from_the_appliance_uploads_over_tls_with_a_private_ca_and_a_real_token(BrowserContext context, @TempDir Path runner)
        throws Exception {
        SignedInAppliance appliance = SignedInAppliance.shared();
        CliProcess cli = CliProcess.download(appliance, runner);
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(cli.jar()))),
            cli.checksum(), "its checksum is sent with it");

        Path reports = Files.createDirectories(runner.resolve("build/test-results/test"));
        long attempts = 0;
        for (String name : List.of("junit/mikepenz/maven_surefire_flaky_surefire-report.xml", "junit/dorny/jest-junit.xml",
            "junit/mikepenz/python_report_flaky.xml")) {
            Path copy = reports.resolve("TEST-" + Path.of(name).getFileName());
            Files.copy(Path.of(System.getProperty("mainstay.corpus")).resolve("reports").resolve(name), copy);
            ReportSummary.Counter counter = new ReportSummary.Counter();
            try (InputStream in = Files.newInputStream(copy)) {
                Reports.parse(name, in, ParseLimits.DEFAULT, ReferencedFiles.NONE, counter);
            }
            attempts += counter.summary().attempts();
        }
        String repo = "acme/cli-" + UUID.randomUUID().toString().substring(0, 8);
        String token = appliance.token(context, KeycloakFixture.shared(), "cli-e2e", "uploads:write");

        CliProcess.Run first = cli.run(runner, token, "upload", "--url", appliance.baseUri().toString(), "--ca-cert",
            appliance.caCertificate().toString(), "--junit", "build/**/TEST-*.xml", "--repo", repo, "--commit", SHA, "--branch", "main");
        assertEquals(0, first.exit(), first.output());
        assertTrue(first.output().contains("mainstay: uploaded 3 reports as upload "), first.output());
        assertEquals(List.of(Long.toString(attempts)), appliance.column("SELECT count(*) FROM test_execution WHERE repo = ?", repo));
        assertEquals(List.of("main " + SHA), appliance.column("SELECT branch || ' ' || commit_sha FROM ingest_upload WHERE repo = ?", repo));

        CliProcess.Run again = cli.run(runner, token, "upload", "--url", appliance.baseUri().toString(), "--ca-cert",
            appliance.caCertificate().toString(), "--junit", "build/**/TEST-*.xml", "--repo", repo, "--commit", SHA, "--branch", "main");
        assertEquals(0, again.exit(), again.output());
        assertTrue(again.output().contains("mainstay: this bundle was uploaded before, as upload "), again.output());
        assertEquals(List.of(Long.toString(attempts)), appliance.column("SELECT count(*) FROM test_execution WHERE repo = ?", repo),
            "a re-run CI step stores nothing twice");

        CliProcess.Run untrusted = cli.run(runner, token, "upload", "--url", appliance.baseUri().toString(), "--retries", "0",
            "--junit", "build/**/TEST-*.xml", "--repo", repo, "--commit", SHA);
        assertEquals(3, untrusted.exit(), untrusted.output());
        assertTrue(untrusted.output().contains("is not trusted") && untrusted.output().contains("--ca-cert FILE"), untrusted.output());

        CliProcess.Run wrongScope = cli.run(runner, appliance.token(context, KeycloakFixture.shared(), "cli-e2e-read", "identity:read"), "upload",
            "--url", appliance.baseUri().toString(), "--ca-cert", appliance.caCertificate().toString(), "--junit", "build/**/TEST-*.xml",
            "--repo", repo, "--commit", SHA);
        assertEquals(4, wrongScope.exit(), wrongScope.output());
        assertTrue(wrongScope.output().contains("the token was refused (403)"), wrongScope.output());
    }
}
