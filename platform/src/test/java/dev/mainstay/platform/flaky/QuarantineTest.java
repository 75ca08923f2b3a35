package dev.mainstay.platform.flaky;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.BrowserContext;
import dev.mainstay.platform.identity.SignedInAppliance;
import dev.mainstay.platform.ingest.CliProcess;
import dev.mainstay.reports.bundle.UploadMetadata;
import dev.mainstay.testkit.BrowserFixture;
import dev.mainstay.testkit.KeycloakFixture;
import dev.mainstay.testkit.TcpRelay;
import dev.mainstay.testkit.TestUser;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Quarantine end to end: people quarantine tests (audited), CI reads the list with a token, and
 * {@code mainstay test} turns a red run green only when every test that failed is quarantined,
 * failing safe when the appliance is down. The appliance is reached through a relay that can be
 * stopped, so "down" is the same address refusing connections.
 */
@ExtendWith(BrowserFixture.class)
class QuarantineTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ORG = TestUser.ADMIN.org();
    private static final String SHA = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c";

    private final SignedInAppliance appliance = SignedInAppliance.shared();

    private static String suite(String... failing) {
        StringBuilder xml = new StringBuilder("<testsuite name=\"com.acme.ShopTest\">\n");
        for (String name : List.of("charges", "refunds", "lists")) {
            xml.append("  <testcase classname=\"com.acme.ShopTest\" name=\"").append(name).append("\" time=\"0.2\">");
            if (List.of(failing).contains(name)) {
                xml.append("<failure message=\"expected 200 but was 503\" type=\"java.lang.AssertionError\"/>");
            }
            xml.append("</testcase>\n");
        }
        return xml.append("</testsuite>\n").toString();
    }

    @Test
    void mainstay_test_exits_0_when_only_quarantined_tests_failed_else_the_tests_code_and_fails_safe_with_the_appliance_down(
        BrowserContext context, @TempDir Path runner) throws Exception {
        String repo = "acme/shop-" + UUID.randomUUID().toString().substring(0, 8);
        String token = appliance.token(context, KeycloakFixture.shared(), "quarantine-ci-" + UUID.randomUUID().toString().substring(0, 8),
            "uploads:write", "quarantine:read");
        CliProcess cli = CliProcess.download(appliance, runner);
        Files.writeString(runner.resolve("only-charges.xml"), suite("charges"));
        Files.writeString(runner.resolve("charges-and-refunds.xml"), suite("charges", "refunds"));
        Files.writeString(runner.resolve("none.xml"), suite());
        Files.createDirectories(runner.resolve("build"));
        try (TcpRelay relay = TcpRelay.to(appliance.baseUri().getHost(), appliance.baseUri().getPort())) {
            String url = "https://" + appliance.baseUri().getHost() + ":" + relay.port();

            CliProcess.Run before = test(cli, runner, token, url, repo, "charges-and-refunds.xml", 1);
            assertEquals(1, before.exit(), before.output());
            assertTrue(before.output().contains("FAILED       com.acme.ShopTest › charges"), before.output());
            assertTrue(before.output().contains("mainstay: uploaded 1 report as upload "), "the run's report was uploaded: " + before.output());

            String charges = awaitTest(repo, "charges");
            SignedInAppliance.Session maintainer = appliance.signIn(context, KeycloakFixture.shared(), TestUser.MAINTAINER);
            HttpResponse<String> put = appliance.json(maintainer, "PUT", "/api/v1/orgs/" + ORG + "/quarantine/" + charges,
                "{\"reason\": \"SHOP-42: payment sandbox flakes\", \"owner\": \"payments-team\"}");
            assertEquals(200, put.statusCode(), put.body());
            assertEquals(List.of("quarantine.add by maintainer: manual: SHOP-42: payment sandbox flakes; owner payments-team"),
                appliance.column("SELECT action || ' by ' || actor_name || ': ' || (CAST(details AS jsonb) ->> 'source') || ': ' || (CAST(details AS jsonb) ->> 'reason')"
                    + " || '; owner ' || (CAST(details AS jsonb) ->> 'owner') FROM audit_event WHERE action = 'quarantine.add' AND target_id = ?", charges));

            HttpResponse<String> list = quarantineList(token, repo, null);
            assertEquals(200, list.statusCode(), list.body());
            JsonNode tests = JSON.readTree(list.body()).get("tests");
            assertEquals(1, tests.size(), list.body());
            assertEquals(charges, tests.get(0).get("test_id").asText());
            assertEquals("SHOP-42: payment sandbox flakes", tests.get(0).get("reason").asText());
            String etag = list.headers().firstValue("ETag").orElseThrow();
            assertEquals(304, quarantineList(token, repo, etag).statusCode(), "an unchanged list costs a 304");

            CliProcess.Run onlyQuarantined = test(cli, runner, token, url, repo, "only-charges.xml", 1);
            assertEquals(0, onlyQuarantined.exit(), onlyQuarantined.output());
            assertTrue(onlyQuarantined.output().contains("quarantined  com.acme.ShopTest › charges (SHOP-42: payment sandbox flakes;"
                + " owner payments-team;"), onlyQuarantined.output());

            CliProcess.Run another = test(cli, runner, token, url, repo, "charges-and-refunds.xml", 1);
            assertEquals(1, another.exit(), "refunds is not quarantined: " + another.output());
            assertTrue(another.output().contains("FAILED       com.acme.ShopTest › refunds"), another.output());
            assertTrue(another.output().contains("1 of them is not quarantined: exiting 1"), another.output());

            CliProcess.Run crash = test(cli, runner, token, url, repo, "none.xml", 3);
            assertEquals(3, crash.exit(), "a failure no report explains keeps the tests' code: " + crash.output());

            CliProcess.Run cached = test(cli, runner, token, url, repo, "only-charges.xml", 1, "--quarantine-cache", "cache/quarantine.json");
            assertEquals(0, cached.exit(), cached.output());
            assertTrue(Files.exists(runner.resolve("cache/quarantine.json")), "the list was cached");

            relay.stop();

            CliProcess.Run down = test(cli, runner, token, url, repo, "only-charges.xml", 1);
            assertEquals(1, down.exit(), "with the appliance down and no cache, the run stays red: " + down.output());
            assertTrue(down.output().contains("could not reach the appliance"), down.output());
            assertTrue(down.output().contains("failing safe with the tests' own exit code 1"), down.output());

            CliProcess.Run green = test(cli, runner, token, url, repo, "none.xml", 0);
            assertEquals(0, green.exit(), "an unreachable appliance never turns a green run red: " + green.output());

            CliProcess.Run fromCache = test(cli, runner, token, url, repo, "only-charges.xml", 1, "--quarantine-cache", "cache/quarantine.json");
            assertEquals(0, fromCache.exit(), fromCache.output());
            assertTrue(fromCache.output().contains("the quarantine list is the cached copy fetched at "), fromCache.output());

            Path cache = runner.resolve("cache/quarantine.json");
            Files.writeString(cache, Files.readString(cache).replace(charges, "0".repeat(32)));
            CliProcess.Run tampered = test(cli, runner, token, url, repo, "charges-and-refunds.xml", 1, "--quarantine-cache",
                "cache/quarantine.json");
            assertEquals(1, tampered.exit(), tampered.output());
            assertTrue(tampered.output().contains("is not signed with this token"), tampered.output());

            relay.start();
            Files.writeString(runner.resolve("upload-only-charges.xml"), suite("charges"));
            CliProcess.Run afterTheFact = cli.run(runner, token, "upload", "--url", url, "--ca-cert", appliance.caCertificate().toString(),
                "--junit", "upload-only-charges.xml", "--repo", repo, "--commit", SHA, "--branch", "main", "--test-process-exit-code", "1");
            assertEquals(0, afterTheFact.exit(), "upload --test-process-exit-code decides the same way: " + afterTheFact.output());
        }
    }

    @Test
    void quarantine_is_managed_by_maintainers_audited_and_automatic_only_for_flaky_tests(BrowserContext context) throws Exception {
        String repo = "acme/auto-" + UUID.randomUUID().toString().substring(0, 8);
        String token = appliance.token(context, KeycloakFixture.shared(), "quarantine-auto-" + UUID.randomUUID().toString().substring(0, 8),
            "uploads:write");
        String flakyReport = """
            <testsuite name="com.acme.AutoTest">
              <testcase classname="com.acme.AutoTest" name="wobbles"><flakyFailure message="timeout"/></testcase>
              <testcase classname="com.acme.AutoTest" name="fails"><failure message="gateway returned 500"/></testcase>
            </testsuite>
            """;
        for (int commit = 1; commit <= 5; commit++) {
            upload(token, repo, "c" + commit, flakyReport);
        }
        String wobbles = awaitTest(repo, "wobbles", "flaky");
        String fails = awaitTest(repo, "fails", "broken");

        SignedInAppliance.Session member = appliance.signIn(context, KeycloakFixture.shared(), TestUser.MEMBER);
        assertEquals(403, appliance.json(member, "PUT", "/api/v1/orgs/" + ORG + "/quarantine/" + wobbles, "{\"reason\": \"x\"}").statusCode(),
            "a member cannot quarantine");
        SignedInAppliance.Session admin = appliance.signIn(context, KeycloakFixture.shared(), TestUser.ADMIN);
        HttpResponse<String> noReason = appliance.json(admin, "PUT", "/api/v1/orgs/" + ORG + "/quarantine/" + wobbles, "{\"owner\": \"me\"}");
        assertEquals(422, noReason.statusCode(), noReason.body());
        assertTrue(noReason.body().contains("reason is required"), noReason.body());
        HttpResponse<String> pastExpiry = appliance.json(admin, "PUT", "/api/v1/orgs/" + ORG + "/quarantine/" + wobbles,
            "{\"reason\": \"r\", \"expires_at\": \"2001-01-01T00:00:00Z\"}");
        assertEquals(422, pastExpiry.statusCode(), pastExpiry.body());
        assertTrue(pastExpiry.body().contains("expires_at must be in the future"), pastExpiry.body());
        assertEquals(404, appliance.json(admin, "PUT", "/api/v1/orgs/" + ORG + "/quarantine/" + "f".repeat(32), "{\"reason\": \"r\"}")
            .statusCode(), "an unknown test");

        String hook = "https://localhost:9/quarantine-" + UUID.randomUUID();
        HttpResponse<String> webhook = appliance.json(admin, "POST", "/api/v1/orgs/" + ORG + "/webhooks",
            "{\"url\": \"" + hook + "\", \"events\": [\"quarantine.changed\"]}");
        assertEquals(201, webhook.statusCode(), webhook.body());
        String hookId = JSON.readTree(webhook.body()).get("webhook").get("id").asText();

        HttpResponse<String> policy = appliance.json(admin, "PUT", "/api/v1/orgs/" + ORG + "/quarantine-policy?repo=" + repo,
            "{\"auto_quarantine\": true, \"expiry_days\": 7}");
        assertEquals(200, policy.statusCode(), policy.body());
        assertEquals(1, JSON.readTree(policy.body()).get("quarantined_now").asInt(), "the flaky test, not the broken one: " + policy.body());
        assertEquals(List.of(wobbles + " auto flaky-quarantine"), appliance.column(
            "SELECT test_id || ' ' || source || ' ' || quarantined_by FROM flaky_quarantine WHERE repo = ?", repo));
        assertEquals(List.of("quarantine.policy.update by admin", "quarantine.add by flaky-quarantine"), appliance.column(
            "SELECT action || ' by ' || actor_name FROM audit_event WHERE (target_id = ? OR target_id = ?) AND action LIKE 'quarantine.%'"
                + " ORDER BY seq", repo, wobbles));

        HttpResponse<String> shown = appliance.json(admin, "GET", "/api/v1/orgs/" + ORG + "/quarantine?repo=" + repo, null);
        assertEquals(200, shown.statusCode(), shown.body());
        JsonNode entry = JSON.readTree(shown.body()).get("tests").get(0);
        assertEquals("auto", entry.get("source").asText());
        assertTrue(entry.get("reason").asText().startsWith("auto-quarantined: detection calls it flaky"), shown.body());
        assertFalse(shown.body().contains(fails), "a broken test is never quarantined automatically");

        assertEquals(204, appliance.json(admin, "DELETE", "/api/v1/orgs/" + ORG + "/quarantine/" + wobbles, null).statusCode());
        assertEquals(List.of(), appliance.column("SELECT test_id FROM flaky_quarantine WHERE repo = ?", repo));
        assertEquals(List.of("quarantine.lift by admin"), appliance.column(
            "SELECT action || ' by ' || actor_name FROM audit_event WHERE target_id = ? AND action = 'quarantine.lift'", wobbles));
        assertEquals(404, appliance.json(admin, "DELETE", "/api/v1/orgs/" + ORG + "/quarantine/" + wobbles, null).statusCode(),
            "nothing left to lift");
        assertEquals(List.of("quarantine.changed add auto", "quarantine.changed lift auto"), appliance.column(
            "SELECT event || ' ' || (CAST(payload AS jsonb) -> 'data' ->> 'action') || ' ' || (CAST(payload AS jsonb) -> 'data' ->> 'source')"
                + " FROM flaky_webhook_delivery WHERE webhook_id = CAST(? AS uuid) ORDER BY created_at", hookId),
            "each change is an event for the org's webhooks");
        assertEquals(200, appliance.json(admin, "DELETE", "/api/v1/orgs/" + ORG + "/webhooks/" + hookId, null).statusCode());
    }

    private CliProcess.Run test(CliProcess cli, Path runner, String token, String url, String repo, String report, int exit, String... more)
        throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("test", "--url", url, "--ca-cert", appliance.caCertificate().toString(),
            "--junit", "build/TEST-*.xml", "--repo", repo, "--commit", SHA, "--branch", "main", "--retries", "0"));
        args.addAll(List.of(more));
        args.addAll(List.of("--", "sh", "-c", "cp \"$1\" build/TEST-shop.xml; exit " + exit, "sh", report));
        return cli.run(runner, token, args.toArray(String[]::new));
    }

    private HttpResponse<String> quarantineList(String token, String repo, String ifNoneMatch) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(appliance.url("/api/v1/quarantine?repo=" + repo)))
            .header("Authorization", "Bearer " + token);
        if (ifNoneMatch != null) {
            request.header("If-None-Match", ifNoneMatch);
        }
        return appliance.http().send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private void upload(String token, String repo, String commit, String report) throws Exception {
        UploadMetadata metadata = new UploadMetadata(repo, commit.repeat(20).substring(0, 40).replace('c', 'a'), "main",
            OptionalInt.empty(), "", "unit", "", "", "run-" + UUID.randomUUID(), OptionalInt.empty(), "", Optional.empty(), Optional.empty());
        HttpResponse<String> response = appliance.upload(token, UUID.randomUUID().toString(), metadata,
            Map.of("TEST-report.xml", report.getBytes(StandardCharsets.UTF_8)));
        assertEquals(201, response.statusCode(), response.body());
    }

    /** The test's id once detection has scored it (as {@code status}, when given). */
    private String awaitTest(String repo, String name, String... status) throws Exception {
        return appliance.await("a verdict " + String.join("", status) + " for " + name + " in " + repo,
            "SELECT test_id FROM flaky_test WHERE repo = ? AND name = ?" + (status.length == 0 ? "" : " AND status = '" + status[0] + "'"),
            repo, name);
    }
}
