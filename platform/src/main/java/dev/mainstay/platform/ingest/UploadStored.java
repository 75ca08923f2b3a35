package dev.mainstay.platform.ingest;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Fired inside an upload's transaction once its executions are written, so that other features
 * can add to that transaction (the flaky feature queues the upload's tests for re-scoring) and,
 * observing after success, start work on what was committed.
 *
 * @param infrastructureFailure whether the upload was flagged as a probable infrastructure failure
 * @param failureSignatures     the distinct failure signatures of its failed and errored executions: the blind index
 *                              stored in {@code test_execution.failure_signature}, in lower-case hex, to the signature's
 *                              normalised text (confidential: derived from failure messages; never log it)
 */
public record UploadStored(UUID upload, String org, String repo, Instant receivedAt, boolean infrastructureFailure,
                           Map<String, String> failureSignatures) {

    public UploadStored {
        failureSignatures = Map.copyOf(failureSignatures);
    }
}
