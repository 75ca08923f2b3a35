package dev.mainstay.platform.flaky;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.mainstay.platform.identity.SignedInAppliance;
import dev.mainstay.reports.bundle.UploadMetadata;
import dev.mainstay.testkit.BrowserFixture;
import dev.mainstay.testkit.KeycloakFixture;
import dev.mainstay.testkit.TestUser;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The flaky-test pages in a real browser: a maintainer reads a failure's stack trace on the test's
 * page and the view is in the audit trail; a member sees the same page with the text masked; the
 * overview and the list find the test; the quarantine form quarantines it.
 */
@ExtendWith(BrowserFixture.class)
class FlakyPagesTest {

    private static final String ORG = TestUser.ADMIN.org();
    private static final String STACK = "java.lang.IllegalStateException: card declined for order 7781\n"
        + "\tat com.acme.pay.Gateway.charge(Gateway.java:42)\n\tat com.acme.pay.PayTest.charges(PayTest.java:17)";

    private final SignedInAppliance appliance = SignedInAppliance.shared();

    @Test
    void a_maintainer_reads_a_stack_trace_and_the_view_is_audited_while_a_member_sees_it_masked(BrowserContext context) throws Exception {
        String repo = "acme/pay-" + UUID.randomUUID().toString().substring(0, 8);
        String token = appliance.token(context, KeycloakFixture.shared(), "pages-" + UUID.randomUUID().toString().substring(0, 8),
            "uploads:write");
        String report = """
            <testsuite name="com.acme.pay.PayTest">
              <testcase classname="com.acme.pay.PayTest" name="charges" time="1.5">
                <failure message="card declined for order 7781" type="java.lang.IllegalStateException">%s</failure>
              </testcase>
              <testcase classname="com.acme.pay.PayTest" name="refunds" time="0.2"/>
            </testsuite>
            """.formatted(STACK.replace("<", "&lt;"));
        UploadMetadata metadata = new UploadMetadata(repo, "ab".repeat(20), "main", OptionalInt.of(12), "", "unit", "", "", "run-1",
            OptionalInt.empty(), "", Optional.empty(), Optional.empty());
        HttpResponse<String> upload = appliance.upload(token, UUID.randomUUID().toString(), metadata,
            Map.of("TEST-pay.xml", report.getBytes(StandardCharsets.UTF_8)));
        assertEquals(201, upload.statusCode(), upload.body());
        String test = appliance.await("the verdict of charges", "SELECT test_id FROM flaky_test WHERE repo = ? AND name = ?", repo, "charges");
        String path = "/orgs/" + ORG + "/flaky/tests/" + test;

        context.clearCookies();
        Page page = context.newPage();
        appliance.signIn(page, KeycloakFixture.shared(), TestUser.MAINTAINER, path);
        page.waitForSelector("#runs");
        String shown = page.locator("#runs .stack-trace").first().textContent();
        assertTrue(shown.contains("at com.acme.pay.Gateway.charge(Gateway.java:42)"), shown);
        assertTrue(page.locator("#masked-note").count() == 0, "a maintainer's page masks nothing");
        assertEquals(List.of("failure.view by maintainer"), appliance.column(
            "SELECT action || ' by ' || actor_name FROM audit_event WHERE action = 'failure.view' AND target_type = 'test' AND target_id = ?",
            test), "the maintainer's view of the failure text is in the audit trail");
        assertTrue(page.locator("#duration-chart").count() == 1, "the durations are charted");

        page.fill("input[name=reason]", "PAY-9: gateway sandbox declines at random");
        page.fill("input[name=owner]", "payments");
        page.click("form[action$='/quarantine'] button[type=submit]");
        page.waitForSelector("#quarantine:has-text('Quarantined (manual) by maintainer')");
        assertTrue(page.locator("#quarantine").textContent().contains("PAY-9: gateway sandbox declines at random; owner payments"),
            page.locator("#quarantine").textContent());

        page.navigate(appliance.url("/orgs/" + ORG + "/flaky?repo=" + repo));
        assertEquals("1", page.locator("#count-quarantined").textContent().strip());
        assertTrue(page.locator("#trend-chart").count() == 1, "the 45-day trend is an SVG");
        assertTrue(page.locator("#impact").textContent().contains("com.acme.pay.PayTest › charges"), page.locator("#impact").textContent());
        assertTrue(page.locator("#clusters").textContent().contains("IllegalStateException: card declined for order"),
            "one cluster, its text shown to a maintainer: " + page.locator("#clusters").textContent());
        page.navigate(appliance.url("/orgs/" + ORG + "/flaky/tests?repo=" + repo + "&q=CHARGES"));
        assertEquals(1, page.locator("#tests tbody tr").count(), page.locator("#tests").textContent());
        assertTrue(page.locator("#total").textContent().startsWith("1 tests"), page.locator("#total").textContent());
        page.close();

        SignedInAppliance.Session member = appliance.signIn(context, KeycloakFixture.shared(), TestUser.MEMBER);
        HttpResponse<String> masked = appliance.http().send(HttpRequest.newBuilder(URI.create(appliance.url(path)))
            .header("Cookie", member.cookie()).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, masked.statusCode(), masked.body());
        assertTrue(masked.body().contains("(failure text masked)"), "a member sees that there is failure text, masked");
        assertFalse(masked.body().contains("Gateway.java:42") || masked.body().contains("card declined"),
            "and never the text itself");
        assertFalse(masked.body().contains("action=\"/orgs/" + ORG + "/flaky/tests/" + test + "/lift\""), "nor quarantine controls");
        assertEquals(List.of(), appliance.column("SELECT actor_name FROM audit_event WHERE action = 'failure.view' AND actor_name = 'member'"
            + " AND target_id = ?", test), "a masked page reveals nothing, so records no view");
        assertEquals(403, appliance.http().send(HttpRequest.newBuilder(URI.create(appliance.url(path + "/lift")))
            .header("Cookie", member.cookie()).header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + member.csrf())).build(), HttpResponse.BodyHandlers.ofString()).statusCode(),
            "a member cannot lift a quarantine");
    }

    @Test
    void a_maintainer_sets_thresholds_and_the_quarantine_policy_on_the_settings_page_while_a_member_only_reads_them(BrowserContext context)
        throws Exception {
        String repo = "acme/settings-" + UUID.randomUUID().toString().substring(0, 8);
        String token = appliance.token(context, KeycloakFixture.shared(), "settings-" + UUID.randomUUID().toString().substring(0, 8),
            "uploads:write");
        String report = """
            <testsuite name="com.acme.SettingsTest">
              <testcase classname="com.acme.SettingsTest" name="wobbles"><flakyFailure message="timeout"/></testcase>
              <testcase classname="com.acme.SettingsTest" name="holds"/>
            </testsuite>
            """;
        UploadMetadata metadata = new UploadMetadata(repo, "cd".repeat(20), "main", OptionalInt.of(3), "", "unit", "", "", "run-1",
            OptionalInt.empty(), "", Optional.empty(), Optional.empty());
        assertEquals(201, appliance.upload(token, UUID.randomUUID().toString(), metadata,
            Map.of("TEST-settings.xml", report.getBytes(StandardCharsets.UTF_8))).statusCode());
        appliance.await("wobbles called flaky", "SELECT test_id FROM flaky_test WHERE repo = ? AND name = ? AND status = 'flaky'", repo,
            "wobbles");

        context.clearCookies();
        Page page = context.newPage();
        appliance.signIn(page, KeycloakFixture.shared(), TestUser.MAINTAINER, "/orgs/" + ORG + "/flaky/settings");
        page.click("#repo-list a:text-is('" + repo + "')");
        page.waitForSelector("#thresholds");
        assertEquals("main, master, trunk, release/**, release-*", page.getAttribute("#setting-protected_branches", "placeholder"),
            "an empty field shows the default it keeps");

        page.fill("#setting-rate_activate", "0.01");
        page.fill("#setting-rate_resolve", "0.2");
        page.click("#thresholds button[type=submit]");
        page.waitForSelector("#problem");
        assertTrue(page.locator("#problem").textContent().contains("rate_resolve must be between 0 and rate_activate"),
            page.locator("#problem").textContent());
        assertEquals("0.2", page.inputValue("#setting-rate_resolve"), "what was entered stays in the form to correct");
        assertEquals(List.of(), appliance.column("SELECT CAST(settings AS text) FROM flaky_settings WHERE repo = ?", repo),
            "a refused form stores nothing");

        page.fill("#setting-rate_resolve", "0.005");
        page.fill("#setting-protected_branches", "main, release/**");
        page.click("#thresholds button[type=submit]");
        page.waitForSelector("#notice");
        assertEquals(List.of("{\"rate_resolve\": 0.005, \"rate_activate\": 0.01, \"protected_branches\": [\"main\", \"release/**\"]}"),
            appliance.column("SELECT CAST(settings AS text) FROM flaky_settings WHERE repo = ?", repo),
            "only the fields filled in are stored, so the rest follow the defaults");
        assertEquals("", page.inputValue("#setting-window_days"));
        assertTrue(page.locator("#help-window_days").textContent().contains("In effect: 30."), page.locator("#help-window_days").textContent());
        assertEquals(List.of("flaky.settings.update by maintainer"), appliance.column(
            "SELECT action || ' by ' || actor_name FROM audit_event WHERE action = 'flaky.settings.update' AND target_id = ?", repo));

        page.check("#auto-quarantine");
        page.fill("#expiry-days", "9");
        page.click("form[action$='/quarantine-policy'] button[type=submit]");
        page.waitForSelector("#notice");
        assertEquals("Quarantine policy saved. It quarantined 1 test already flaky.", page.locator("#notice").textContent().strip());
        assertTrue(page.locator("#policy").textContent().contains("quarantined for 9 days"), page.locator("#policy").textContent());
        assertEquals(List.of("wobbles auto"), appliance.column("SELECT t.name || ' ' || q.source FROM flaky_quarantine q"
            + " JOIN flaky_test t ON t.org = q.org AND t.test_id = q.test_id WHERE t.repo = ?", repo),
            "the flaky test is quarantined by the policy, the healthy one is not");
        page.close();

        SignedInAppliance.Session member = appliance.signIn(context, KeycloakFixture.shared(), TestUser.MEMBER);
        HttpResponse<String> read = appliance.http().send(HttpRequest.newBuilder(URI.create(appliance.url("/orgs/" + ORG
            + "/flaky/settings?repo=" + repo))).header("Cookie", member.cookie()).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, read.statusCode(), read.body());
        assertTrue(read.body().contains("<td class=\"wrap\">main, release/**</td>"), "a member reads the settings in effect");
        assertFalse(read.body().contains("action=\"/orgs/" + ORG + "/flaky/settings/thresholds\"")
            || read.body().contains("action=\"/orgs/" + ORG + "/flaky/settings/quarantine-policy\""), "but gets no forms");
        assertEquals(403, appliance.http().send(HttpRequest.newBuilder(URI.create(appliance.url("/orgs/" + ORG + "/flaky/settings/thresholds")))
            .header("Cookie", member.cookie()).header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + member.csrf() + "&repo=" + repo + "&window_days=1")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode(), "and cannot change them");
    }

    /**
     * Regression: the test page had one "Attempt" column holding the try within a report, so a
     * CI re-run of the whole job (a new upload with run_attempt 2) looked like a first try.
     */
    @Test
    void the_test_page_tells_a_retry_inside_one_report_from_a_re_run_of_the_ci_job(BrowserContext context) throws Exception {
        String repo = "acme/retries-" + UUID.randomUUID().toString().substring(0, 8);
        String token = appliance.token(context, KeycloakFixture.shared(), "retries-" + UUID.randomUUID().toString().substring(0, 8),
            "uploads:write");
        String retried = """
            <testsuite name="com.acme.RetryTest">
              <testcase classname="com.acme.RetryTest" name="wobbles"><flakyFailure message="timeout"/></testcase>
              <testcase classname="com.acme.RetryTest" name="holds"/>
            </testsuite>
            """;
        String passing = """
            <testsuite name="com.acme.RetryTest">
              <testcase classname="com.acme.RetryTest" name="wobbles"/>
              <testcase classname="com.acme.RetryTest" name="holds"/>
            </testsuite>
            """;
        for (int runAttempt = 1; runAttempt <= 2; runAttempt++) {
            UploadMetadata metadata = new UploadMetadata(repo, "ef".repeat(20), "main", OptionalInt.empty(), "github-actions", "unit", "",
                "", "run-7", OptionalInt.of(runAttempt), "", Optional.empty(), Optional.empty());
            assertEquals(201, appliance.upload(token, UUID.randomUUID().toString(), metadata,
                Map.of("TEST-retry.xml", (runAttempt == 1 ? retried : passing).getBytes(StandardCharsets.UTF_8))).statusCode());
        }
        String test = appliance.await("wobbles", "SELECT test_id FROM flaky_test WHERE repo = ? AND name = ?", repo, "wobbles");

        Page page = context.newPage();
        page.navigate(appliance.url("/orgs/" + ORG + "/flaky/tests/" + test));
        List<String> rows = page.locator("#runs tbody tr").all().stream().map(row -> row.locator("td.run-attempt").innerText() + " | "
            + row.locator("td.try").innerText() + " | " + row.locator("td.outcome").innerText().lines().findFirst().orElse("").strip())
            .toList();
        assertEquals(List.of("2 (re-run) | 1 | passed", "1 | 2 (retry) | passed", "1 | 1 | failed"), rows,
            "newest first: the CI job's re-run, then the first run's retry of the test and its first try");
        assertTrue(page.locator("#attempts-note").innerText().contains("re-runs of the whole CI job"), page.locator("#attempts-note").innerText());
    }

    /**
     * Regression: the failures chart counted every failure of an upload flagged as a probable
     * infrastructure failure (a runner out of disk fails all its tests) as "other", so one bad
     * runner's day dwarfed the real failures, although detection leaves such uploads out.
     */
    @Test
    void the_failures_chart_leaves_infrastructure_failures_out_and_says_how_many(BrowserContext context) throws Exception {
        String repo = "acme/runner-" + UUID.randomUUID().toString().substring(0, 8);
        String token = appliance.token(context, KeycloakFixture.shared(), "runner-" + UUID.randomUUID().toString().substring(0, 8),
            "uploads:write");
        String allFailed = """
            <testsuite name="com.acme.DiskTest">
              <testcase classname="com.acme.DiskTest" name="a"><error message="No space left on device"/></testcase>
              <testcase classname="com.acme.DiskTest" name="b"><error message="No space left on device"/></testcase>
              <testcase classname="com.acme.DiskTest" name="c"><error message="No space left on device"/></testcase>
            </testsuite>
            """;
        String oneFailed = """
            <testsuite name="com.acme.DiskTest">
              <testcase classname="com.acme.DiskTest" name="a"><failure message="off by one"/></testcase>
              <testcase classname="com.acme.DiskTest" name="b"/>
              <testcase classname="com.acme.DiskTest" name="c"/>
              <testcase classname="com.acme.DiskTest" name="d"/>
            </testsuite>
            """;
        for (String report : List.of(allFailed, oneFailed)) {
            UploadMetadata metadata = new UploadMetadata(repo, "1a".repeat(20), "main", OptionalInt.empty(), "", "unit", "", "",
                "run-" + UUID.randomUUID(), OptionalInt.empty(), "", Optional.empty(), Optional.empty());
            assertEquals(201, appliance.upload(token, UUID.randomUUID().toString(), metadata,
                Map.of("TEST-disk.xml", report.getBytes(StandardCharsets.UTF_8))).statusCode());
        }
        assertEquals(List.of("true", "false"), appliance.column("SELECT CAST(infrastructure_failure AS text) FROM ingest_upload"
            + " WHERE repo = ? ORDER BY received_at", repo), "the upload where every test failed is flagged");

        Page page = context.newPage();
        page.navigate(appliance.url("/orgs/" + ORG + "/flaky?repo=" + repo));
        String note = page.locator("#infrastructure-note").innerText();
        assertTrue(note.startsWith("Left out: failures in uploads flagged as probable infrastructure failures"), note);
        assertTrue(note.contains("3 in these 45 days"), note);
        assertTrue(page.locator("#trend-chart").innerHTML().contains("1 failed executions;"),
            "the chart holds the one test failure only: " + page.locator("#trend-chart").innerHTML());
        page.locator("details summary:has-text('The same figures as a table')").click();
        List<String> days = page.locator("table[aria-labelledby=trend-heading] tbody tr").allInnerTexts();
        assertEquals(1, days.size(), days.toString());
        assertTrue(days.getFirst().endsWith("0\t0\t1\t3"), "flaky, broken, other, infrastructure: " + days);
    }
}
