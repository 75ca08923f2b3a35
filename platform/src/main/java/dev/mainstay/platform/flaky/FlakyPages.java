package dev.mainstay.platform.flaky;

import dev.mainstay.platform.auditing.Audited;
import dev.mainstay.platform.identity.AccessPolicy;
import dev.mainstay.platform.identity.Caller;
import dev.mainstay.platform.identity.RequestIdentity;
import dev.mainstay.platform.identity.Requires;
import dev.mainstay.platform.web.ErrorPages;
import dev.mainstay.platform.web.Pages;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The flaky-test pages of an org: the overview (counts, the {@value FlakyDashboard#TREND_DAYS}-day
 * trend, the costliest tests), the test list, and a test's page with its history, failures (text
 * only for {@code failures:read}, each view audited) and quarantine controls.
 */
@RequestScoped
@Path("/orgs/{org}/flaky")
public class FlakyPages {

    private static final Pattern TEST_ID = Pattern.compile("[0-9a-f]{32}");

    private final Pages pages;
    private final ErrorPages errors;
    private final FlakyDashboard dashboard;
    private final Quarantines quarantines;
    private final FailureClusters clusters;
    private final RequestIdentity identity;
    private final AccessPolicy access;
    private final Clock clock;

    @Inject
    FlakyPages(Pages pages, ErrorPages errors, FlakyDashboard dashboard, Quarantines quarantines, FailureClusters clusters,
               RequestIdentity identity, AccessPolicy access, Clock clock) {
        this.pages = pages;
        this.errors = errors;
        this.dashboard = dashboard;
        this.quarantines = quarantines;
        this.clusters = clusters;
        this.identity = identity;
        this.access = access;
        this.clock = clock;
    }

    /** The overview; its failure clusters' labels are shown, and their view recorded, for failures:read. */
    @GET
    @Requires("uploads:read")
    @Audited("failure.view")
    public Response overview(@PathParam("org") String org, @QueryParam("repo") String repo) {
        Optional<String> only = repo(repo);
        Instant now = clock.instant();
        List<FlakyDashboard.Day> trend = dashboard.trend(org, only, now);
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("org", org);
        model.put("repo", only.orElse(""));
        model.put("counts", dashboard.counts(org, only, now));
        model.put("trend", trend);
        model.put("trendSvg", Charts.trend(trend));
        model.put("impact", dashboard.impact(org, only, now, 10));
        model.put("clusters", clusters.top(identity.caller().orElseThrow(), org, only, now.minus(Duration.ofDays(FlakyDashboard.TREND_DAYS)), 10));
        return pages.html(Response.Status.OK, pages.render("flaky/overview.jte",
            pages.context("Flaky tests of " + org, "/orgs/" + org + "/flaky"), model));
    }

    @GET
    @Path("tests")
    @Requires("uploads:read")
    public Response list(@PathParam("org") String org, @QueryParam("repo") String repo, @QueryParam("status") String status,
                         @QueryParam("q") String search, @QueryParam("quarantined") String quarantined, @QueryParam("sort") String sort,
                         @QueryParam("page") String page) {
        FlakyDashboard.Filter filter = new FlakyDashboard.Filter(repo(repo),
            Optional.ofNullable(status).filter(FlakyDashboard.Filter.STATUSES::contains),
            Optional.ofNullable(search).map(String::strip).filter(q -> !q.isEmpty()).map(q -> q.length() > 200 ? q.substring(0, 200) : q),
            "true".equals(quarantined) || "on".equals(quarantined),
            sort != null && FlakyDashboard.Filter.SORTS.contains(sort) ? sort : "score");
        int number = page != null && page.matches("\\d{1,6}") ? Integer.parseInt(page) : 1;
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("org", org);
        model.put("filter", filter);
        model.put("result", dashboard.tests(org, filter, number, clock.instant()));
        model.put("statuses", FlakyDashboard.Filter.STATUSES);
        return pages.html(Response.Status.OK, pages.render("flaky/tests.jte",
            pages.context("Tests of " + org, "/orgs/" + org + "/flaky"), model));
    }

    /** A test's page; shows failure text to those who may read it, and records that they saw it. */
    @GET
    @Path("tests/{test}")
    @Requires("uploads:read")
    @Audited("failure.view")
    public Response test(@PathParam("org") String org, @PathParam("test") String test) {
        return detail(org, test, Response.Status.OK, "");
    }

    @POST
    @Path("tests/{test}/quarantine")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Requires("quarantine:manage")
    @Audited("quarantine.add")
    public Response quarantine(@PathParam("org") String org, @PathParam("test") String test, @FormParam("reason") String reason,
                               @FormParam("owner") String owner, @FormParam("days") String days) {
        if (!TEST_ID.matcher(test).matches()) {
            return notFound(org);
        }
        Instant now = clock.instant();
        String why;
        String who;
        int lifetime;
        try {
            why = QuarantineApi.checkText("reason", reason == null ? "" : reason.strip(), QuarantineApi.MAX_REASON);
            who = QuarantineApi.checkText("owner", owner == null ? "" : owner.strip(), QuarantineApi.MAX_OWNER);
            if (why.isEmpty()) {
                throw new IllegalArgumentException("reason is required: say why the test is quarantined, e.g. the issue that tracks its fix");
            }
            String d = days == null || days.isBlank() ? Long.toString(QuarantineApi.DEFAULT_LENGTH.toDays()) : days.strip();
            if (!d.matches("\\d{1,3}") || Integer.parseInt(d) < 1 || Integer.parseInt(d) > 365) {
                throw new IllegalArgumentException("days must be a whole number from 1 to 365, not '" + d + "'");
            }
            lifetime = Integer.parseInt(d);
        } catch (IllegalArgumentException e) {
            return detail(org, test, Response.Status.BAD_REQUEST, e.getMessage());
        }
        try {
            quarantines.quarantine(identity.caller().orElseThrow(), org, test, why, who, Optional.of(now.plus(Duration.ofDays(lifetime))), now);
        } catch (Quarantines.UnknownTest e) {
            return notFound(org);
        }
        return Response.seeOther(URI.create("/orgs/" + org + "/flaky/tests/" + test)).build();
    }

    @POST
    @Path("tests/{test}/lift")
    @Requires("quarantine:manage")
    @Audited("quarantine.lift")
    public Response lift(@PathParam("org") String org, @PathParam("test") String test) {
        if (!TEST_ID.matcher(test).matches()) {
            return notFound(org);
        }
        quarantines.lift(identity.caller().orElseThrow(), org, test, clock.instant());
        return Response.seeOther(URI.create("/orgs/" + org + "/flaky/tests/" + test)).build();
    }

    private Response detail(String org, String test, Response.Status status, String problem) {
        if (!TEST_ID.matcher(test).matches()) {
            return notFound(org);
        }
        Caller caller = identity.caller().orElseThrow();
        Optional<FlakyDashboard.Detail> detail = dashboard.detail(caller, org, test, clock.instant());
        if (detail.isEmpty()) {
            return notFound(org);
        }
        boolean canManage = caller instanceof Caller.Person p && access.grants(p.roles(), "quarantine:manage");
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("org", org);
        model.put("detail", detail.get());
        model.put("durationSvg", Charts.durations(detail.get().runs()));
        model.put("canManage", canManage);
        model.put("problem", problem);
        return pages.html(status, pages.render("flaky/test.jte",
            pages.context(detail.get().test().title(), "/orgs/" + org + "/flaky"), model));
    }

    private Response notFound(String org) {
        return errors.page(Response.Status.NOT_FOUND, "Not found", "There is no such test in " + org + ".");
    }

    private static Optional<String> repo(String repo) {
        return Optional.ofNullable(repo).map(String::strip).filter(RepoName::valid);
    }
}
