package dev.mainstay.platform.queue.forge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mainstay.queue.engine.DequeueReason;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What a developer reads on a pull request the queue ejected. */
class DequeueCommentTest {

    @Test
    void an_ejection_for_failed_checks_names_the_failing_tests_and_marks_the_known_flaky_ones() {
        String comment = DequeueComment.render(DequeueReason.CHECKS_FAILED, "2 tests failed in run 7",
            List.of("com.acme.WidgetTest.rejects", "com.acme.ClockTest.ticks"), Set.of("com.acme.ClockTest.ticks"));

        assertEquals("""
            **Removed from the merge queue:** its changes failed the required checks.

            > 2 tests failed in run 7

            Failing tests:
            - `com.acme.WidgetTest.rejects`
            - `com.acme.ClockTest.ticks` (known flaky)

            Fix the failures (or wait for known flaky tests to be quarantined) and queue it again.
            """, comment);
    }

    @Test
    void a_conflict_says_how_to_resolve_it_and_lists_no_tests() {
        String comment = DequeueComment.render(DequeueReason.MERGE_CONFLICT, "", List.of(), Set.of());

        assertEquals("""
            **Removed from the merge queue:** it conflicts with the target branch or a pull request ahead of it.

            Merge or rebase the target branch into it, resolve the conflicts, and queue it again.
            """, comment);
    }

    @Test
    void a_long_list_of_failures_is_cut_and_counted() {
        List<String> tests = IntStream.range(0, 25).mapToObj(i -> "T.t" + i).toList();

        String comment = DequeueComment.render(DequeueReason.BATCH_FAILED, "its batch failed", tests, Set.of());

        assertTrue(comment.contains("- `T.t19`\n- and 5 more\n"), comment);
    }
}
