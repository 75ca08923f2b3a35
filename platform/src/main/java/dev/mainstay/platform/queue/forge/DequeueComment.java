package dev.mainstay.platform.queue.forge;

import dev.mainstay.queue.engine.DequeueReason;
import java.util.List;
import java.util.Set;

/**
 * The comment Mainstay leaves on a pull request that left the queue without merging: why, in the
 * engine's words, the tests that failed in its last run (from the uploaded results), each known
 * flaky one marked, and what to do next.
 */
public final class DequeueComment {

    /** At most this many failing tests are listed; the rest are counted. */
    static final int MAX_TESTS = 20;

    private DequeueComment() {
    }

    /**
     * The comment's Markdown.
     *
     * @param reason       why it left
     * @param detail       the engine's one-line detail
     * @param failingTests the tests that failed in its last run, in report order
     * @param knownFlaky   the tests flaky-test detection knows to be flaky
     */
    public static String render(DequeueReason reason, String detail, List<String> failingTests, Set<String> knownFlaky) {
        StringBuilder text = new StringBuilder("**Removed from the merge queue:** ").append(headline(reason)).append(".\n");
        if (!detail.isBlank()) {
            text.append("\n> ").append(detail.strip().replace("\n", "\n> ")).append('\n');
        }
        if (!failingTests.isEmpty()) {
            text.append("\nFailing tests:\n");
            failingTests.stream().limit(MAX_TESTS).forEach(test -> text.append("- `").append(test.replace("`", "'")).append('`')
                .append(knownFlaky.contains(test) ? " (known flaky)" : "").append('\n'));
            if (failingTests.size() > MAX_TESTS) {
                text.append("- and ").append(failingTests.size() - MAX_TESTS).append(" more\n");
            }
        }
        return text.append('\n').append(nextStep(reason)).append('\n').toString();
    }

    private static String headline(DequeueReason reason) {
        return switch (reason) {
            case CHECKS_FAILED -> "its changes failed the required checks";
            case BATCH_FAILED -> "the batch it was tested in failed";
            case MERGE_CONFLICT -> "it conflicts with the target branch or a pull request ahead of it";
            case UPDATED -> "new commits were pushed to it";
            case CLOSED -> "it was closed";
            case REMOVED -> "it was removed from the queue";
            case MERGE_REFUSED -> "GitHub refused to move the target branch to its tested commit";
            case ALREADY_MERGED -> "it has merged already";
        };
    }

    private static String nextStep(DequeueReason reason) {
        return switch (reason) {
            case CHECKS_FAILED, BATCH_FAILED -> "Fix the failures (or wait for known flaky tests to be quarantined) and queue it again.";
            case MERGE_CONFLICT -> "Merge or rebase the target branch into it, resolve the conflicts, and queue it again.";
            case UPDATED -> "Queue it again to test the new commits.";
            case CLOSED, REMOVED, ALREADY_MERGED -> "Nothing was merged by the queue.";
            case MERGE_REFUSED -> "Check the target branch's protection rules, then queue it again.";
        };
    }
}
