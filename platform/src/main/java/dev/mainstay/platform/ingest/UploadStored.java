package dev.mainstay.platform.ingest;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * An upload stored: handed to each {@link UploadObserver} on the upload's connection, then fired
 * as a CDI event for those that start work once it has committed
 * ({@code @Observes(during = TransactionPhase.AFTER_SUCCESS)}). Never observe it synchronously
 * to write: that is what {@link UploadObserver} is for.
 *
 * @param infrastructureFailure whether the upload was flagged as a probable infrastructure failure
 * @param failureSignatures     the distinct failure signatures of its failed and errored executions: the blind index
 *                              stored in {@code test_execution.failure_signature}, in lower-case hex, to the signature's
 *                              normalised text (confidential: derived from failure messages; never log it)
 * @param failuresByTest        per test id, its failed and errored executions in the upload and their time
 */
public record UploadStored(UUID upload, String org, String repo, Instant receivedAt, boolean infrastructureFailure,
                           Map<String, String> failureSignatures, Map<String, Failures> failuresByTest) {

    public UploadStored {
        failureSignatures = Map.copyOf(failureSignatures);
        failuresByTest = Map.copyOf(failuresByTest);
    }

    /**
     * A test's failed and errored executions in one upload.
     *
     * @param count  how many
     * @param micros their durations added up, in microseconds
     */
    public record Failures(long count, long micros) {

        /** These and {@code more} together. */
        public Failures plus(Failures more) {
            return new Failures(count + more.count, micros + more.micros);
        }
    }
}
