package dev.mainstay.platform.queue.forge.github;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mainstay.platform.queue.forge.CheckState;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a commit's reports add up against branch protection's required checks. */
class CheckRollupTest {

    @Test
    void a_rerun_that_passed_replaces_the_failed_run_of_the_same_check() {
        CheckRollup rollup = new CheckRollup();
        rollup.checkRun("build", 2, "completed", "success");
        rollup.checkRun("build", 1, "completed", "failure");

        assertEquals(new CheckState.Passed(), rollup.against(List.of("build")));
    }

    @Test
    void neutral_and_skipped_pass_while_cancelled_and_timed_out_fail() {
        CheckRollup rollup = new CheckRollup();
        rollup.checkRun("docs", 1, "completed", "skipped");
        rollup.checkRun("lint", 2, "completed", "neutral");
        rollup.checkRun("e2e", 3, "completed", "cancelled");
        rollup.checkRun("load", 4, "completed", "timed_out");

        assertEquals(new CheckState.Failed(List.of("e2e", "load")), rollup.against(List.of("docs", "lint", "e2e", "load")));
    }

    @Test
    void a_failure_decides_while_other_required_checks_still_run() {
        CheckRollup rollup = new CheckRollup();
        rollup.checkRun("build", 1, "in_progress", null);
        rollup.status("ci/jenkins", 5, "error");

        assertEquals(new CheckState.Failed(List.of("ci/jenkins")), rollup.against(List.of("build", "ci/jenkins")));
    }

    @Test
    void without_required_checks_nothing_reported_is_pending_not_passed() {
        assertEquals(new CheckState.Pending(List.of()), new CheckRollup().against(List.of()));
        CheckRollup rollup = new CheckRollup();
        rollup.status("ci", 1, "success");
        assertEquals(new CheckState.Passed(), rollup.against(List.of()), "every reported check counts when none is required");
    }
}
