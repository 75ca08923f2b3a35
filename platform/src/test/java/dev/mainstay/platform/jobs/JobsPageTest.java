package dev.mainstay.platform.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.mainstay.platform.identity.SignedInAppliance;
import dev.mainstay.testkit.BrowserFixture;
import dev.mainstay.testkit.KeycloakFixture;
import dev.mainstay.testkit.TestUser;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Jobs page and API, as an admin and a member see them, in real Chromium against the running appliance. */
@ExtendWith(BrowserFixture.class)
class JobsPageTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SignedInAppliance appliance = SignedInAppliance.shared();
    private final KeycloakFixture keycloak = KeycloakFixture.shared();

    @Test
    void an_admin_sees_every_job_runs_one_now_and_finds_the_run_recorded_and_audited(Page page) throws Exception {
        long runsBefore = Long.parseLong(appliance.column("SELECT count(*) FROM job_run WHERE job = 'queue-retention'").getFirst());
        appliance.signIn(page, keycloak, TestUser.ADMIN, "/jobs");
        assertEquals("Jobs", page.locator("h1").innerText());
        assertTrue(page.locator("nav.side-nav").innerText().contains("Jobs"), "the admin's navigation offers the page");
        for (JobDefinition job : JobCatalogue.ALL) {
            Locator section = page.locator("#job-" + job.name());
            assertEquals(1, section.count(), job.name() + " is listed: " + page.content());
        }
        Locator retention = page.locator("#job-queue-retention");
        assertTrue(retention.innerText().contains("0 10 * * * ?"), "its default schedule: " + retention.innerText());
        assertTrue(retention.locator(".next-fire time").count() == 1, "its next run: " + retention.innerText());

        page.waitForNavigation(() -> retention.locator("button[type=submit]").click());
        assertTrue(page.locator("#requested").innerText().contains("queue-retention"), page.content());
        String outcome = appliance.await("the run asked for is recorded", "SELECT outcome FROM job_run WHERE job = 'queue-retention'"
            + " AND triggered_by = 'person:admin' AND outcome <> 'running' ORDER BY started DESC LIMIT 1");
        assertEquals("succeeded", outcome);
        assertEquals(runsBefore + 1, Long.parseLong(appliance.column("SELECT count(*) FROM job_run WHERE job = 'queue-retention'")
            .getFirst()), "one run, on one replica");
        assertEquals(List.of("success"), appliance.column("SELECT outcome FROM audit_event WHERE action = 'job.run'"
            + " AND target_id = 'queue-retention' AND details::jsonb->>'triggered_by' = 'person:admin' ORDER BY seq DESC LIMIT 1"),
            "the run is in the audit trail");
        assertEquals(List.of("admin"), appliance.column("SELECT actor_name FROM audit_event WHERE action = 'job.run-now'"
            + " AND target_id = 'queue-retention' ORDER BY seq DESC LIMIT 1"), "and so is who asked for it");

        page.navigate(appliance.url("/jobs"));
        Locator run = page.locator("#job-queue-retention tr.run").first();
        assertTrue(run.innerText().contains("succeeded"), run.innerText());
        assertTrue(run.innerText().contains("person:admin"), run.innerText());
        assertTrue(run.locator(".counts").innerText().contains("events=0"), "the counts the job reported: " + run.innerText());
    }

    @Test
    void the_api_lists_each_job_with_its_schedule_next_run_and_last_runs(BrowserContext context) throws Exception {
        appliance.await("Keycloak's events were pulled by the job at least once",
            "SELECT 1 FROM job_run WHERE job = 'keycloak-events' AND outcome = 'succeeded'");
        SignedInAppliance.Session admin = appliance.signIn(context, keycloak, TestUser.ADMIN);
        HttpResponse<String> response = appliance.json(admin, "GET", "/api/v1/jobs", null);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode jobs = JSON.readTree(response.body()).path("jobs");
        List<String> names = new ArrayList<>();
        jobs.forEach(j -> names.add(j.path("name").asText()));
        assertEquals(JobCatalogue.ALL.stream().map(JobDefinition::name).toList(), names);
        JsonNode keycloakEvents = jobs.get(1);
        assertEquals("* * * * * ?", keycloakEvents.path("schedule").asText(), "the test appliance pulls every second");
        assertEquals("skip-to-next", keycloakEvents.path("misfire").asText());
        assertTrue(keycloakEvents.path("next_fire").isTextual(), keycloakEvents.toString());
        JsonNode last = keycloakEvents.path("runs").get(0);
        assertTrue(last.path("counts").has("recorded") || last.path("outcome").asText().equals("running"), last.toString());
        assertTrue(last.path("replica").asText().contains("-"), "the replica that ran it: " + last);

        HttpResponse<String> unknown = appliance.json(admin, "POST", "/api/v1/jobs/no-such-job/run", null);
        assertEquals(404, unknown.statusCode(), unknown.body());
    }

    @Test
    void a_member_may_not_see_the_jobs(BrowserContext context) throws Exception {
        SignedInAppliance.Session member = appliance.signIn(context, keycloak, TestUser.MEMBER);
        HttpResponse<String> response = appliance.json(member, "GET", "/api/v1/jobs", null);
        assertEquals(403, response.statusCode(), response.body());
        HttpResponse<String> run = appliance.json(member, "POST", "/api/v1/jobs/queue-retention/run", null);
        assertEquals(403, run.statusCode(), run.body());
    }

    @Test
    void a_failed_run_is_recorded_as_failed_with_its_error_audited_and_retried_after_the_jobs_delay(BrowserContext context)
        throws Exception {
        // The database refuses the job's delete, as it would when a migration or a lock went wrong.
        try (Connection c = appliance.database(); Statement s = c.createStatement()) {
            s.execute("CREATE OR REPLACE FUNCTION jobs_test_refuse() RETURNS trigger LANGUAGE plpgsql AS"
                + " $$ BEGIN RAISE EXCEPTION 'deliveries may not be deleted now'; END $$");
            s.execute("CREATE TRIGGER jobs_test_refuse BEFORE DELETE ON flaky_webhook_delivery"
                + " FOR EACH STATEMENT EXECUTE FUNCTION jobs_test_refuse()");
        }
        try {
            SignedInAppliance.Session admin = appliance.signIn(context, keycloak, TestUser.ADMIN);
            HttpResponse<String> asked = appliance.json(admin, "POST", "/api/v1/jobs/webhook-delivery-retention/run", null);
            assertEquals(202, asked.statusCode(), asked.body());
            String error = appliance.await("the failed run is recorded", "SELECT error FROM job_run WHERE job = 'webhook-delivery-retention'"
                + " AND triggered_by = 'person:admin' AND outcome = 'failed'");
            assertTrue(error.contains("deliveries may not be deleted now"), error);
        } finally {
            try (Connection c = appliance.database(); Statement s = c.createStatement()) {
                s.execute("DROP TRIGGER jobs_test_refuse ON flaky_webhook_delivery");
                s.execute("DROP FUNCTION jobs_test_refuse()");
            }
        }
        assertEquals(List.of("failure"), appliance.column("SELECT outcome FROM audit_event WHERE action = 'job.run'"
            + " AND target_id = 'webhook-delivery-retention' AND details::jsonb->>'triggered_by' = 'person:admin'"
            + " ORDER BY seq DESC LIMIT 1"), "the failure is in the audit trail");
        List<String> retry = appliance.column("SELECT description || ' in ' || round((next_fire_time / 1000.0"
            + " - extract(epoch FROM now())) / 60) || ' min' FROM qrtz_triggers WHERE job_name = 'webhook-delivery-retention'"
            + " AND description LIKE 'retry%'");
        assertEquals(List.of("retry, attempt 2 in 10 min"), retry, "the second of its three attempts comes after the job's delay");
    }
}
