package dev.mainstay.platform.jobs;

import dev.mainstay.platform.auditing.Audited;
import dev.mainstay.platform.identity.RequestIdentity;
import dev.mainstay.platform.identity.Requires;
import dev.mainstay.platform.web.ErrorPages;
import dev.mainstay.platform.web.Pages;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.quartz.SchedulerException;

/** The Jobs page: every scheduled job, its schedule, next run and last runs, with a "Run now" button. */
@RequestScoped
@Path("/jobs")
public class JobsPage {

    private final Pages pages;
    private final ErrorPages errors;
    private final Jobs jobs;
    private final RunNow runNow;
    private final RequestIdentity identity;

    @Inject
    JobsPage(Pages pages, ErrorPages errors, Jobs jobs, RunNow runNow, RequestIdentity identity) {
        this.pages = pages;
        this.errors = errors;
        this.jobs = jobs;
        this.runNow = runNow;
        this.identity = identity;
    }

    @GET
    @Requires("jobs:read")
    public Response page(@QueryParam("requested") String requested) throws SQLException, SchedulerException {
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("statuses", jobs.statuses());
        parameters.put("requested", JobCatalogue.find(requested == null ? "" : requested).map(JobDefinition::name).orElse(""));
        parameters.put("replica", jobs.replica());
        return pages.html(Response.Status.OK, pages.render("jobs/jobs.jte", pages.context("Jobs", "/jobs"), parameters));
    }

    @POST
    @Path("{job}/run")
    @Requires("jobs:run")
    @Audited("job.run-now")
    public Response run(@PathParam("job") String name) throws SchedulerException {
        Optional<JobDefinition> job = JobCatalogue.find(name);
        if (job.isEmpty()) {
            return errors.page(Response.Status.NOT_FOUND, "Not found", "There is no job '" + name + "'.");
        }
        runNow.request(identity.person().orElseThrow(), job.get());
        return Response.seeOther(URI.create("/jobs?requested=" + URLEncoder.encode(name, StandardCharsets.UTF_8))).build();
    }
}
