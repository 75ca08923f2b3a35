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
}
