package dev.mainstay.platform.flaky;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.BrowserContext;
import dev.mainstay.platform.identity.SignedInAppliance;
import dev.mainstay.reports.bundle.UploadMetadata;
import dev.mainstay.testkit.BrowserFixture;
import dev.mainstay.testkit.KeycloakFixture;
import dev.mainstay.testkit.TestUser;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tests that fail with one root cause — the database unreachable, each test printing its own ephemeral port, request id
 * and temp directory — show as one failure cluster; a different failure as another. Admins see what the failure is and
 * the view is audited; members see the counts with the label masked.
 */
@ExtendWith(BrowserFixture.class)
class FailureClustersTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SignedInAppliance appliance = SignedInAppliance.shared();

    private static String unreachable(String test, int port, String request, String temp, int line) {
        return """
              <testcase classname="com.acme.%1$s" name="loads">
                <error message="Connection to db:5432 refused. (request %3$s)" type="org.postgresql.util.PSQLException">org.postgresql.util.PSQLException: Connection to db:5432 refused. (request %3$s)
            \tat org.postgresql.core.v3.ConnectionFactoryImpl.openConnectionImpl(ConnectionFactoryImpl.java:%5$d)
            \tat org.postgresql.core.ConnectionFactory.openConnection(ConnectionFactory.java:49)
            \tat com.acme.%1$s.loads(%1$s.java:%5$d)
            Caused by: java.net.ConnectException: Connection refused (local port %2$d, data dir %4$s)
            \tat java.base/sun.nio.ch.Net.connect0(Native Method)
            \t... 31 more</error>
              </testcase>
            """.formatted(test, port, request, temp, line);
    }

    @Test
    void tests_failing_on_one_unreachable_database_are_one_cluster_whose_label_only_failure_readers_see(BrowserContext context)
        throws Exception {
        String repo = "acme/clusters-" + UUID.randomUUID();
        KeycloakFixture keycloak = KeycloakFixture.shared();
        SignedInAppliance.Session admin = appliance.signIn(context, keycloak, TestUser.ADMIN);
        String token = appliance.token(admin, "clusters-test", List.of("uploads:write"));
        String report = "<testsuite name=\"acme\">\n"
            + unreachable("CartTest", 51234, "4f9c2a1e-8b7d-4c3e-9f21-0a6b5c4d3e2f", "/tmp/junit1234/cart", 31)
            + unreachable("OrderTest", 40001, "0e1d2c3b-4a59-4876-a5b4-c3d2e1f0a9b8", "/tmp/junit9876/orders", 77)
            + unreachable("UserTest", 60999, "11111111-2222-4333-8444-555555555555", "/var/folders/x1/T/users", 12)
            + "<testcase classname=\"com.acme.TaxTest\" name=\"rounds\"><failure message=\"expected 19.99 but was 20.0\""
            + " type=\"java.lang.AssertionError\">java.lang.AssertionError: expected 19.99 but was 20.0\n"
            + "\tat com.acme.TaxTest.rounds(TaxTest.java:18)</failure></testcase>\n"
            + "<testcase classname=\"com.acme.TaxTest\" name=\"adds\"/>\n</testsuite>";
        UploadMetadata metadata = UploadMetadata.of(repo, "0123456789abcdef0123456789abcdef01234567");
        HttpResponse<String> uploaded = appliance.upload(token, UUID.randomUUID().toString(), metadata,
            Map.of("TEST-acme.xml", report.getBytes(StandardCharsets.UTF_8)));
        assertEquals(201, uploaded.statusCode(), uploaded.body());
        // A second upload of the cart test failing the same way: one more failure, no more tests.
        HttpResponse<String> again = appliance.upload(token, UUID.randomUUID().toString(), metadata, Map.of("TEST-acme.xml",
            ("<testsuite name=\"acme\">" + unreachable("CartTest", 33333, "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", "/tmp/junit5555/cart", 31)
                + "</testsuite>").getBytes(StandardCharsets.UTF_8)));
        assertEquals(201, again.statusCode(), again.body());

        assertEquals(List.of("error true", "error true", "error true", "error true", "failed true", "passed false"), appliance.column(
            "SELECT status || ' ' || (failure_signature IS NOT NULL) FROM test_execution WHERE repo = ? ORDER BY status, name", repo),
            "every failure and error has a signature, a pass none");
        assertEquals(List.of("2"), appliance.column("SELECT count(DISTINCT c.signature) FROM flaky_failure_cluster c"
            + " JOIN test_execution e ON e.org = c.org AND e.failure_signature = c.signature WHERE e.repo = ?", repo));
        assertEquals(List.of(), appliance.column("SELECT c.org FROM flaky_failure_cluster c JOIN test_execution e ON e.org = c.org"
            + " AND e.failure_signature = c.signature WHERE e.repo = ? AND position(convert_to('ConnectException', 'UTF8') IN c.label) > 0",
            repo), "labels are stored encrypted");

        long mark = Long.parseLong(appliance.column("SELECT seq FROM audit_head").getFirst());
        JsonNode shown = clusters(admin, repo);
        JsonNode list = shown.get("clusters");
        assertEquals(2, list.size(), shown.toString());
        JsonNode database = list.get(0);
        assertEquals(3, database.get("tests").asInt(), "three tests cannot reach the database: " + shown);
        assertEquals(4, database.get("failures").asInt(), "four failures, two of the cart test: " + shown);
        assertEquals("""
            org.postgresql.util.PSQLException: Connection to db:5432 refused. (request <uuid>)
            Caused by: java.net.ConnectException: Connection refused (local port <n>, data dir <tmp>)
            at org.postgresql.core.v3.ConnectionFactoryImpl.openConnectionImpl
            at org.postgresql.core.ConnectionFactory.openConnection""", database.get("label").asText(),
            "ids, ports and temp paths stripped; the database's host and port kept");
        JsonNode tax = list.get(1);
        assertEquals(1, tax.get("tests").asInt(), shown.toString());
        assertEquals("java.lang.AssertionError: expected <n>.<n> but was <n>.<n>\nat com.acme.TaxTest.rounds", tax.get("label").asText());
        assertFalse(database.get("label_masked").asBoolean());
        assertEquals(List.of("failure.view admin " + database.get("id").asText() + "," + tax.get("id").asText() + " " + repo),
            appliance.column("SELECT action || ' ' || actor_name || ' ' || (details::jsonb ->> 'clusters') || ' ' || (details::jsonb ->> 'repo')"
                + " FROM audit_event WHERE seq > ? AND action = 'failure.view'", mark), "the admin's view is audited with the clusters shown");

        SignedInAppliance.Session member = appliance.signIn(context, keycloak, TestUser.MEMBER);
        long beforeMember = Long.parseLong(appliance.column("SELECT seq FROM audit_head").getFirst());
        JsonNode masked = clusters(member, repo);
        assertEquals(2, masked.get("clusters").size(), masked.toString());
        for (JsonNode c : masked.get("clusters")) {
            assertTrue(c.get("label").isNull(), "a member sees no failure text: " + masked);
            assertTrue(c.get("label_masked").asBoolean(), masked.toString());
        }
        assertEquals(3, masked.get("clusters").get(0).get("tests").asInt(), "but the counts: " + masked);
        assertEquals(database.get("id"), masked.get("clusters").get(0).get("id"));
        assertEquals(List.of(), appliance.column("SELECT action FROM audit_event WHERE seq > ? AND action = 'failure.view'",
            beforeMember), "nothing confidential was shown");

        HttpResponse<String> bad = appliance.json(admin, "GET", "/api/v1/orgs/acme/flaky/clusters?repo=" + repo + "&days=0", null);
        assertEquals(400, bad.statusCode(), bad.body());
        assertTrue(bad.body().contains("?days= is a whole number of days from 1 to 400, not '0'"), bad.body());
    }

    private JsonNode clusters(SignedInAppliance.Session session, String repo) throws Exception {
        HttpResponse<String> response = appliance.json(session, "GET", "/api/v1/orgs/acme/flaky/clusters?repo=" + repo, null);
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }
}
