package dev.mainstay.queue.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each of the queue's behaviours as one scenario, with the exact decisions it must make. */
class MergeQueueScenarioTest {

    @Test
    void a_failed_batch_is_bisected_on_the_side_while_its_innocent_pull_requests_return_and_merge() {
        Script s = new Script(Script.plain(4, 4));
        assertEquals(List.of(), s.enqueue(1, 2, 3), "a batch not yet full waits for more pull requests");
        assertEquals(List.of("start 1: 1,2,3,4"), s.enqueue(4));
        assertEquals(List.of("start 2: 1", "start 3: 2", "start 4: 3", "start 5: 4"), s.fail(1, "CheckoutTest.pays"),
            "the failed batch leaves its lane, and each of its pull requests is tested alone on the target, at once");
        assertEquals(List.of("merge 2: 1"), s.pass(2), "1 passed alone on the target as it is: that test is its candidate");
        assertEquals(List.of(), s.merged(2));
        assertEquals(List.of(), s.pass(3), "2 is innocent and returns to the queue, where it waits to fill a batch");
        assertEquals(List.of("dequeue 3 CHECKS_FAILED"), s.fail(4, "CheckoutTest.pays"), "3 fails alone: the culprit");
        assertEquals(List.of(), s.pass(5));
        assertEquals(List.of(2, 4), s.queue.snapshot().queue());
        assertEquals(List.of("start 6: 2,4"), s.later(Duration.ofMinutes(10)));
        assertEquals(List.of("merge 6: 2,4"), s.pass(6));
    }

    @Test
    void a_passing_candidate_merges_everything_ahead_of_it_while_those_are_still_being_tested() {
        Script s = new Script(Script.plain(3, 1));
        assertEquals(List.of("start 1: 1", "start 2: 1,2", "start 3: 1,2,3"), s.enqueue(1, 2, 3));
        assertEquals(List.of("merge 2: 1,2"), s.pass(2), "2's candidate holds 1 too: both merge without waiting for 1's test");
        assertEquals(List.of("cancel 1"), s.merged(2), "1's own test no longer matters");
        assertEquals(List.of("merge 3: 3"), s.pass(3), "3's test was built on top of 1 and 2, so it goes on and merges");
    }

    @Test
    void a_failure_waits_for_the_candidate_behind_it_which_passing_proves_a_flake_and_merges_both() {
        QueueSettings settings = new QueueSettings(3, 1, Duration.ofMinutes(10), true, true, 1, 0, false, Duration.ofMinutes(60), false);
        Script s = new Script(settings);
        assertEquals(List.of("start 1: 1", "start 2: 1,2", "start 3: 1,2,3"), s.enqueue(1, 2, 3));
        assertEquals(List.of("cancel 3"), s.fail(1, "SearchTest.ranks"),
            "1 is not dequeued yet: the one candidate behind it decides; the next is not needed");
        assertEquals(List.of("merge 2: 1,2", "start 4: 1,2,3"), s.pass(2),
            "a candidate holding 1 passed: 1's failure was a flake, and 3 is tested on top of the merge");
        assertEquals(List.of(), s.merged(2));
    }

    @Test
    void a_failure_confirmed_by_the_candidate_behind_it_dequeues_the_pull_request() {
        QueueSettings settings = new QueueSettings(3, 1, Duration.ofMinutes(10), true, true, 1, 0, false, Duration.ofMinutes(60), false);
        Script s = new Script(settings);
        s.enqueue(1, 2, 3);
        assertEquals(List.of("cancel 3"), s.fail(1, "SearchTest.ranks"));
        assertEquals(List.of("dequeue 1 CHECKS_FAILED", "start 4: 2", "start 5: 2,3"), s.fail(2, "SearchTest.ranks"),
            "both failed: 1 leaves, and 2 and 3 are tested without it");
    }

    @Test
    void an_urgent_pull_request_interrupts_running_tests_while_a_high_one_only_moves_ahead_of_those_waiting() {
        Script s = new Script(Script.plain(2, 1));
        assertEquals(List.of("start 1: 1", "start 2: 1,2"), s.enqueue(1, 2, 3));
        assertEquals(List.of(), s.enqueue(4, Priority.HIGH, "ALL"), "high priority restarts nothing");
        assertEquals(List.of(1, 2, 4, 3), s.queue.snapshot().queue(), "but goes ahead of 3, which no test holds yet");
        assertEquals(List.of("cancel 1", "cancel 2", "start 3: 5", "start 4: 5,1"), s.enqueue(5, Priority.URGENT, "ALL"));
        assertEquals(List.of(5, 1, 2, 4, 3), s.queue.snapshot().queue());
        assertEquals(List.of("merge 3: 5", "start 5: 5,1,4"), s.pass(3),
            "2's test was interrupted, so no test holds it now: the high-priority 4 goes ahead of it");
        assertEquals(List.of(), s.merged(3));
        assertEquals(List.of(1, 4, 2, 3), s.queue.snapshot().queue());
    }

    @Test
    void pull_requests_with_disjoint_targets_are_tested_and_merged_in_separate_lanes() {
        Script s = new Script(Script.plain(4, 1));
        assertEquals(List.of("start 1: 1"), s.enqueue(1, Priority.NORMAL, "//web"));
        assertEquals(List.of("start 2: 2"), s.enqueue(2, Priority.NORMAL, "//api"), "2 does not wait for, nor test with, 1");
        assertEquals(List.of("start 3: 1,3"), s.enqueue(3, Priority.NORMAL, "//web", "//docs"));
        assertEquals(List.of("merge 2: 2"), s.pass(2));
        assertEquals(List.of(), s.merged(2), "the web lane's tests go on: the api merge touched none of their targets");
        assertEquals(List.of("merge 1: 1 (merged into the moved target)"), s.pass(1));
        s.merged(1);
        assertEquals(List.of("start 4: 3,4"), s.enqueue(4, Priority.NORMAL, "ALL"), "ALL overlaps every lane: 4 is tested on top of 3");
    }

    @Test
    void a_failure_of_known_flaky_tests_only_is_run_again_without_dequeuing_anything() {
        QueueSettings settings = new QueueSettings(1, 1, Duration.ZERO, true, true, 0, 0, true, Duration.ofMinutes(60), false);
        Script s = new Script(settings);
        s.on(new QueueEvent.FlakinessChanged(java.util.Set.of("SearchTest.ranks"), java.util.Set.of()));
        assertEquals(List.of("start 1: 1"), s.enqueue(1));
        assertEquals(List.of("start 2: 1"), s.fail(1, "SearchTest.ranks"), "every failing test is known flaky: run it again");
        assertEquals(List.of("dequeue 1 CHECKS_FAILED"), s.fail(2, "SearchTest.ranks", "CartTest.totals"),
            "a failure of a test not known flaky counts (no retries here)");
    }

    @Test
    void a_failure_that_passes_its_automatic_retry_merges() {
        QueueSettings settings = new QueueSettings(1, 1, Duration.ZERO, true, true, 0, 1, false, Duration.ofMinutes(60), false);
        Script s = new Script(settings);
        assertEquals(List.of("start 1: 1"), s.enqueue(1));
        assertEquals(List.of("start 2: 1"), s.fail(1, "CartTest.totals"));
        assertEquals(List.of("merge 2: 1"), s.pass(2));
    }

    @Test
    void a_test_that_outlives_its_timeout_counts_as_failed() {
        QueueSettings settings = new QueueSettings(1, 1, Duration.ZERO, true, true, 0, 0, false, Duration.ofMinutes(30), false);
        Script s = new Script(settings);
        s.enqueue(1, 2);
        assertEquals(java.util.Optional.of(Script.T0.plus(Duration.ofMinutes(30))), s.queue.nextWakeUp());
        assertEquals(List.of(), s.later(Duration.ofMinutes(29)));
        assertEquals(List.of("cancel 1", "dequeue 1 CHECKS_FAILED", "start 2: 2"), s.later(Duration.ofMinutes(1)));
    }

    @Test
    void a_push_to_a_queued_pull_request_dequeues_it_and_restarts_the_tests_behind_it() {
        Script s = new Script(Script.plain(2, 1));
        assertEquals(List.of("start 1: 1", "start 2: 1,2"), s.enqueue(1, 2, 3));
        assertEquals(List.of("cancel 1", "cancel 2", "dequeue 1 UPDATED", "start 3: 2", "start 4: 2,3"),
            s.on(new QueueEvent.PullRequestUpdated(1, "head1-amended")));
        assertEquals(List.of("dequeue 3 MERGE_CONFLICT"), s.on(new QueueEvent.CandidateConflict(4, 3)),
            "3 does not apply on top of 2: it leaves, 2's own test goes on");
        assertEquals(List.of(2), s.queue.snapshot().queue());
    }

    @Test
    void a_paused_queue_starts_and_merges_nothing_and_a_drained_one_stops_after_what_was_queued() {
        Script s = new Script(Script.plain(2, 1));
        s.enqueue(1);
        assertEquals(List.of(), s.on(new QueueEvent.Pause("release freeze")));
        assertEquals(List.of(), s.pass(1), "the result is kept, but nothing merges while paused");
        assertEquals(List.of(), s.enqueue(2));
        assertEquals(List.of("merge 1: 1", "start 2: 1,2"), s.on(new QueueEvent.Resume()));
        s.merged(1);
        assertEquals(List.of(), s.on(new QueueEvent.Drain()));
        assertEquals(List.of(), s.enqueue(3), "enqueued after the drain began: waits");
        assertEquals(List.of("merge 2: 2"), s.pass(2));
        assertEquals(List.of("drained"), s.merged(2), "everything queued before the drain merged");
        assertEquals(List.of("start 3: 3"), s.on(new QueueEvent.Resume()), "3 waited for the resume");
    }

    /**
     * Regression: a partly filled batch that started after its wait was cut again, larger, when the next pull request
     * arrived, so its running test was cancelled and restarted, once per arrival: with pull requests arriving faster
     * than CI finishes, a lane's first test never finished. A batch a test already holds now stays as it is; newcomers
     * form the next batch.
     */
    @Test
    void a_pull_request_arriving_while_a_partly_filled_batch_is_tested_joins_the_next_batch_instead_of_restarting_it() {
        Script s = new Script(Script.plain(2, 4));
        assertEquals(List.of(), s.enqueue(1));
        assertEquals(List.of("start 1: 1"), s.later(Duration.ofMinutes(10)), "the batch waited long enough: it is tested as it is");
        assertEquals(List.of(), s.enqueue(2), "2 starts a batch of its own, which waits for more; the running test goes on");
        assertEquals(List.of("start 2: 1,2,3,4,5"), s.enqueue(3, 4, 5), "the next batch filled up: it is tested on top of the first");
        assertEquals(List.of("merge 2: 1,2,3,4,5"), s.pass(2));
        assertEquals(List.of("cancel 1"), s.merged(2));
    }

    /** Settings with screening on and everything that hides a failure off. */
    private static QueueSettings screening(int concurrency, int batchSize, int retries, boolean antiFlake) {
        return new QueueSettings(concurrency, batchSize, Duration.ofMinutes(10), true, true, 0, retries, antiFlake, Duration.ofMinutes(60),
            true);
    }

    @Test
    void new_pull_requests_are_screened_in_groups_and_those_that_pass_meanwhile_join_the_chain_as_one_step() {
        Script s = new Script(screening(4, 2, 0, false));
        assertEquals(List.of("start 1: 1,2"), s.enqueue(1, 2), "a full group is tested alone on the target");
        assertEquals(List.of("start 2: 3,4"), s.enqueue(3, 4));
        assertEquals(List.of("merge 1: 1,2"), s.pass(1),
            "passed on the target as it still is, with no chain being tested: that test is its candidate");
        assertEquals(List.of(), s.merged(1));
        assertEquals(List.of("start 3: 3,4"), s.pass(2), "passed on the old target: screened, and tested as a step of the chain");
        assertEquals(List.of("start 4: 5,6"), s.enqueue(5, 6));
        assertEquals(List.of("start 5: 7,8"), s.enqueue(7, 8));
        assertEquals(List.of(), s.pass(4), "screened while the step ahead is tested: it waits for that step to finish");
        assertEquals(List.of(), s.pass(5), "and gathers with what passes screening meanwhile");
        assertEquals(List.of("merge 3: 3,4", "start 6: 3,4,5,6,7,8"), s.pass(3), "one step for both groups, on top of the merge");
        assertEquals(List.of(), s.merged(3));
        assertEquals(List.of("merge 6: 5,6,7,8"), s.pass(6));
        assertEquals(List.of(), s.merged(6));
        assertEquals(List.of("start 7: 9"), s.enqueue(9, Priority.URGENT, PullRequest.ALL), "an urgent pull request is not screened");
    }

    @Test
    void a_failed_group_is_halved_and_a_passing_first_half_implicates_the_second_which_is_split_without_a_test_of_its_own() {
        Script s = new Script(screening(4, 8, 1, false));
        assertEquals(List.of("start 1: 1,2,3,4,5,6,7,8"), s.enqueue(1, 2, 3, 4, 5, 6, 7, 8));
        assertEquals(List.of("start 2: 1,2,3,4"), s.fail(1, "CartTest.totals"), "the first half is tested; the second waits for it");
        assertEquals(List.of("merge 2: 1,2,3,4", "start 3: 5", "start 4: 6", "start 5: 7", "start 6: 8"), s.pass(2),
            "the first half passed on the target as it is and merges; the failure is the second half's, split at once");
        assertEquals(List.of(), s.merged(2));
        assertEquals(List.of("dequeue 7 CHECKS_FAILED"), s.fail(5, "CartTest.totals"),
            "7 fails alone the test that failed its group: the failure reproduced, so no retry is spent on it");
        assertEquals(List.of("start 7: 8"), s.fail(6, "SearchTest.ranks"), "8 fails another test: that may be a flake, so it is retried");
        assertEquals(List.of("merge 7: 8"), s.pass(7), "8 passed its retry alone on the target as it is");
        assertEquals(List.of(5, 6, 8), s.queue.snapshot().queue().stream().sorted().toList(), "5 and 6 are still being tested");
    }

    @Test
    void a_screening_group_failing_only_known_flaky_tests_is_cleared_without_a_re_run_and_merges_only_by_passing() {
        Script s = new Script(screening(2, 2, 0, true));
        s.on(new QueueEvent.FlakinessChanged(java.util.Set.of("SearchTest.ranks"), java.util.Set.of()));
        assertEquals(List.of("start 1: 1,2"), s.enqueue(1, 2));
        assertEquals(List.of("start 2: 1,2"), s.fail(1, "SearchTest.ranks"),
            "screening only sorts pull requests out: cleared, they are tested as the chain's step, which must pass to merge");
        assertEquals(List.of("merge 2: 1,2"), s.pass(2));
    }
}
