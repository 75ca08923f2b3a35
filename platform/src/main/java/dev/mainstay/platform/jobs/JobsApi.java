package dev.mainstay.platform.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mainstay.platform.auditing.Audited;
import dev.mainstay.platform.identity.Problems;
import dev.mainstay.platform.identity.RequestIdentity;
import dev.mainstay.platform.identity.Requires;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.Optional;
import org.quartz.SchedulerException;

/**
 * The scheduled jobs over the API: {@code GET /api/v1/jobs} lists every job with its schedule,
 * next fire time and last runs; {@code POST /api/v1/jobs/{name}/run} asks for a run now (202), a
 * step-up action like the other sensitive ones.
 */
@RequestScoped
@Path("/api/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobsApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Jobs jobs;
    private final RunNow runNow;
    private final RequestIdentity identity;

    @Inject
    JobsApi(Jobs jobs, RunNow runNow, RequestIdentity identity) {
        this.jobs = jobs;
        this.runNow = runNow;
        this.identity = identity;
    }

    @GET
    @Requires("jobs:read")
    public Response list() throws SQLException, SchedulerException {
        ObjectNode out = JSON.createObjectNode();
        ArrayNode list = out.putArray("jobs");
        for (Jobs.Status status : jobs.statuses()) {
            ObjectNode job = list.addObject();
            job.put("name", status.definition().name());
            job.put("description", status.definition().description());
            job.put("schedule", status.schedule());
            job.put("time_zone", status.timeZone());
            job.put("enabled", status.enabled());
            job.put("misfire", status.definition().misfire().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            job.put("next_fire", status.nextFire().map(Object::toString).orElse(null));
            ArrayNode runs = job.putArray("runs");
            for (JobRuns.Run run : status.runs()) {
                ObjectNode r = runs.addObject();
                r.put("id", run.id().toString());
                r.put("replica", run.replica());
                r.put("triggered_by", run.triggeredBy());
                r.put("attempt", run.attempt());
                r.put("started", run.started().toString());
                r.put("finished", run.finished().map(Object::toString).orElse(null));
                if (run.duration().isPresent()) {
                    r.put("duration_ms", run.duration().get().toMillis());
                } else {
                    r.putNull("duration_ms");
                }
                r.put("outcome", run.outcome().word());
                ObjectNode counts = r.putObject("counts");
                run.counts().forEach(counts::put);
                r.put("error", run.error().orElse(null));
            }
        }
        return Response.ok(out.toString()).build();
    }

    @POST
    @Path("{job}/run")
    @Requires("jobs:run")
    @Audited("job.run-now")
    public Response run(@PathParam("job") String name) throws SchedulerException {
        Optional<JobDefinition> job = JobCatalogue.find(name);
        if (job.isEmpty()) {
            return Problems.problem(Response.Status.NOT_FOUND, "No such job", "there is no job '" + name + "'; GET /api/v1/jobs lists them");
        }
        runNow.request(identity.person().orElseThrow(), job.get());
        ObjectNode out = JSON.createObjectNode().put("job", name).put("requested", true);
        return Response.accepted(out.toString()).type(MediaType.APPLICATION_JSON).build();
    }
}
