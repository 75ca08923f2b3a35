package dev.mainstay.flaky;

import static dev.mainstay.flaky.Outcome.ERROR;
import static dev.mainstay.flaky.Outcome.FAILED;
import static dev.mainstay.flaky.Outcome.PASSED;
import static dev.mainstay.flaky.Outcome.SKIPPED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DetectorTest {

    private static final DetectionSettings DEFAULTS = DetectionSettings.DEFAULTS;

    private static Verdict last(Runs runs) {
        List<Verdict> verdicts = runs.replay(DEFAULTS);
        return verdicts.get(verdicts.size() - 1);
    }

    @Test
    void a_test_that_fails_then_passes_on_retry_is_flaky_with_both_executions_as_evidence() {
        Runs runs = new Runs().times(5, "main", PASSED).on("feature/x", FAILED, PASSED);

        Verdict verdict = last(runs);

        assertEquals(Status.FLAKY, verdict.status());
        assertTrue(verdict.active(Monitor.PASS_ON_RETRY), "a failure and a pass on one commit is pass-on-retry evidence");
        assertEquals(List.of("r6a2", "r6a1"), verdict.evidence(), "the pass and the failure it contradicts, newest first");
        assertEquals(1, verdict.retryCommits());
    }

    @Test
    void a_failure_and_a_pass_on_the_same_commit_in_two_jobs_is_pass_on_retry_evidence() {
        Runs runs = new Runs().on("main", "abc", ERROR).on("main", "abc", PASSED);

        assertTrue(last(runs).active(Monitor.PASS_ON_RETRY), "attempts in different runs of one commit are compared too");
    }

    @Test
    void a_test_that_always_fails_is_broken_and_never_flaky_on_the_way() {
        Runs runs = new Runs().times(10, "main", FAILED);

        List<Verdict> verdicts = runs.replay(DEFAULTS);

        assertTrue(verdicts.stream().noneMatch(v -> v.status() == Status.FLAKY), "a consistent failure is never called flaky");
        assertEquals(Status.HEALTHY, verdicts.get(3).status(), "a test with no history could still be flaking often");
        assertEquals(Status.BROKEN, verdicts.get(4).status(), "five failing commits in a row make a new test broken");
        assertEquals(List.of("r10a1", "r9a1", "r8a1", "r7a1", "r6a1", "r5a1", "r4a1", "r3a1", "r2a1", "r1a1"),
            verdicts.get(9).evidence());
    }

    @Test
    void a_newly_broken_test_goes_from_healthy_to_broken_without_being_called_flaky() {
        Runs runs = new Runs().times(40, "main", PASSED).times(5, "main", FAILED);

        List<Verdict> verdicts = runs.replay(DEFAULTS);

        assertTrue(verdicts.stream().noneMatch(v -> v.status() == Status.FLAKY), "its failures have no pass after them");
        assertEquals(Status.HEALTHY, verdicts.get(41).status());
        assertEquals(Status.BROKEN, verdicts.get(42).status());
    }

    @Test
    void retries_of_a_broken_test_that_fail_again_are_not_evidence_of_flakiness() {
        Runs runs = new Runs().times(20, "main", PASSED).on("main", FAILED, FAILED, FAILED).on("main", FAILED, FAILED)
            .on("main", FAILED, FAILED, FAILED);

        Verdict verdict = last(runs);

        assertEquals(Status.BROKEN, verdict.status());
        assertEquals(3, verdict.failingStreak(), "three commits, whatever the retries");
        assertTrue(verdict.monitors().isEmpty(), "no commit has both outcomes: " + verdict.monitors());
    }

    @Test
    void a_test_failing_every_retry_of_one_run_is_not_broken() {
        // Found by the accuracy benchmark: a test flaking 30 % of the time fails all three attempts of a run 2.7 % of the time.
        Runs runs = new Runs().times(20, "main", PASSED).on("main", FAILED, FAILED, FAILED);

        List<Verdict> verdicts = runs.replay(DEFAULTS);

        assertTrue(verdicts.stream().noneMatch(v -> v.status() == Status.BROKEN), "one commit's retries are one failure");
        Verdict fixed = last(runs.on("main", PASSED));
        assertEquals(3, fixed.contradictedFailures(), "a pass on the next commit contradicts all three");
    }

    @Test
    void a_breakage_that_is_fixed_leaves_the_test_healthy() {
        Runs runs = new Runs().times(20, "main", PASSED).times(4, "main", FAILED).times(5, "main", PASSED);

        List<Verdict> verdicts = runs.replay(DEFAULTS);

        assertEquals(Status.BROKEN, verdicts.get(23).status());
        assertEquals(Status.HEALTHY, verdicts.get(28).status(), "four failures in a row then a pass is a breakage and its fix");
        assertEquals(0, verdicts.get(28).contradictedFailures());
    }

    @Test
    void failures_on_pull_request_branches_that_later_commits_fix_are_not_evidence() {
        Runs runs = new Runs().times(30, "main", PASSED);
        for (int i = 0; i < 10; i++) {
            runs.on("feature/" + i, FAILED).on("feature/" + i, PASSED);
        }

        Verdict verdict = last(runs);

        assertEquals(Status.HEALTHY, verdict.status(), "a PR may break a test and fix it: " + verdict);
        assertEquals(0, verdict.contradictedFailures());
    }

    @Test
    void the_failure_rate_monitor_activates_above_its_threshold_and_resolves_only_below_the_lower_one() {
        // One isolated failure in every 10 runs on main: 10 %, above the 5 % activation.
        Runs runs = new Runs();
        for (int i = 0; i < 4; i++) {
            runs.times(9, "main", PASSED).on("main", FAILED);
        }
        runs.on("main", PASSED);
        Verdict flaky = last(runs);
        assertTrue(flaky.active(Monitor.FAILURE_RATE), "4 of 41 runs fail, each followed by a pass: " + flaky);
        assertEquals(Status.FLAKY, flaky.status());

        // 3 % stays above the 2 % resolution threshold: still active, though below activation.
        Runs calmer = new Runs();
        for (int i = 0; i < 4; i++) {
            calmer.times(9, "main", PASSED).on("main", FAILED);
        }
        calmer.times(90, "main", PASSED);
        List<Verdict> verdicts = calmer.replay(DEFAULTS);
        Verdict at3Percent = verdicts.get(129);
        assertTrue(at3Percent.active(Monitor.FAILURE_RATE), "4 in 130 is 3 %, above the resolution threshold: " + at3Percent);
        Verdict below = Detector.classify(calmer.times(80, "main", PASSED).all(), at3Percent, DEFAULTS, calmer.now());
        assertFalse(below.active(Monitor.FAILURE_RATE), "4 in 210 is below 2 %: " + below);
    }

    @Test
    void the_failure_rate_needs_its_minimum_sample() {
        Runs runs = new Runs().times(5, "main", PASSED).on("main", FAILED).times(4, "main", PASSED);

        Verdict verdict = last(runs);

        assertFalse(verdict.active(Monitor.FAILURE_RATE), "10 runs are fewer than the minimum of 20: " + verdict);
        assertEquals(10, verdict.samples());
    }

    @Test
    void evidence_older_than_the_window_is_forgotten() {
        Runs runs = new Runs().on("main", "abc", FAILED, PASSED).times(3, "main", PASSED);
        assertEquals(Status.FLAKY, last(runs).status());

        runs.after(Duration.ofDays(31)).on("main", PASSED);

        Verdict verdict = Detector.classify(runs.all(), last(runs), DEFAULTS, runs.now());
        assertEquals(Status.HEALTHY, verdict.status(), "the retry was more than 30 days ago: " + verdict);
    }

    @Test
    void executions_after_now_do_not_count() {
        Runs runs = new Runs().times(3, "main", PASSED).on("main", "abc", FAILED, PASSED);

        Verdict then = Detector.classify(runs.all(), Verdict.INITIAL, DEFAULTS, Runs.START.plus(Duration.ofHours(3)));

        assertEquals(Status.HEALTHY, then.status());
    }

    @Test
    void skipped_executions_are_neither_passes_nor_failures() {
        Runs runs = new Runs().on("main", "abc", FAILED, SKIPPED).times(10, "main", SKIPPED);

        Verdict verdict = last(runs);

        assertEquals(Status.HEALTHY, verdict.status());
        assertEquals(0, verdict.samples());
        assertEquals(1, verdict.failingStreak());
    }

    @Test
    void a_test_known_to_flake_often_needs_a_longer_streak_to_be_called_broken() {
        Runs runs = new Runs();
        for (int i = 0; i < 10; i++) {
            runs.on("main", PASSED).on("main", FAILED, PASSED).on("main", FAILED);
        }
        runs.on("main", PASSED).times(4, "main", FAILED);

        List<Verdict> verdicts = runs.replay(DEFAULTS);
        Verdict afterFour = verdicts.get(verdicts.size() - 1);

        assertEquals(Status.FLAKY, afterFour.status(), "four failures in a row are likely for a test failing half its runs: "
            + afterFour);
        Verdict afterMany = Detector.classify(runs.times(10, "main", FAILED).all(), afterFour, DEFAULTS, runs.now());
        assertEquals(Status.BROKEN, afterMany.status(), "fourteen are not: " + afterMany);
    }

    @Test
    void a_broken_verdict_wins_over_active_monitors() {
        Runs runs = new Runs().on("main", "abc", FAILED, PASSED).times(20, "main", PASSED).times(6, "main", FAILED);

        Verdict verdict = last(runs);

        assertEquals(Status.BROKEN, verdict.status());
        assertTrue(verdict.active(Monitor.PASS_ON_RETRY), "the monitors still say what they saw: " + verdict.monitors());
    }

    @Test
    void only_protected_branches_matching_the_globs_feed_the_failure_rate() {
        DetectionSettings onlyRelease = SettingsJson.read("{\"protected_branches\":[\"release/**\"]}", DEFAULTS);
        Runs runs = new Runs().times(20, "main", FAILED);

        List<Verdict> verdicts = runs.replay(onlyRelease);

        assertEquals(Status.HEALTHY, verdicts.get(19).status(), "main is not protected here, so its failures are not a streak");
        assertTrue(onlyRelease.isProtected("release/2026/11"));
    }
}
