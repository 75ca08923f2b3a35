package dev.mainstay.cli.ci;

import static dev.mainstay.cli.ci.Field.BRANCH;
import static dev.mainstay.cli.ci.Field.CI_PROVIDER;
import static dev.mainstay.cli.ci.Field.COMMIT;
import static dev.mainstay.cli.ci.Field.JOB_ID;
import static dev.mainstay.cli.ci.Field.JOB_NAME;
import static dev.mainstay.cli.ci.Field.JOB_URL;
import static dev.mainstay.cli.ci.Field.PULL_REQUEST;
import static dev.mainstay.cli.ci.Field.REPO;
import static dev.mainstay.cli.ci.Field.RUN_ATTEMPT;
import static dev.mainstay.cli.ci.Field.RUN_ID;
import static dev.mainstay.cli.ci.Field.STARTED_AT;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what a CI provider tells its jobs through environment variables. One provider at most is
 * detected, the first of {@link #PROVIDERS} whose marker variable is set; what it leaves unknown
 * (TeamCity's repository and branch, Jenkins' repository without the git plugin) comes from
 * {@link Git}. The variables are each provider's documented ones; README's "The CLI" has the table.
 */
public final class CiEnvironment {

    /** A CI provider: its name in {@code ci_provider}, how to recognise it, and what it tells. */
    record Provider(String name, Predicate<Env> detects, Function<Env, BuildFacts> facts) {
    }

    /** The environment, with blank variables read as unset. */
    record Env(Map<String, String> variables) {
        String get(String name) {
            String value = variables.get(name);
            return value == null ? "" : value.strip();
        }

        boolean isSet(String name) {
            return !get(name).isEmpty();
        }

        String first(String... names) {
            for (String name : names) {
                if (isSet(name)) {
                    return get(name);
                }
            }
            return "";
        }
    }

    static final List<Provider> PROVIDERS = List.of(
        new Provider("github-actions", e -> e.get("GITHUB_ACTIONS").equals("true"), CiEnvironment::github),
        new Provider("gitlab-ci", e -> e.isSet("GITLAB_CI"), CiEnvironment::gitlab),
        new Provider("buildkite", e -> e.get("BUILDKITE").equals("true"), CiEnvironment::buildkite),
        new Provider("circleci", e -> e.get("CIRCLECI").equals("true"), CiEnvironment::circleci),
        new Provider("azure-pipelines", e -> e.get("TF_BUILD").equalsIgnoreCase("true"), CiEnvironment::azure),
        new Provider("teamcity", e -> e.isSet("TEAMCITY_VERSION"), CiEnvironment::teamcity),
        // Last: other tools set BUILD_URL too; Jenkins always sets JENKINS_URL.
        new Provider("jenkins", e -> e.isSet("JENKINS_URL"), CiEnvironment::jenkins));

    private static final Pattern PULL_REF = Pattern.compile("^refs/pull/(\\d+)/");
    private static final Pattern TRAILING_NUMBER = Pattern.compile("/(\\d+)/?$");

    private CiEnvironment() {
    }

    /** The facts of the first provider detected in {@code env}, with {@code ci_provider} set; {@link BuildFacts#NONE} outside CI. */
    public static BuildFacts detect(Map<String, String> env) {
        Env e = new Env(env);
        for (Provider p : PROVIDERS) {
            if (p.detects().test(e)) {
                return p.facts().apply(e).with(CI_PROVIDER, p.name());
            }
        }
        return BuildFacts.NONE;
    }

    // https://docs.github.com/en/actions/reference/variables-reference
    private static BuildFacts github(Env e) {
        String runUrl = e.isSet("GITHUB_SERVER_URL") && e.isSet("GITHUB_REPOSITORY") && e.isSet("GITHUB_RUN_ID")
            ? e.get("GITHUB_SERVER_URL") + "/" + e.get("GITHUB_REPOSITORY") + "/actions/runs/" + e.get("GITHUB_RUN_ID")
            + (e.isSet("GITHUB_RUN_ATTEMPT") ? "/attempts/" + e.get("GITHUB_RUN_ATTEMPT") : "")
            : "";
        return BuildFacts.NONE
            .with(REPO, e.get("GITHUB_REPOSITORY"))
            .with(COMMIT, e.get("GITHUB_SHA"))
            // GITHUB_HEAD_REF is set for pull_request events only: the PR's source branch.
            .with(BRANCH, e.first("GITHUB_HEAD_REF", "GITHUB_REF_NAME"))
            .with(PULL_REQUEST, group(PULL_REF, e.get("GITHUB_REF")))
            .with(JOB_NAME, e.get("GITHUB_JOB"))
            .with(JOB_URL, runUrl)
            .with(RUN_ID, e.get("GITHUB_RUN_ID"))
            .with(RUN_ATTEMPT, e.get("GITHUB_RUN_ATTEMPT"));
    }

    // https://docs.gitlab.com/ci/variables/predefined_variables/
    private static BuildFacts gitlab(Env e) {
        return BuildFacts.NONE
            .with(REPO, e.get("CI_PROJECT_PATH"))
            .with(COMMIT, e.get("CI_COMMIT_SHA"))
            .with(BRANCH, e.first("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", "CI_COMMIT_BRANCH", "CI_COMMIT_REF_NAME"))
            .with(PULL_REQUEST, e.get("CI_MERGE_REQUEST_IID"))
            .with(JOB_NAME, e.get("CI_JOB_NAME"))
            .with(JOB_ID, e.get("CI_JOB_ID"))
            .with(JOB_URL, e.get("CI_JOB_URL"))
            .with(RUN_ID, e.get("CI_PIPELINE_ID"))
            .with(STARTED_AT, e.get("CI_JOB_STARTED_AT"));
    }

    // https://www.jenkins.io/doc/book/pipeline/jenkinsfile/#using-environment-variables (and the git plugin's GIT_*)
    private static BuildFacts jenkins(Env e) {
        return BuildFacts.NONE
            .with(REPO, RepoSlug.fromRemote(e.get("GIT_URL")).orElse(""))
            .with(COMMIT, e.get("GIT_COMMIT"))
            // A multibranch PR build is named PR-12 in BRANCH_NAME; CHANGE_BRANCH is its source branch.
            .with(BRANCH, e.isSet("CHANGE_BRANCH") ? e.get("CHANGE_BRANCH")
                : e.isSet("BRANCH_NAME") ? e.get("BRANCH_NAME") : e.get("GIT_BRANCH").replaceFirst("^origin/", ""))
            .with(PULL_REQUEST, e.get("CHANGE_ID"))
            .with(JOB_NAME, e.get("JOB_NAME"))
            .with(JOB_ID, e.get("BUILD_TAG"))
            .with(JOB_URL, e.get("BUILD_URL"))
            .with(RUN_ID, e.get("BUILD_NUMBER"));
    }

    // https://buildkite.com/docs/pipelines/configure/environment-variables
    private static BuildFacts buildkite(Env e) {
        String retries = e.get("BUILDKITE_RETRY_COUNT");
        return BuildFacts.NONE
            .with(REPO, RepoSlug.fromRemote(e.get("BUILDKITE_REPO")).orElse(""))
            // "HEAD" when a build was started without a commit; git knows which one was checked out.
            .with(COMMIT, e.get("BUILDKITE_COMMIT").equals("HEAD") ? "" : e.get("BUILDKITE_COMMIT"))
            .with(BRANCH, e.get("BUILDKITE_BRANCH"))
            .with(PULL_REQUEST, e.get("BUILDKITE_PULL_REQUEST").equals("false") ? "" : e.get("BUILDKITE_PULL_REQUEST"))
            .with(JOB_NAME, e.first("BUILDKITE_LABEL", "BUILDKITE_STEP_KEY"))
            .with(JOB_ID, e.get("BUILDKITE_JOB_ID"))
            .with(JOB_URL, e.isSet("BUILDKITE_BUILD_URL") && e.isSet("BUILDKITE_JOB_ID")
                ? e.get("BUILDKITE_BUILD_URL") + "#" + e.get("BUILDKITE_JOB_ID") : e.get("BUILDKITE_BUILD_URL"))
            .with(RUN_ID, e.get("BUILDKITE_BUILD_NUMBER"))
            .with(RUN_ATTEMPT, retries.matches("\\d{1,6}") ? Integer.toString(Integer.parseInt(retries) + 1) : "");
    }

    // https://circleci.com/docs/reference/variables/
    private static BuildFacts circleci(Env e) {
        String owner = e.get("CIRCLE_PROJECT_USERNAME");
        String name = e.get("CIRCLE_PROJECT_REPONAME");
        return BuildFacts.NONE
            .with(REPO, !owner.isEmpty() && !name.isEmpty() ? owner + "/" + name : RepoSlug.fromRemote(e.get("CIRCLE_REPOSITORY_URL")).orElse(""))
            .with(COMMIT, e.get("CIRCLE_SHA1"))
            .with(BRANCH, e.get("CIRCLE_BRANCH"))
            // CIRCLE_PR_NUMBER is set for pull requests from forks only; CIRCLE_PULL_REQUEST is the PR's URL.
            .with(PULL_REQUEST, e.isSet("CIRCLE_PR_NUMBER") ? e.get("CIRCLE_PR_NUMBER") : group(TRAILING_NUMBER, e.get("CIRCLE_PULL_REQUEST")))
            .with(JOB_NAME, e.get("CIRCLE_JOB"))
            .with(JOB_ID, e.get("CIRCLE_BUILD_NUM"))
            .with(JOB_URL, e.get("CIRCLE_BUILD_URL"))
            .with(RUN_ID, e.get("CIRCLE_WORKFLOW_ID"));
    }

    // https://learn.microsoft.com/en-us/azure/devops/pipelines/build/variables
    private static BuildFacts azure(Env e) {
        String name = e.get("BUILD_REPOSITORY_NAME");
        // GitHub repositories are named owner/name; Azure Repos ones just name, inside a project.
        String repo = name.contains("/") ? name
            : !name.isEmpty() && e.isSet("SYSTEM_TEAMPROJECT") ? e.get("SYSTEM_TEAMPROJECT") + "/" + name : "";
        String buildUrl = e.isSet("SYSTEM_COLLECTIONURI") && e.isSet("SYSTEM_TEAMPROJECT") && e.isSet("BUILD_BUILDID")
            ? e.get("SYSTEM_COLLECTIONURI").replaceAll("/+$", "") + "/" + e.get("SYSTEM_TEAMPROJECT").replace(" ", "%20")
            + "/_build/results?buildId=" + e.get("BUILD_BUILDID") + (e.isSet("SYSTEM_JOBID") ? "&j=" + e.get("SYSTEM_JOBID") : "")
            : "";
        return BuildFacts.NONE
            .with(REPO, repo)
            .with(COMMIT, e.get("BUILD_SOURCEVERSION"))
            .with(BRANCH, e.first("SYSTEM_PULLREQUEST_SOURCEBRANCH", "BUILD_SOURCEBRANCH").replaceFirst("^refs/heads/", ""))
            // GitHub PRs have a number apart from their id; Azure Repos PRs only an id.
            .with(PULL_REQUEST, e.first("SYSTEM_PULLREQUEST_PULLREQUESTNUMBER", "SYSTEM_PULLREQUEST_PULLREQUESTID"))
            .with(JOB_NAME, e.first("SYSTEM_JOBDISPLAYNAME", "AGENT_JOBNAME"))
            .with(JOB_ID, e.get("SYSTEM_JOBID"))
            .with(JOB_URL, buildUrl)
            .with(RUN_ID, e.get("BUILD_BUILDID"))
            .with(RUN_ATTEMPT, e.get("SYSTEM_JOBATTEMPT"));
    }

    // https://www.jetbrains.com/help/teamcity/predefined-build-parameters.html
    private static BuildFacts teamcity(Env e) {
        // TeamCity passes no repository or branch by default; git answers for them.
        return BuildFacts.NONE
            .with(COMMIT, e.get("BUILD_VCS_NUMBER"))
            .with(JOB_NAME, e.isSet("TEAMCITY_PROJECT_NAME") && e.isSet("TEAMCITY_BUILDCONF_NAME")
                ? e.get("TEAMCITY_PROJECT_NAME") + " / " + e.get("TEAMCITY_BUILDCONF_NAME") : e.get("TEAMCITY_BUILDCONF_NAME"))
            .with(RUN_ID, e.get("BUILD_NUMBER"));
    }

    private static String group(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.group(1) : "";
    }
}
