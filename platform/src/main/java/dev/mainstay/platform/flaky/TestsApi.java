package dev.mainstay.platform.flaky;

import dev.mainstay.platform.identity.Problems;
import dev.mainstay.platform.identity.Requires;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The org's tests and what detection calls each, as the test list shows them:
 * {@code GET /api/v1/orgs/{org}/tests?repo=owner/name&status=flaky&q=text&sort=score&page=1}, 50 a page.
 * For people and for CI tokens with {@code tests:read} (a pipeline that reports or gates on its
 * flaky and broken tests). No failure text is in it.
 */
@RequestScoped
@Path("/api/v1/orgs/{org}/tests")
@Produces(MediaType.APPLICATION_JSON)
public class TestsApi {

    private static final Pattern PAGE = Pattern.compile("[1-9][0-9]{0,5}");

    private final FlakyDashboard dashboard;
    private final Clock clock;

    @Inject
    TestsApi(FlakyDashboard dashboard, Clock clock) {
        this.dashboard = dashboard;
        this.clock = clock;
    }

    @GET
    @Requires("tests:read")
    public Response list(@PathParam("org") String org, @QueryParam("repo") String repo, @QueryParam("status") String status,
                         @QueryParam("q") String search, @QueryParam("sort") String sort, @QueryParam("page") String page) {
        if (repo != null && !repo.isBlank() && !RepoName.valid(repo)) {
            return Problems.problem(Response.Status.BAD_REQUEST, "Invalid repo", "repo must be owner/name, not '" + repo + "'");
        }
        if (status != null && !status.isBlank() && !FlakyDashboard.Filter.STATUSES.contains(status)) {
            return Problems.problem(Response.Status.BAD_REQUEST, "Invalid status", "status must be one of "
                + FlakyDashboard.Filter.STATUSES + ", not '" + status + "'");
        }
        if (sort != null && !sort.isBlank() && !FlakyDashboard.Filter.SORTS.contains(sort)) {
            return Problems.problem(Response.Status.BAD_REQUEST, "Invalid sort", "sort must be one of " + FlakyDashboard.Filter.SORTS
                + ", not '" + sort + "'");
        }
        if (page != null && !page.isBlank() && !PAGE.matcher(page).matches()) {
            return Problems.problem(Response.Status.BAD_REQUEST, "Invalid page", "page must be a number from 1, not '" + page + "'");
        }
        FlakyDashboard.Filter filter = new FlakyDashboard.Filter(present(repo), present(status), present(search), false,
            present(sort).orElse("score"));
        FlakyDashboard.TestPage shown = dashboard.tests(org, filter, present(page).map(Integer::parseInt).orElse(1), clock.instant());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("total", shown.total());
        body.put("page", shown.page());
        body.put("pages", shown.pages());
        body.put("tests", shown.rows().stream().map(TestsApi::json).toList());
        return Response.ok(body).build();
    }

    private static Map<String, Object> json(FlakyDashboard.TestRow t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.testId());
        m.put("repo", t.repo());
        m.put("file", t.file());
        m.put("classname", t.classname());
        m.put("name", t.name());
        m.put("variant", t.variant());
        m.put("status", t.status());
        m.put("score", t.score());
        m.put("confidence", t.confidence());
        m.put("monitors", t.monitors());
        m.put("quarantined", t.quarantined());
        m.put("last_seen", t.lastSeen().toString());
        return m;
    }

    private static Optional<String> present(String value) {
        return Optional.ofNullable(value).map(String::strip).filter(v -> !v.isEmpty());
    }
}
