package dev.mainstay.flaky;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FlakinessScoreTest {

    private static final DetectionSettings DEFAULTS = DetectionSettings.DEFAULTS;

    @Test
    void log_gamma_matches_known_values() {
        assertEquals(0, FlakinessScore.logGamma(1), 1e-13);
        assertEquals(0, FlakinessScore.logGamma(2), 1e-13);
        assertEquals(Math.log(Math.sqrt(Math.PI)), FlakinessScore.logGamma(0.5), 1e-13);
        assertEquals(Math.log(362_880), FlakinessScore.logGamma(10), 1e-11);
        assertEquals(857.9336698258575, FlakinessScore.logGamma(200), 1e-9);
        assertEquals(2.252712651734206, FlakinessScore.logGamma(0.1), 1e-12);
    }

    @Test
    void without_evidence_confidence_falls_below_the_prior_as_runs_pass() {
        assertEquals(DEFAULTS.priorFlaky(), FlakinessScore.of(0, 0, DEFAULTS).confidence(), 1e-12);
        assertTrue(FlakinessScore.of(0, 100, DEFAULTS).confidence() < FlakinessScore.of(0, 20, DEFAULTS).confidence());
    }

    @Test
    void one_contradicted_failure_is_weak_evidence_and_three_are_strong() {
        assertTrue(FlakinessScore.of(1, 50, DEFAULTS).confidence() < 0.5);
        assertTrue(FlakinessScore.of(3, 100, DEFAULTS).confidence() > DEFAULTS.scoreActivate());
    }

    @Test
    void the_score_ranks_a_test_that_flakes_more_often_higher() {
        FlakinessScore rare = FlakinessScore.of(5, 200, DEFAULTS);
        FlakinessScore often = FlakinessScore.of(50, 200, DEFAULTS);

        assertTrue(often.score() > rare.score());
        assertEquals(0.25, often.score(), 0.01, "about the observed flake rate when confidence is near 1");
    }

    @Test
    void inconsistent_counts_are_refused() {
        assertThrows(IllegalArgumentException.class, () -> FlakinessScore.of(3, 2, DEFAULTS));
    }
}
