-- Schema version 17: the merge-queue executor's bookkeeping, and finding a candidate's test results.
--
-- merge_queue_outbox: attempts counts the executor's tries at a decision that the code host did
-- not carry out (unreachable, refused); next_attempt_at is when it tries again, last_error why the
-- last try failed. After ten tries the decision is set aside (failed_at) so the queue goes on; a
-- merge set aside is reported to the engine as refused.
--
-- ingest_upload_commit: the executor reads the failing tests of a candidate from the results CI
-- uploaded for its commit.

ALTER TABLE merge_queue_outbox ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE merge_queue_outbox ADD COLUMN next_attempt_at TIMESTAMPTZ;
ALTER TABLE merge_queue_outbox ADD COLUMN last_error TEXT NOT NULL DEFAULT '';
ALTER TABLE merge_queue_outbox ADD COLUMN failed_at TIMESTAMPTZ;

DROP INDEX merge_queue_outbox_pending;
CREATE INDEX merge_queue_outbox_pending ON merge_queue_outbox (queue_id, seq) WHERE done_at IS NULL AND failed_at IS NULL;

CREATE INDEX ingest_upload_commit ON ingest_upload (repo, commit_sha) WHERE state = 'stored';
