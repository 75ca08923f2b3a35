package dev.mainstay.reports.bazel;

import dev.mainstay.reports.TestStatus;
import java.util.Optional;

/**
 * Bazel's {@code TestStatus} ({@code build_event_stream.proto}), in the proto's order so that an
 * ordinal is the number a JSON printer may write instead of the name.
 */
enum BazelTestStatus {
    NO_STATUS, PASSED, FLAKY, TIMEOUT, FAILED, INCOMPLETE, REMOTE_FAILURE, FAILED_TO_BUILD, TOOL_HALTED_BEFORE_TESTING;

    /**
     * The status written as {@code text}, by name or number; {@link #NO_STATUS} when absent (the
     * proto's JSON leaves a default value out), empty when unknown to this parser.
     */
    static Optional<BazelTestStatus> of(String text) {
        if (text == null || text.isBlank()) {
            return Optional.of(NO_STATUS);
        }
        String t = text.strip();
        for (BazelTestStatus s : values()) {
            if (s.name().equals(t) || Integer.toString(s.ordinal()).equals(t)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /**
     * How one attempt with this status is recorded, or empty when it is not: a test that ran
     * and failed, timed out or did not finish FAILED; one Bazel could not run (remote failure,
     * build failure, halted) an ERROR. FLAKY belongs to a test summary, not to an attempt; should
     * one carry it, the attempt is taken as failed.
     */
    Optional<TestStatus> outcome() {
        return switch (this) {
            case NO_STATUS -> Optional.empty();
            case PASSED -> Optional.of(TestStatus.PASSED);
            case FAILED, TIMEOUT, INCOMPLETE, FLAKY -> Optional.of(TestStatus.FAILED);
            case REMOTE_FAILURE, FAILED_TO_BUILD, TOOL_HALTED_BEFORE_TESTING -> Optional.of(TestStatus.ERROR);
        };
    }
}
