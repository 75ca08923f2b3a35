package dev.mainstay.cli.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each provider's jobs, with the variables its documentation lists (values as a real job shows
 * them, unrelated ones included), read into the upload's metadata.
 */
class CiEnvironmentTest {

    private static final String SHA = "4f1c2d0e9b8a7f6e5d4c3b2a1908f7e6d5c4b3a2";

    private static Map<String, String> env(String... pairs) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("HOME", "/home/runner");
        env.put("CI", "true");
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    private static Map<Field, String> expected(Object... pairs) {
        Map<Field, String> expected = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            expected.put((Field) pairs[i], (String) pairs[i + 1]);
        }
        return expected;
    }

    @Test
    void a_github_actions_pull_request_run_names_the_pr_its_source_branch_and_the_run_attempt() {
        BuildFacts facts = CiEnvironment.detect(env("GITHUB_ACTIONS", "true", "GITHUB_REPOSITORY", "acme/shop", "GITHUB_SHA", SHA,
            "GITHUB_REF", "refs/pull/1234/merge", "GITHUB_REF_NAME", "1234/merge", "GITHUB_HEAD_REF", "feature/cart",
            "GITHUB_BASE_REF", "main", "GITHUB_RUN_ID", "2718", "GITHUB_RUN_ATTEMPT", "2", "GITHUB_JOB", "unit-tests",
            "GITHUB_SERVER_URL", "https://github.acme.example", "GITHUB_WORKFLOW", "CI", "RUNNER_OS", "Linux"));
        assertEquals(expected(Field.REPO, "acme/shop", Field.COMMIT, SHA, Field.BRANCH, "feature/cart", Field.PULL_REQUEST, "1234",
            Field.CI_PROVIDER, "github-actions", Field.JOB_NAME, "unit-tests",
            Field.JOB_URL, "https://github.acme.example/acme/shop/actions/runs/2718/attempts/2", Field.RUN_ID, "2718",
            Field.RUN_ATTEMPT, "2"), facts.known());
    }

    @Test
    void a_github_actions_push_run_takes_the_branch_from_the_ref_name() {
        BuildFacts facts = CiEnvironment.detect(env("GITHUB_ACTIONS", "true", "GITHUB_REPOSITORY", "acme/shop", "GITHUB_SHA", SHA,
            "GITHUB_REF", "refs/heads/main", "GITHUB_REF_NAME", "main", "GITHUB_HEAD_REF", "", "GITHUB_RUN_ID", "2719",
            "GITHUB_RUN_ATTEMPT", "1", "GITHUB_JOB", "build", "GITHUB_SERVER_URL", "https://github.com"));
        assertEquals("main", facts.get(Field.BRANCH));
        assertEquals("", facts.get(Field.PULL_REQUEST));
    }

    @Test
    void a_gitlab_merge_request_pipeline_names_the_mr_the_job_and_when_it_started() {
        BuildFacts facts = CiEnvironment.detect(env("GITLAB_CI", "true", "CI_SERVER_URL", "https://gitlab.acme.example",
            "CI_PROJECT_PATH", "platform/payments/shop", "CI_COMMIT_SHA", SHA, "CI_COMMIT_REF_NAME", "feature/cart",
            "CI_MERGE_REQUEST_IID", "87", "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", "feature/cart", "CI_JOB_ID", "31415",
            "CI_JOB_NAME", "rspec 1/4", "CI_JOB_URL", "https://gitlab.acme.example/platform/payments/shop/-/jobs/31415",
            "CI_PIPELINE_ID", "9001", "CI_JOB_STARTED_AT", "2026-11-22T09:00:00Z"));
        assertEquals(expected(Field.REPO, "platform/payments/shop", Field.COMMIT, SHA, Field.BRANCH, "feature/cart",
            Field.PULL_REQUEST, "87", Field.CI_PROVIDER, "gitlab-ci", Field.JOB_NAME, "rspec 1/4", Field.JOB_ID, "31415",
            Field.JOB_URL, "https://gitlab.acme.example/platform/payments/shop/-/jobs/31415", Field.RUN_ID, "9001",
            Field.STARTED_AT, "2026-11-22T09:00:00Z"), facts.known());
    }

    @Test
    void a_jenkins_multibranch_pr_build_names_the_source_branch_not_pr_12() {
        BuildFacts facts = CiEnvironment.detect(env("JENKINS_URL", "https://jenkins.acme.example/", "JENKINS_HOME", "/var/jenkins_home",
            "BUILD_URL", "https://jenkins.acme.example/job/shop/job/PR-12/3/", "JOB_NAME", "shop/PR-12", "BUILD_NUMBER", "3",
            "BUILD_TAG", "jenkins-shop-PR-12-3", "BRANCH_NAME", "PR-12", "CHANGE_ID", "12", "CHANGE_BRANCH", "feature/cart",
            "CHANGE_TARGET", "main", "GIT_COMMIT", SHA, "GIT_URL", "https://github.acme.example/acme/shop.git"));
        assertEquals(expected(Field.REPO, "acme/shop", Field.COMMIT, SHA, Field.BRANCH, "feature/cart", Field.PULL_REQUEST, "12",
            Field.CI_PROVIDER, "jenkins", Field.JOB_NAME, "shop/PR-12", Field.JOB_ID, "jenkins-shop-PR-12-3",
            Field.JOB_URL, "https://jenkins.acme.example/job/shop/job/PR-12/3/", Field.RUN_ID, "3"), facts.known());
    }

    @Test
    void a_jenkins_freestyle_build_takes_the_branch_from_git_branch_without_the_remote() {
        BuildFacts facts = CiEnvironment.detect(env("JENKINS_URL", "https://jenkins.acme.example/", "GIT_BRANCH", "origin/release/2.x",
            "GIT_COMMIT", SHA, "JOB_NAME", "shop-nightly", "BUILD_NUMBER", "88"));
        assertEquals("release/2.x", facts.get(Field.BRANCH));
        assertEquals("", facts.get(Field.REPO), "no GIT_URL: git answers for the repository");
    }

    @Test
    void a_buildkite_retried_job_counts_its_attempt_from_the_retry_count() {
        BuildFacts facts = CiEnvironment.detect(env("BUILDKITE", "true", "BUILDKITE_REPO", "git@github.com:acme/shop.git",
            "BUILDKITE_COMMIT", SHA, "BUILDKITE_BRANCH", "feature/cart", "BUILDKITE_PULL_REQUEST", "1234",
            "BUILDKITE_BUILD_ID", "b81ed283-58b7-4925-aa4a-d3da0eafcf2b", "BUILDKITE_BUILD_NUMBER", "59034",
            "BUILDKITE_BUILD_URL", "https://buildkite.com/acme/shop/builds/59034", "BUILDKITE_JOB_ID", "d593f546-8c9a-45f8-8701-a2b92fbea9a7",
            "BUILDKITE_LABEL", ":rspec: unit", "BUILDKITE_RETRY_COUNT", "1"));
        assertEquals(expected(Field.REPO, "acme/shop", Field.COMMIT, SHA, Field.BRANCH, "feature/cart", Field.PULL_REQUEST, "1234",
            Field.CI_PROVIDER, "buildkite", Field.JOB_NAME, ":rspec: unit", Field.JOB_ID, "d593f546-8c9a-45f8-8701-a2b92fbea9a7",
            Field.JOB_URL, "https://buildkite.com/acme/shop/builds/59034#d593f546-8c9a-45f8-8701-a2b92fbea9a7", Field.RUN_ID, "59034",
            Field.RUN_ATTEMPT, "2"), facts.known());
    }

    @Test
    void a_buildkite_build_without_a_pr_or_a_resolved_commit_leaves_both_to_git() {
        BuildFacts facts = CiEnvironment.detect(env("BUILDKITE", "true", "BUILDKITE_COMMIT", "HEAD", "BUILDKITE_PULL_REQUEST", "false",
            "BUILDKITE_BRANCH", "main"));
        assertEquals("", facts.get(Field.COMMIT));
        assertEquals("", facts.get(Field.PULL_REQUEST));
    }

    @Test
    void a_circleci_job_reads_the_pr_number_from_the_pull_request_url() {
        BuildFacts facts = CiEnvironment.detect(env("CIRCLECI", "true", "CIRCLE_PROJECT_USERNAME", "acme", "CIRCLE_PROJECT_REPONAME", "shop",
            "CIRCLE_SHA1", SHA, "CIRCLE_BRANCH", "feature/cart", "CIRCLE_PULL_REQUEST", "https://github.com/acme/shop/pull/1234",
            "CIRCLE_JOB", "test", "CIRCLE_BUILD_NUM", "4321", "CIRCLE_BUILD_URL", "https://circleci.com/gh/acme/shop/4321",
            "CIRCLE_WORKFLOW_ID", "6cb6bd2b-1c53-4a51-8d4e-4b6a3c3b0c3e", "CIRCLE_NODE_INDEX", "0"));
        assertEquals(expected(Field.REPO, "acme/shop", Field.COMMIT, SHA, Field.BRANCH, "feature/cart", Field.PULL_REQUEST, "1234",
            Field.CI_PROVIDER, "circleci", Field.JOB_NAME, "test", Field.JOB_ID, "4321",
            Field.JOB_URL, "https://circleci.com/gh/acme/shop/4321", Field.RUN_ID, "6cb6bd2b-1c53-4a51-8d4e-4b6a3c3b0c3e"), facts.known());
    }

    @Test
    void an_azure_pipelines_github_pr_build_uses_the_pr_number_and_source_branch() {
        BuildFacts facts = CiEnvironment.detect(env("TF_BUILD", "True", "BUILD_REPOSITORY_NAME", "acme/shop",
            "BUILD_REPOSITORY_PROVIDER", "GitHub", "BUILD_SOURCEVERSION", SHA, "BUILD_SOURCEBRANCH", "refs/pull/1234/merge",
            "SYSTEM_PULLREQUEST_SOURCEBRANCH", "feature/cart", "SYSTEM_PULLREQUEST_PULLREQUESTID", "998877",
            "SYSTEM_PULLREQUEST_PULLREQUESTNUMBER", "1234", "SYSTEM_JOBDISPLAYNAME", "Unit tests", "SYSTEM_JOBID",
            "12f1170f-54f2-53f3-20dd-22fc7dff55f9", "BUILD_BUILDID", "567", "SYSTEM_JOBATTEMPT", "1",
            "SYSTEM_COLLECTIONURI", "https://dev.azure.com/acme/", "SYSTEM_TEAMPROJECT", "Shop"));
        assertEquals(expected(Field.REPO, "acme/shop", Field.COMMIT, SHA, Field.BRANCH, "feature/cart", Field.PULL_REQUEST, "1234",
            Field.CI_PROVIDER, "azure-pipelines", Field.JOB_NAME, "Unit tests", Field.JOB_ID, "12f1170f-54f2-53f3-20dd-22fc7dff55f9",
            Field.JOB_URL, "https://dev.azure.com/acme/Shop/_build/results?buildId=567&j=12f1170f-54f2-53f3-20dd-22fc7dff55f9",
            Field.RUN_ID, "567", Field.RUN_ATTEMPT, "1"), facts.known());
    }

    @Test
    void an_azure_repos_branch_build_names_the_repository_inside_its_project() {
        BuildFacts facts = CiEnvironment.detect(env("TF_BUILD", "True", "BUILD_REPOSITORY_NAME", "shop", "SYSTEM_TEAMPROJECT", "Payments",
            "BUILD_SOURCEVERSION", SHA, "BUILD_SOURCEBRANCH", "refs/heads/release/2.x", "BUILD_SOURCEBRANCHNAME", "2.x"));
        assertEquals("Payments/shop", facts.get(Field.REPO));
        assertEquals("release/2.x", facts.get(Field.BRANCH), "the whole branch, not BUILD_SOURCEBRANCHNAME's last segment");
    }

    @Test
    void a_teamcity_build_names_its_commit_and_configuration_and_leaves_repository_and_branch_to_git() {
        BuildFacts facts = CiEnvironment.detect(env("TEAMCITY_VERSION", "2025.07 (build 197242)", "TEAMCITY_PROJECT_NAME", "Shop",
            "TEAMCITY_BUILDCONF_NAME", "Unit tests", "BUILD_NUMBER", "142", "BUILD_VCS_NUMBER", SHA));
        assertEquals(expected(Field.COMMIT, SHA, Field.CI_PROVIDER, "teamcity", Field.JOB_NAME, "Shop / Unit tests", Field.RUN_ID, "142"),
            facts.known());
    }

    @Test
    void outside_ci_nothing_is_detected() {
        assertEquals(BuildFacts.NONE, CiEnvironment.detect(env("BUILD_NUMBER", "7", "GIT_COMMIT", SHA)));
    }

    @Test
    void repository_names_are_read_from_every_shape_of_git_remote() {
        assertEquals("acme/shop", RepoSlug.fromRemote("git@github.com:acme/shop.git").orElseThrow());
        assertEquals("acme/shop", RepoSlug.fromRemote("https://github.acme.example/acme/shop").orElseThrow());
        assertEquals("acme/shop", RepoSlug.fromRemote("https://ci-token:secret@github.acme.example/acme/shop.git/").orElseThrow());
        assertEquals("acme/shop", RepoSlug.fromRemote("ssh://git@github.acme.example:2222/acme/shop.git").orElseThrow());
        assertEquals("platform/payments/shop", RepoSlug.fromRemote("https://gitlab.acme.example/platform/payments/shop.git").orElseThrow());
        assertEquals("Payments/shop", RepoSlug.fromRemote("https://acme@dev.azure.com/acme/Payments/_git/shop").orElseThrow());
        assertEquals(java.util.Optional.empty(), RepoSlug.fromRemote("/srv/git/shop.git"));
    }
}
