package dev.mainstay.flaky.history;

import dev.mainstay.flaky.Execution;

/**
 * One line of a history file: an execution of a test in a repository.
 *
 * @param repo       {@code owner/name}
 * @param test       the stable test key
 * @param upload     the upload it came in, for the infrastructure-failure rule (the run when absent)
 * @param execution  the execution; its ref is {@code line:N}
 */
public record HistoryLine(String repo, String test, String upload, Execution execution) {
}
