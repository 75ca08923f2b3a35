package dev.mainstay.platform.flaky;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mainstay.flaky.DetectionSettings;
import dev.mainstay.flaky.SettingsJson;
import dev.mainstay.platform.auditing.Audited;
import dev.mainstay.platform.identity.AccessPolicy;
import dev.mainstay.platform.identity.Caller;
import dev.mainstay.platform.identity.RequestIdentity;
import dev.mainstay.platform.identity.Requires;
import dev.mainstay.platform.web.Pages;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A repository's flaky-test settings as a page: its detection thresholds (a field left empty keeps
 * the default, so a repository follows better defaults a later release brings) and its
 * auto-quarantine policy. The same checks and audit records as {@link FlakySettingsApi} and
 * {@link QuarantineApi}; anyone who reads the dashboards sees the settings in effect, only
 * {@code flaky:configure} and {@code quarantine:manage} get the forms.
 */
@RequestScoped
@Path("/orgs/{org}/flaky/settings")
public class FlakySettingsPage {

    /** What each threshold means, in {@link SettingsJson#KEYS} order. */
    public static final List<Threshold> THRESHOLDS = List.of(
        new Threshold("protected_branches", "Protected branches",
            "Branch globs whose every commit is meant to pass, separated by commas (* within a path segment, ** across them). "
                + "Only their runs count towards the failure rate and broken."),
        new Threshold("window_days", "Window (days)", "How far back executions count."),
        new Threshold("max_executions", "Executions per test", "At most this many of a test's newest executions count."),
        new Threshold("retry_min_commits", "Pass-on-retry commits",
            "Commits with both a failure and a pass of the test that make it flaky."),
        new Threshold("rate_activate", "Failure rate to flag",
            "Share of protected-branch runs failing, with a pass on the same code, that makes a test flaky."),
        new Threshold("rate_resolve", "Failure rate to clear", "The rate below which that stops (at most the rate to flag)."),
        new Threshold("rate_min_sample", "Runs before the rate counts", "Protected-branch runs needed before the rate can flag a test."),
        new Threshold("score_activate", "Confidence to flag", "Confidence of the flakiness score that makes a test flaky."),
        new Threshold("score_resolve", "Confidence to clear", "The confidence below which that stops (at most the confidence to flag)."),
        new Threshold("prior_flaky", "Prior: share of tests that flake", "Before any evidence, how likely a test is to be flaky."),
        new Threshold("prior_rate", "Prior: flake rate", "The flake rate a flaky test is assumed to have before evidence."),
        new Threshold("prior_weight", "Prior: weight in runs", "How many runs that prior rate weighs as."),
        new Threshold("noise_rate", "Noise rate",
            "How often a healthy test fails on a protected branch for no reason of its own (below the prior flake rate)."),
        new Threshold("broken_min_failures", "Failing commits for broken",
            "Commits failing in a row, at the end of the protected-branch runs, that make a test broken."),
        new Threshold("broken_significance", "Broken significance",
            "How unlikely that streak must be for a test known to flake before it is called broken."));

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Pages pages;
    private final RepoSettings settings;
    private final Quarantines quarantines;
    private final RequestIdentity identity;
    private final AccessPolicy access;
    private final Clock clock;

    @Inject
    FlakySettingsPage(Pages pages, RepoSettings settings, Quarantines quarantines, RequestIdentity identity, AccessPolicy access,
                      Clock clock) {
        this.pages = pages;
        this.settings = settings;
        this.quarantines = quarantines;
        this.identity = identity;
        this.access = access;
        this.clock = clock;
    }

    /** One threshold's form field. */
    public record Threshold(String key, String label, String help) {
    }

    /** A threshold as the page shows it: the override entered, or empty for the default it shows beside. */
    public record Field(Threshold threshold, String value, String defaultValue, String effective) {
    }

    @GET
    @Requires("uploads:read")
    public Response show(@PathParam("org") String org, @QueryParam("repo") String repo, @QueryParam("saved") String saved,
                         @QueryParam("quarantined") String quarantined) {
        Optional<String> chosen = Optional.ofNullable(repo).map(String::strip).filter(RepoName::valid);
        String notice = "";
        if (chosen.isPresent() && "thresholds".equals(saved)) {
            notice = "Detection settings saved. They apply from the next upload of " + chosen.get() + ".";
        } else if (chosen.isPresent() && "policy".equals(saved)) {
            int count = quarantined != null && quarantined.matches("\\d{1,7}") ? Integer.parseInt(quarantined) : 0;
            notice = "Quarantine policy saved." + (count > 0 ? " It quarantined " + count + (count == 1 ? " test" : " tests")
                + " already flaky." : "");
        }
        return page(org, chosen, Response.Status.OK, Optional.empty(), "", notice);
    }

    @POST
    @Path("thresholds")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Requires("flaky:configure")
    @Audited("flaky.settings.update")
    public Response saveThresholds(@PathParam("org") String org, MultivaluedMap<String, String> form) {
        String repo = Optional.ofNullable(form.getFirst("repo")).map(String::strip).orElse("");
        if (!RepoName.valid(repo)) {
            return badRepo(org, repo);
        }
        Map<String, String> entered = new LinkedHashMap<>();
        for (String key : SettingsJson.KEYS) {
            entered.put(key, Optional.ofNullable(form.getFirst(key)).map(String::strip).orElse(""));
        }
        String json;
        DetectionSettings checked;
        try {
            json = overrides(entered);
            checked = SettingsJson.read(json, DetectionSettings.DEFAULTS);
        } catch (IllegalArgumentException e) {
            return page(org, Optional.of(repo), Response.Status.BAD_REQUEST, Optional.of(entered), e.getMessage(), "");
        }
        settings.save(identity.caller().orElseThrow(), org, repo, json, checked, clock.instant());
        return Response.seeOther(UriBuilder.fromPath("/orgs/{org}/flaky/settings").queryParam("repo", repo)
            .queryParam("saved", "thresholds").build(org)).build();
    }

    @POST
    @Path("quarantine-policy")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Requires("quarantine:manage")
    @Audited("quarantine.policy.update")
    public Response savePolicy(@PathParam("org") String org, MultivaluedMap<String, String> form) {
        String repo = Optional.ofNullable(form.getFirst("repo")).map(String::strip).orElse("");
        if (!RepoName.valid(repo)) {
            return badRepo(org, repo);
        }
        String auto = Optional.ofNullable(form.getFirst("auto_quarantine")).orElse("");
        String days = Optional.ofNullable(form.getFirst("expiry_days")).map(String::strip).orElse("");
        QuarantinePolicy policy;
        try {
            if (!days.isEmpty() && !days.matches("\\d{1,3}")) {
                throw new IllegalArgumentException("expiry_days must be a whole number of days from 1 to 365, not '" + days + "'");
            }
            policy = new QuarantinePolicy("on".equals(auto) || "true".equals(auto),
                days.isEmpty() ? QuarantinePolicy.DEFAULT.expiryDays() : Integer.parseInt(days));
        } catch (IllegalArgumentException e) {
            return page(org, Optional.of(repo), Response.Status.BAD_REQUEST, Optional.empty(), e.getMessage(), "");
        }
        int quarantined = quarantines.savePolicy(identity.caller().orElseThrow(), org, repo, policy, clock.instant());
        return Response.seeOther(UriBuilder.fromPath("/orgs/{org}/flaky/settings").queryParam("repo", repo)
            .queryParam("saved", "policy").queryParam("quarantined", quarantined).build(org)).build();
    }

    private Response badRepo(String org, String repo) {
        return page(org, Optional.empty(), Response.Status.BAD_REQUEST, Optional.empty(),
            "repo must name a repository as owner/name, not '" + repo + "'", "");
    }

    /**
     * The page for {@code repo}, its forms holding {@code entered} (what a refused form sent) or else the
     * stored overrides.
     */
    private Response page(String org, Optional<String> repo, Response.Status status, Optional<Map<String, String>> entered,
                          String problem, String notice) {
        Caller caller = identity.caller().orElseThrow();
        List<String> repos = new ArrayList<>(settings.repos(org));
        repo.filter(r -> !repos.contains(r)).ifPresent(repos::add);
        String stored = repo.flatMap(r -> settings.overrides(org, r)).orElse("{}");
        Map<String, String> shown = entered.orElseGet(() -> values(stored));
        Map<String, String> defaults = values(SettingsJson.write(DetectionSettings.DEFAULTS));
        Map<String, String> effective = values(SettingsJson.write(SettingsJson.read(stored, DetectionSettings.DEFAULTS)));
        QuarantinePolicy policy = repo.map(r -> quarantines.policy(org, r)).orElse(QuarantinePolicy.DEFAULT);
        List<Field> fields = new ArrayList<>();
        for (Threshold t : THRESHOLDS) {
            fields.add(new Field(t, shown.getOrDefault(t.key(), ""), defaults.get(t.key()), effective.get(t.key())));
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("org", org);
        model.put("repos", repos);
        model.put("repo", repo.orElse(""));
        model.put("fields", fields);
        model.put("policy", policy);
        model.put("canConfigure", caller instanceof Caller.Person p && access.grants(p.roles(), "flaky:configure"));
        model.put("canQuarantine", caller instanceof Caller.Person p && access.grants(p.roles(), "quarantine:manage"));
        model.put("problem", problem);
        model.put("notice", notice);
        return pages.html(status, pages.render("flaky/settings.jte",
            pages.context("Flaky-test settings of " + org, "/orgs/" + org + "/flaky"), model));
    }

    /**
     * The overrides the form holds as the JSON object {@link SettingsJson} reads: only the fields filled in.
     *
     * @throws IllegalArgumentException naming the field when a value is not a number
     */
    static String overrides(Map<String, String> entered) {
        ObjectNode out = JSON.createObjectNode();
        for (String key : SettingsJson.KEYS) {
            String value = entered.getOrDefault(key, "");
            if (value.isEmpty()) {
                continue;
            }
            if (key.equals("protected_branches")) {
                ArrayNode globs = out.putArray(key);
                for (String glob : value.split("[,\\s]+")) {
                    if (!glob.isEmpty()) {
                        globs.add(glob);
                    }
                }
            } else {
                if (value.length() > 40) {
                    throw new IllegalArgumentException(key + " must be a number, not a " + value.length() + "-character text");
                }
                try {
                    out.put(key, new BigDecimal(value));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(key + " must be a number, not '" + value + "'");
                }
            }
        }
        return out.toString();
    }

    /** Each key of a settings object as the text its form field holds. */
    private static Map<String, String> values(String json) {
        Map<String, String> out = new LinkedHashMap<>();
        try {
            JsonNode tree = JSON.readTree(json);
            tree.properties().forEach(e -> {
                if (e.getValue().isArray()) {
                    List<String> globs = new ArrayList<>();
                    e.getValue().forEach(g -> globs.add(g.asText()));
                    out.put(e.getKey(), String.join(", ", globs));
                } else {
                    out.put(e.getKey(), e.getValue().asText());
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("stored detection settings are not JSON", e);
        }
        return out;
    }
}
