package dev.mainstay.platform.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.mainstay.platform.identity.SignedInAppliance;
import dev.mainstay.platform.queue.store.LiveGitHub;
import dev.mainstay.reports.bundle.UploadMetadata;
import dev.mainstay.testkit.BrowserFixture;
import dev.mainstay.testkit.KeycloakFixture;
import dev.mainstay.testkit.TestUser;
import dev.mainstay.testkit.github.GitHubSimulator;
import dev.mainstay.testkit.github.SimulatedRepository;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
                "/orgs/" + ORG + "/flaky/tests/no-such-test", "/auth/signed-out");
            List<String> overflowing = new ArrayList<>();
            Path shots = Files.createDirectories(Path.of("target", "pages-at-" + WIDTH));
            for (int i = 0; i < paths.size(); i++) {
                String path = paths.get(i);
                page.navigate(appliance.url(path));
                overflow(page).ifPresent(o -> overflowing.add(path + ": " + o));
                // To look at with human eyes: wrapped text should still read well.
                page.screenshot(new Page.ScreenshotOptions().setPath(shots.resolve(String.format("%02d.png", i))).setFullPage(true));
            }
            assertEquals(List.of(), overflowing, "pages wider than the " + WIDTH + " px screen, and what sticks out");
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
