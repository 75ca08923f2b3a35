-- Schema version 16: the merge queues, the events they are fed and the decisions they make.
--
-- merge_queue: one row per repository and target branch. state is the engine's whole state
-- (MergeQueue.State as JSON), a FieldCipher ciphertext under the appliance's 'github' data key
-- bound to merge_queue.state and the queue's id: it holds pull request heads and failing test
-- names. wake_at is when the engine next needs a tick (a test's timeout, a batch's wait).
--
-- merge_queue_event: what happened to a queue, in order (seq), written by whoever learnt it (the
-- webhook translator, the executor, the API) in the same transaction as their own work. source
-- names that origin once ('github:<delivery>#<n>', 'executor:<outbox id>', …): writing the same
-- source twice stores nothing, so a producer that crashed and repeats itself adds nothing.
-- applied_at is set in the transaction that applied it; an event that cannot be applied (its
-- ciphertext does not open, its JSON is from a newer appliance) is set aside after three
-- attempts with failed_at and the error, and the queue goes on without it.
--
-- merge_queue_outbox: the decisions of applying one event (event_seq; none for a tick; position
-- is their order), written in the transaction that applied it and stored the new state. The executor carries them out keyed by
-- id, so doing one twice is a no-op, and sets done_at.
--
-- Applied events and done decisions are deleted 30 days on.

CREATE TABLE merge_queue (
    id          UUID        PRIMARY KEY,
    repo        TEXT        NOT NULL,
    branch      TEXT        NOT NULL,
    state       BYTEA       NOT NULL,
    wake_at     TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (repo, branch)
);

CREATE TABLE merge_queue_event (
    id          UUID        PRIMARY KEY,
    seq         BIGSERIAL   NOT NULL UNIQUE,
    queue_id    UUID        NOT NULL REFERENCES merge_queue (id) ON DELETE CASCADE,
    source      TEXT        NOT NULL UNIQUE,
    event       BYTEA       NOT NULL,
    at          TIMESTAMPTZ NOT NULL,
    applied_at  TIMESTAMPTZ,
    failed_at   TIMESTAMPTZ,
    attempts    INTEGER     NOT NULL DEFAULT 0,
    last_error  TEXT        NOT NULL DEFAULT ''
);

CREATE INDEX merge_queue_event_pending ON merge_queue_event (queue_id, seq) WHERE applied_at IS NULL AND failed_at IS NULL;

CREATE TABLE merge_queue_outbox (
    id          UUID        PRIMARY KEY,
    seq         BIGSERIAL   NOT NULL UNIQUE,
    queue_id    UUID        NOT NULL REFERENCES merge_queue (id) ON DELETE CASCADE,
    event_seq   BIGINT,
    position    INTEGER     NOT NULL,
    decision    BYTEA       NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    done_at     TIMESTAMPTZ
);

CREATE INDEX merge_queue_outbox_pending ON merge_queue_outbox (queue_id, seq) WHERE done_at IS NULL;

-- github_inbox.next_attempt_at: when a delivery whose translation failed (GitHub unreachable, the
-- App not configured yet) is tried again; attempts count the tries, and a delivery is given up
-- after twenty.
ALTER TABLE github_inbox ADD COLUMN next_attempt_at TIMESTAMPTZ;
