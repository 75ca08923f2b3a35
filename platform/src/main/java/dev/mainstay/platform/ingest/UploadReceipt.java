package dev.mainstay.platform.ingest;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What the upload API answers for a stored upload (docs/uploads.md), and what a replay answers again.
 *
 * @param id                    the upload's id
 * @param repo                  the repository
 * @param commit                the commit
 * @param receivedAt            when it arrived
 * @param files                 each report's format and counts, in bundle order
 * @param cases                 test cases in all reports
 * @param passed                … whose outcome was passed
 * @param failed                … failed
 * @param errors                … an error
 * @param skipped               … skipped
 * @param attempts              every execution, retries included
 * @param infrastructureFailure whether so many cases failed that the runner, not the tests, is probably at fault
 */
public record UploadReceipt(UUID id, String repo, String commit, @JsonProperty("received_at") Instant receivedAt, List<FileCounts> files,
                            long cases, long passed, long failed, long errors, long skipped, long attempts,
                            @JsonProperty("infrastructure_failure") boolean infrastructureFailure) {

    /** One report's counts. */
    public record FileCounts(String name, String format, long cases, long passed, long failed, long errors, long skipped, long attempts) {
    }
}
