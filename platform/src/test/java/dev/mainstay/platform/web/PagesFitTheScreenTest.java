package dev.mainstay.platform.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.mainstay.platform.identity.SignedInAppliance;
import dev.mainstay.platform.queue.LiveGitHub;
import dev.mainstay.reports.bundle.UploadMetadata;
import dev.mainstay.testkit.BrowserFixture;
import dev.mainstay.testkit.KeycloakFixture;
import dev.mainstay.testkit.TestUser;
import dev.mainstay.testkit.github.GitHubSimulator;
import dev.mainstay.testkit.github.SimulatedRepository;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every page an org admin can open fits a 1366 px wide laptop screen, with the long names real
 * installations have: Java test names of 150 characters, failure messages with no space in them,
 * repository and branch names as long as GitHub allows, webhook URLs with query strings. A page
 * that overflows makes people scroll sideways to read a row, and hides the end of the text they
 * came for. Long text wraps instead, and what sits in a {@code <details>} fits when opened too.
 * Each page's screenshot is saved under {@code target/pages-at-1366/}.
 */
@ExtendWith(BrowserFixture.class)
class PagesFitTheScreenTest {

    private static final String ORG = TestUser.ADMIN.org();
    private static final int WIDTH = 1366;
    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String REPO = "acme/settlement-reconciliation-and-ledger-export-service-for-the-payments-platform-" + SUFFIX;
    private static final String BRANCH = "feature/PAY-48213-reconcile-partial-refunds-and-chargebacks-across-currencies-before-ledger-export";
    private static final String CLASS = "com.acme.payments.settlement.reconciliation.internal.adapters.persistence.jdbc"
        + ".SettlementBatchReconciliationRepositoryIntegrationTest";
    private static final String TEST = "reconcilesSettlementBatchesAcrossCurrencies_whenTheLedgerHasPartialRefundsAndChargebacks"
        + "[currency=EUR,acquirer=adyen-eu-west-1]";
    private static final String MESSAGE = "expected:<SettlementBatch{id=7f3c9a2e-41d8-4b5e-9c1a-0d2e3f4a5b6c,currency=EUR,total=1299.95,"
        + "status=RECONCILED}>but_was:<SettlementBatch{id=7f3c9a2e-41d8-4b5e-9c1a-0d2e3f4a5b6c,currency=EUR,total=1299.90,status=PENDING}>";
    private static final String STACK = "org.opentest4j.AssertionFailedError: " + MESSAGE + "\n"
        + "\tat org.junit.jupiter.api.AssertionFailureBuilder.build(AssertionFailureBuilder.java:151)\n"
        + "\tat " + CLASS + ".reconcilesSettlementBatchesAcrossCurrencies(SettlementBatchReconciliationRepositoryIntegrationTest.java:214)\n"
        + "\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)";

    private final SignedInAppliance appliance = SignedInAppliance.shared();
    private final GitHubSimulator github = SignedInAppliance.github();

    @Test
    void every_page_an_admin_opens_fits_a_1366_px_screen_with_long_names_wrapped(BrowserContext context) throws Exception {
        Page page = context.newPage();
        page.setViewportSize(WIDTH, 900);
        try (LiveGitHub live = new LiveGitHub(context)) {
            SimulatedRepository queued = live.repository("settlement-reconciliation-and-ledger-export-service-for-payments");
            github.ci().duration(Duration.ofMinutes(10));
            try {
                int pr = queued.openPullRequest("reconcile", "Reconcile partial refunds", Map.of("ledger.txt", "refunds\n"));
                queued.comment(pr, "alice", "/mainstay merge");
                live.await("the pull request is queued and tested", Duration.ofSeconds(60), () -> appliance.column(
                    "SELECT depth || ' ' || (testing > 0) FROM merge_queue WHERE repo = ?", queued.fullName()).equals(List.of("1 true")));
            } finally {
                github.ci().duration(Duration.ofMillis(50));
            }
            String testId = arrangeLongData(context);
            String queue = "/orgs/" + ORG + "/queues/" + queued.fullName();
            String repo = URLEncoder.encode(REPO, StandardCharsets.UTF_8);

            List<String> paths = List.of("/", "/account", "/audit", "/audit?action=webhook.*", "/orgs/" + ORG + "/members",
                "/orgs/" + ORG + "/tokens", "/orgs/" + ORG + "/uploads", "/orgs/" + ORG + "/uploads?repo=" + repo,
                "/orgs/" + ORG + "/flaky", "/orgs/" + ORG + "/flaky?repo=" + repo, "/orgs/" + ORG + "/flaky/tests",
                "/orgs/" + ORG + "/flaky/tests?repo=" + repo, "/orgs/" + ORG + "/flaky/tests/" + testId,
                "/orgs/" + ORG + "/flaky/settings", "/orgs/" + ORG + "/flaky/settings?repo=" + repo, "/orgs/" + ORG + "/webhooks",
                "/orgs/" + ORG + "/queues", queue + "?branch=main", queue + "/settings?branch=main",
                "/jobs", "/orgs/" + ORG + "/flaky/tests/no-such-test", "/auth/signed-out");
            List<String> overflowing = new ArrayList<>();
            List<String> rawTimes = new ArrayList<>();
            Path shots = Files.createDirectories(Path.of("target", "pages-at-" + WIDTH));
            for (int i = 0; i < paths.size(); i++) {
                String path = paths.get(i);
                page.navigate(appliance.url(path));
                overflow(page).ifPresent(o -> overflowing.add(path + ": " + o));
                rawTimes(page).ifPresent(t -> rawTimes.add(path + ": " + t));
                // To look at with human eyes: wrapped text should still read well.
                page.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve(String.format("%02d.png", i))).setFullPage(true));
            }
            assertEquals(List.of(), overflowing, "pages wider than the " + WIDTH + " px screen, and what sticks out");
            assertEquals(List.of(), rawTimes, "times shown other than as 'yyyy-MM-dd HH:mm:ss UTC', with the instant in datetime");
            assertEquals(List.of(), live.refused());
        }
    }

    /**
     * Uploads a failing and a passing run of a long-named test of a long-named repository and
     * branch, a refused upload with a long file name, and a webhook with a long URL, and makes a
     * token with a long name; returns the test's id.
     */
    private String arrangeLongData(BrowserContext context) throws Exception {
        SignedInAppliance.Session admin = appliance.signIn(context, KeycloakFixture.shared(), TestUser.ADMIN);
        String token = appliance.token(admin, "github-actions settlement-reconciliation nightly integration pipeline " + SUFFIX,
            List.of("uploads:write"));
        String failing = """
            <testsuite name="%1$s">
              <testcase classname="%1$s" name="%2$s" time="12.5">
                <failure message="%3$s" type="org.opentest4j.AssertionFailedError">%4$s</failure>
              </testcase>
            </testsuite>
            """.formatted(CLASS, TEST, MESSAGE.replace("<", "&lt;"), STACK.replace("<", "&lt;"));
        String passing = """
            <testsuite name="%1$s"><testcase classname="%1$s" name="%2$s" time="11.0"/></testsuite>
            """.formatted(CLASS, TEST);
        String file = "services/settlement-reconciliation/build/test-results/integrationTest/TEST-" + CLASS + ".xml";
        String job = "integration-tests (ubuntu-22.04, temurin-21, postgres-16, --tests " + CLASS + ")";
        String jobUrl = "https://github.example.com/acme/settlement/actions/runs/9876543210/job/27182818284?pr=4821&check_suite_focus=true";
        for (int attempt = 1; attempt <= 2; attempt++) {
            UploadMetadata metadata = new UploadMetadata(REPO, "ab".repeat(20), BRANCH, OptionalInt.of(4821), "github-actions", job,
                "27182818284", jobUrl, "9876543210", OptionalInt.of(attempt), "", Optional.empty(), Optional.empty());
            HttpResponse<String> upload = appliance.upload(token, UUID.randomUUID().toString(), metadata,
                Map.of(file, (attempt == 1 ? failing : passing).getBytes(StandardCharsets.UTF_8)));
            assertEquals(201, upload.statusCode(), upload.body());
        }
        UploadMetadata broken = new UploadMetadata(REPO, "cd".repeat(20), BRANCH, OptionalInt.empty(), "github-actions", job, "", "",
            "9876543211", OptionalInt.empty(), "", Optional.empty(), Optional.empty());
        HttpResponse<String> refused = appliance.upload(token, UUID.randomUUID().toString(), broken,
            Map.of(file, ("<testsuite name=\"" + CLASS + "\"><testcase classname=\"" + CLASS + "\"").getBytes(StandardCharsets.UTF_8)));
        assertTrue(refused.statusCode() >= 400, refused.body());
        String hook = "https://chat-bridge.payments-platform.internal.example.com/hooks/mainstay/flaky-tests/settlement-reconciliation"
            + "?channel=payments-settlement-alerts&format=slack-blocks&token-ref=vault-kv-secret-payments-bridge-" + SUFFIX;
        HttpResponse<String> made = appliance.json(admin, "POST", "/api/v1/orgs/" + ORG + "/webhooks",
            "{\"url\": \"" + hook + "\", \"events\": [\"flaky.status_changed\", \"quarantine.changed\"]}");
        assertEquals(201, made.statusCode(), made.body());
        return appliance.await("the verdict of the long-named test", "SELECT test_id FROM flaky_test WHERE repo = ? AND name = ?",
            REPO, TEST);
    }

    @Test
    void times_read_in_the_readers_own_zone_to_the_second_with_the_exact_instant_in_datetime_and_title(BrowserContext context)
        throws Exception {
        String repo = "acme/times-" + SUFFIX;
        String token = appliance.token(context, KeycloakFixture.shared(), "times-" + SUFFIX, "uploads:write");
        UploadMetadata metadata = new UploadMetadata(repo, "ef".repeat(20), "main", OptionalInt.empty(), "", "unit", "", "", "run-1",
            OptionalInt.empty(), "", Optional.empty(), Optional.empty());
        assertEquals(201, appliance.upload(token, UUID.randomUUID().toString(), metadata,
            Map.of("TEST-t.xml", "<testsuite name=\"T\"><testcase classname=\"T\" name=\"t\"/></testsuite>".getBytes(StandardCharsets.UTF_8)))
            .statusCode());
        String id = appliance.column("SELECT CAST(id AS text) FROM ingest_upload WHERE repo = ?", repo).getFirst();
        Instant received = Instant.EPOCH.plus(Long.parseLong(appliance.column(
            "SELECT CAST(extract(epoch FROM received_at) * 1000000 AS bigint) FROM ingest_upload WHERE id = CAST(? AS uuid)", id).getFirst()),
            ChronoUnit.MICROS);

        // India is five and a half hours ahead of UTC all year: no daylight saving to make the expectation depend on the date.
        try (BrowserContext kolkata = context.browser().newContext(new Browser.NewContextOptions().setIgnoreHTTPSErrors(true)
            .setTimezoneId("Asia/Kolkata"))) {
            appliance.signIn(kolkata, KeycloakFixture.shared(), TestUser.ADMIN);
            Page page = kolkata.newPage();
            page.navigate(appliance.url("/orgs/" + ORG + "/uploads?repo=" + URLEncoder.encode(repo, StandardCharsets.UTF_8)));
            Locator time = page.locator("#upload-" + id + " time");
            String iso = received.truncatedTo(ChronoUnit.MILLIS).toString();
            assertEquals(iso, time.getAttribute("datetime"), "the exact instant, to the millisecond, is in datetime");
            assertEquals(iso, time.getAttribute("title"), "and in the tooltip");
            assertEquals(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").format(received.atZone(ZoneId.of("Asia/Kolkata")))
                + " UTC+5:30", time.innerText(), "the reader's local time, to the second, naming the zone's offset");
        }

        // Without scripts, the server's own text: the same form, in UTC.
        SignedInAppliance.Session admin = appliance.signIn(context, KeycloakFixture.shared(), TestUser.ADMIN);
        String html = appliance.http().send(HttpRequest.newBuilder(URI.create(appliance.url("/orgs/" + ORG + "/uploads?repo="
            + URLEncoder.encode(repo, StandardCharsets.UTF_8)))).header("Cookie", admin.cookie()).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        String utc = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").format(received.atZone(ZoneOffset.UTC)) + " UTC";
        String expected = "<time datetime=\"" + received.truncatedTo(ChronoUnit.MILLIS) + "\" title=\""
            + received.truncatedTo(ChronoUnit.MILLIS) + "\">" + utc + "</time>";
        assertTrue(html.contains(expected), "the page carries " + expected);
    }

    /**
     * Times {@code page} shows other than through the time template and its script: a
     * {@code <time>} whose text is not {@code yyyy-MM-dd HH:mm:ss UTC[+-h[:mm]]} or whose
     * {@code title} is not its {@code datetime}, or an ISO instant in the text (audit details aside).
     */
    private static Optional<String> rawTimes(Page page) {
        Object found = page.evaluate("""
            () => {
                const shown = /^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} UTC([+-]\\d{1,2}(:\\d{2})?)?$/;
                const bad = [...document.querySelectorAll('time')]
                    .filter(t => !shown.test(t.textContent) || t.getAttribute('title') !== t.getAttribute('datetime'))
                    .map(t => t.outerHTML);
                // Audit details are the stored values, shown as they are stored.
                const text = document.body.cloneNode(true);
                text.querySelectorAll('.detail').forEach(d => d.remove());
                const iso = text.textContent.match(/\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}[^\\s]*/g) || [];
                return bad.concat(iso).slice(0, 5).join(', ');
            }
            """);
        return Optional.of(String.valueOf(found)).filter(s -> !s.isEmpty());
    }

    /**
     * What makes {@code page} wider than the window, with every {@code <details>} opened: the
     * document's width if it scrolls sideways, and the first elements whose right edge is past the
     * window's (inside a scrolling box too).
     */
    private static Optional<String> overflow(Page page) {
        Object found = page.evaluate("""
            () => {
                document.querySelectorAll('details').forEach(d => d.open = true);
                const width = window.innerWidth;
                const wide = [...document.querySelectorAll('body *')]
                    .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && (r.right > width + 0.5 || r.width > width); })
                    .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : '')
                        + ' (right edge ' + Math.round(e.getBoundingClientRect().right) + ' px)');
                const scroll = document.documentElement.scrollWidth;
                if (scroll <= width && wide.length === 0) {
                    return '';
                }
                return 'document ' + scroll + ' px wide; ' + wide.slice(0, 6).join(', ');
            }
            """);
        return Optional.of(String.valueOf(found)).filter(s -> !s.isEmpty());
    }
}
