-- Schema version 18: what left each merge queue and why, and each queue's figures, for the queue
-- page and /metrics.
--
-- merge_queue.depth and merge_queue.testing: how many pull requests the queue holds and how many
-- candidate tests it has building or running (the CI slots it uses), written with its state so
-- that figures over every queue need no decryption.
--
-- merge_queue_history: one row per pull request that left a queue, written by the worker in the
-- transaction that applied the event it left on: merged, or the engine's dequeue reason
-- (checks_failed, merge_conflict, removed, …), with when it was queued and when it left. It holds
-- numbers and times only; the reason's wording and failing tests stay in the encrypted decision.
--
-- merge_queue_test: one row per candidate test that finished (passed or failed), with when it was
-- started and finished: the queue page's expected waits come from recent ones.
--
-- Rows of both are deleted 90 days after the pull request left or the test finished.

ALTER TABLE merge_queue ADD COLUMN depth INTEGER NOT NULL DEFAULT 0;
ALTER TABLE merge_queue ADD COLUMN testing INTEGER NOT NULL DEFAULT 0;

CREATE TABLE merge_queue_history (
    id           UUID        PRIMARY KEY,
    queue_id     UUID        NOT NULL REFERENCES merge_queue (id) ON DELETE CASCADE,
    pr           INTEGER     NOT NULL,
    outcome      TEXT        NOT NULL,
    enqueued_at  TIMESTAMPTZ NOT NULL,
    left_at      TIMESTAMPTZ NOT NULL
);

CREATE INDEX merge_queue_history_recent ON merge_queue_history (queue_id, left_at DESC);
CREATE INDEX merge_queue_history_left ON merge_queue_history (left_at);

CREATE TABLE merge_queue_test (
    id           UUID        PRIMARY KEY,
    queue_id     UUID        NOT NULL REFERENCES merge_queue (id) ON DELETE CASCADE,
    run          BIGINT      NOT NULL,
    attempt      INTEGER     NOT NULL,
    size         INTEGER     NOT NULL,
    passed       BOOLEAN     NOT NULL,
    started_at   TIMESTAMPTZ NOT NULL,
    finished_at  TIMESTAMPTZ NOT NULL
);

CREATE INDEX merge_queue_test_recent ON merge_queue_test (queue_id, finished_at DESC);
