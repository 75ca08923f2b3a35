package dev.mainstay.platform.ingest;

import java.time.Instant;
import java.util.UUID;

/**
 * One upload as the Uploads page shows it.
 *
 * @param id                    its id
 * @param receivedAt            when it arrived
 * @param state                 {@code stored} or {@code refused}
 * @param repo                  the repository, empty when a refused upload never said
 * @param commit                the commit
 * @param branch                the branch
 * @param pullRequest           the pull request number, or 0
 * @param jobName               the CI job's name
 * @param jobUrl                a link to it (http or https), or empty
 * @param files                 report files
 * @param cases                 test cases
 * @param passed                … passed
 * @param failed                … failed
 * @param errors                … in error
 * @param skipped               … skipped
 * @param attempts              executions
 * @param infrastructureFailure flagged as a probable infrastructure failure
 * @param problem               why it was refused, else empty
 * @param problemStatus         the HTTP status of the refusal (5xx: Mainstay failed, not the upload), or 0
 */
public record UploadView(UUID id, Instant receivedAt, String state, String repo, String commit, String branch, int pullRequest,
                         String jobName, String jobUrl, int files, long cases, long passed, long failed, long errors, long skipped,
                         long attempts, boolean infrastructureFailure, String problem, int problemStatus) {

    /** The first 10 characters of the commit. */
    public String shortCommit() {
        return commit.length() > 10 ? commit.substring(0, 10) : commit;
    }

    public boolean refused() {
        return state.equals("refused");
    }

    /** Refused because Mainstay failed to store it (an unexpected error), not because of what was sent. */
    public boolean failedToStore() {
        return refused() && problemStatus >= 500;
    }

    /**
     * A repository's uploads over the page's period.
     *
     * @param repo    the repository
     * @param stored  uploads stored
     * @param refused uploads refused
     * @param last    the latest upload
     */
    public record RepoActivity(String repo, long stored, long refused, Instant last) {
    }
}
