/**
 * A GitHub simulator for tests: {@link dev.mainstay.testkit.github.GitHubSimulator} serves the
 * REST endpoints Mainstay's GitHub App calls over real bare git repositories (JGit), checks App
 * JWTs and installation tokens, simulates rate limits, sends signed webhooks shaped like GitHub's
 * ({@link dev.mainstay.testkit.github.Webhooks}) and runs a model of CI on merge-queue candidates
 * ({@link dev.mainstay.testkit.github.CiModel}). It is the real-service fixture for GitHub, which
 * cannot be reached from where Mainstay is built and tested.
 */
package dev.mainstay.testkit.github;
