package dev.mainstay.platform.flaky;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.mainstay.platform.identity.SignedInAppliance;
import dev.mainstay.reports.bundle.UploadMetadata;
import dev.mainstay.testkit.BrowserFixture;
import dev.mainstay.testkit.KeycloakFixture;
import dev.mainstay.testkit.TestUser;
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
 * Regression: the Uploads page listed a repository with a stored upload while the flaky-test
 * Settings page said "No repository has uploaded test results yet". The Uploads page counted
 * {@code ingest_upload}; the Settings page listed the repositories of {@code flaky_test}, which gets
 * rows only once an upload is re-scored, and never for an upload flagged as a probable
 * infrastructure failure. Both now go by one answer, ingest's {@code RepositoriesWithResults}: a
 * repository has results once it has a stored upload; a refused upload stores none.
 */
@ExtendWith(BrowserFixture.class)
class RepositoriesWithResultsTest {

    private static final String ORG = TestUser.ADMIN.org();

    private final SignedInAppliance appliance = SignedInAppliance.shared();

    @Test
    void a_repository_whose_only_upload_was_an_infrastructure_failure_has_results_on_both_pages_and_a_refused_one_on_neither(
        BrowserContext context) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String broken = "acme/ci-down-" + suffix;
        String refused = "acme/unreadable-" + suffix;
        String token = appliance.token(context, KeycloakFixture.shared(), "results-" + suffix, "uploads:write");
        // Every test failed: stored, and flagged as a probable infrastructure failure, which detection ignores.
        String allFailed = """
            <testsuite name="com.acme.DownTest">
              <testcase classname="com.acme.DownTest" name="connects"><failure message="connection refused"/></testcase>
            </testsuite>
            """;
        HttpResponse<String> stored = appliance.upload(token, UUID.randomUUID().toString(), metadata(broken),
            Map.of("TEST-down.xml", allFailed.getBytes(StandardCharsets.UTF_8)));
        assertEquals(201, stored.statusCode(), stored.body());
        assertTrue(stored.body().contains("\"infrastructure_failure\":true"), stored.body());
        HttpResponse<String> notStored = appliance.upload(token, UUID.randomUUID().toString(), metadata(refused),
            Map.of("TEST-cut.xml", "<testsuite name=\"cut\"><testcase".getBytes(StandardCharsets.UTF_8)));
        assertEquals(422, notStored.statusCode(), notStored.body());

        context.clearCookies();
        Page page = context.newPage();
        appliance.signIn(page, KeycloakFixture.shared(), TestUser.MAINTAINER, "/orgs/" + ORG + "/uploads");
        String reposTable = "table[aria-labelledby=repos-heading]";
        assertEquals(List.of("1", "0"), List.of(page.locator(reposTable + " tr:has(a:text-is('" + broken + "')) td:nth-child(2)").textContent(),
            page.locator(reposTable + " tr:has(a:text-is('" + refused + "')) td:nth-child(2)").textContent()),
            "stored uploads: one of " + broken + ", none of " + refused);

        page.navigate(appliance.url("/orgs/" + ORG + "/flaky/settings"));
        List<String> listed = page.locator("#repo-list a").allTextContents();
        assertTrue(listed.contains(broken), broken + " has results, as the Uploads page says: " + listed);
        assertTrue(!listed.contains(refused), refused + " stored nothing: " + listed);
        page.close();
    }

    private static UploadMetadata metadata(String repo) {
        return new UploadMetadata(repo, "ab".repeat(20), "main", OptionalInt.empty(), "", "unit", "", "", "run-1", OptionalInt.empty(), "",
            Optional.empty(), Optional.empty());
    }
}
