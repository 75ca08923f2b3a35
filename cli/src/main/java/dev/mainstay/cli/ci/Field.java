package dev.mainstay.cli.ci;

/** A fact about the build that goes into {@code mainstay.json}, with the flag that sets it. */
public enum Field {
    REPO("repo", "owner/name", "the repository, owner/name (GitLab: group/subgroup/name)"),
    COMMIT("commit", "SHA", "the full commit SHA the tests ran on"),
    BRANCH("branch", "NAME", "the branch (of a pull request: its source branch)"),
    PULL_REQUEST("pr", "NUMBER", "the pull/merge request number"),
    CI_PROVIDER("ci-provider", "NAME", "e.g. github-actions, gitlab-ci, jenkins"),
    JOB_NAME("job-name", "NAME", "the CI job's name"),
    JOB_ID("job-id", "ID", "the CI job's id"),
    JOB_URL("job-url", "URL", "a link to the CI job (http or https)"),
    RUN_ID("run-id", "ID", "the CI run (workflow run, pipeline, build) the job belongs to"),
    RUN_ATTEMPT("run-attempt", "N", "which attempt of the run, 1 or more"),
    VARIANT("variant", "NAME", "where the tests ran, e.g. linux-jdk21; part of each test's identity"),
    STARTED_AT("started-at", "TIME", "when the job started, e.g. 2026-11-22T09:00:00Z"),
    FINISHED_AT("finished-at", "TIME", "when the job finished, e.g. 2026-11-22T09:12:41Z");

    private final String flag;
    private final String value;
    private final String help;

    Field(String flag, String value, String help) {
        this.flag = flag;
        this.value = value;
        this.help = help;
    }

    /** The option that overrides it, without dashes, e.g. {@code job-url}. */
    public String flag() {
        return flag;
    }

    /** What its value is, for help, e.g. {@code URL}. */
    public String value() {
        return value;
    }

    /** One line for help. */
    public String help() {
        return help;
    }
}
