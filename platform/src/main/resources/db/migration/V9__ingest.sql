-- Schema version 9: uploads of test results, and every test execution they hold.
--
-- ingest_upload: one row per upload, stored or refused. A stored upload claims its idempotency
-- key in its org; a refused one claims nothing, so the same upload can be sent again.
--
-- test_execution: one row per execution (an attempt of a test), partitioned by the UTC day the
-- upload was received, so retention drops whole days. Partitions are made on demand by the
-- upload path (test_execution_pYYYYMMDD). Message, stack trace and output are FieldCipher
-- ciphertexts under the org's 'ingest' data key, bound to test_execution, their column and the
-- row id '<upload id>/<seq>'; NULL when the report had none.

CREATE TABLE ingest_upload (
    id                     UUID PRIMARY KEY,
    org                    TEXT        NOT NULL,
    state                  TEXT        NOT NULL CHECK (state IN ('stored', 'refused')),
    received_at            TIMESTAMPTZ NOT NULL,
    token_id               UUID,
    idempotency_key        TEXT,
    body_sha256            BYTEA,
    body_bytes             BIGINT      NOT NULL DEFAULT 0,
    repo                   TEXT        NOT NULL DEFAULT '',
    commit_sha             TEXT        NOT NULL DEFAULT '',
    branch                 TEXT        NOT NULL DEFAULT '',
    pull_request           INTEGER,
    ci_provider            TEXT        NOT NULL DEFAULT '',
    job_name               TEXT        NOT NULL DEFAULT '',
    job_id                 TEXT        NOT NULL DEFAULT '',
    job_url                TEXT        NOT NULL DEFAULT '',
    run_id                 TEXT        NOT NULL DEFAULT '',
    run_attempt            INTEGER,
    variant                TEXT        NOT NULL DEFAULT '',
    started_at             TIMESTAMPTZ,
    finished_at            TIMESTAMPTZ,
    files                  JSONB       NOT NULL DEFAULT '[]',
    cases                  BIGINT      NOT NULL DEFAULT 0,
    passed                 BIGINT      NOT NULL DEFAULT 0,
    failed                 BIGINT      NOT NULL DEFAULT 0,
    errors                 BIGINT      NOT NULL DEFAULT 0,
    skipped                BIGINT      NOT NULL DEFAULT 0,
    attempts               BIGINT      NOT NULL DEFAULT 0,
    infrastructure_failure BOOLEAN     NOT NULL DEFAULT FALSE,
    problem_status         INTEGER,
    problem                TEXT        NOT NULL DEFAULT '',
    CHECK ((state = 'stored') = (idempotency_key IS NOT NULL))
);

CREATE UNIQUE INDEX ingest_upload_idempotency ON ingest_upload (org, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX ingest_upload_recent ON ingest_upload (org, received_at DESC);

CREATE TABLE test_execution (
    day         DATE        NOT NULL,
    upload_id   UUID        NOT NULL,
    seq         INTEGER     NOT NULL,
    org         TEXT        NOT NULL,
    repo        TEXT        NOT NULL,
    test_id     TEXT        NOT NULL,
    commit_sha  TEXT        NOT NULL,
    branch      TEXT        NOT NULL,
    report      TEXT        NOT NULL,
    file        TEXT        NOT NULL,
    classname   TEXT        NOT NULL,
    name        TEXT        NOT NULL,
    variant     TEXT        NOT NULL,
    status      TEXT        NOT NULL CHECK (status IN ('passed', 'failed', 'error', 'skipped')),
    attempt     INTEGER     NOT NULL,
    duration_us BIGINT      NOT NULL,
    started_at  TIMESTAMPTZ,
    message     BYTEA,
    stack_trace BYTEA,
    stdout      BYTEA,
    stderr      BYTEA,
    PRIMARY KEY (day, upload_id, seq)
) PARTITION BY RANGE (day);

CREATE INDEX test_execution_test ON test_execution (org, test_id, day);
