-- Schema version 10: flaky-test detection's verdicts, their transitions, and the queue of uploads
-- whose tests are to be re-scored.
--
-- flaky_rescore: one row per stored upload (not flagged as an infrastructure failure) whose tests
-- have not been re-scored yet; written in the upload's own transaction, deleted in the transaction
-- that re-scores them, so a crash in between re-scores them after the restart.
--
-- flaky_test: the current verdict per test (org + test id), with the test's identity as uploads
-- named it last. Its status names are the detection core's: healthy, flaky, broken.
--
-- flaky_settings: a repository's overrides of the detection thresholds, as the flat JSON object
-- docs/flaky.md describes; a repository without a row uses the defaults.
--
-- flaky_transition: every change of a test's status or active monitors, with the executions that
-- were its evidence ('<upload id>/<seq>' of test_execution).

CREATE TABLE flaky_rescore (
    upload_id   UUID        PRIMARY KEY REFERENCES ingest_upload (id) ON DELETE CASCADE,
    org         TEXT        NOT NULL,
    enqueued_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX flaky_rescore_order ON flaky_rescore (enqueued_at);

CREATE TABLE flaky_test (
    org            TEXT             NOT NULL,
    test_id        TEXT             NOT NULL,
    repo           TEXT             NOT NULL,
    file           TEXT             NOT NULL,
    classname      TEXT             NOT NULL,
    name           TEXT             NOT NULL,
    variant        TEXT             NOT NULL,
    status         TEXT             NOT NULL CHECK (status IN ('healthy', 'flaky', 'broken')),
    status_since   TIMESTAMPTZ      NOT NULL,
    score          DOUBLE PRECISION NOT NULL DEFAULT 0,
    confidence     DOUBLE PRECISION NOT NULL DEFAULT 0,
    monitors       TEXT[]           NOT NULL DEFAULT '{}',
    samples        INTEGER          NOT NULL DEFAULT 0,
    contradicted   INTEGER          NOT NULL DEFAULT 0,
    retry_commits  INTEGER          NOT NULL DEFAULT 0,
    failing_streak INTEGER          NOT NULL DEFAULT 0,
    first_seen     TIMESTAMPTZ      NOT NULL,
    last_seen      TIMESTAMPTZ      NOT NULL,
    scored_at      TIMESTAMPTZ      NOT NULL,
    PRIMARY KEY (org, test_id)
);

CREATE INDEX flaky_test_by_status ON flaky_test (org, repo, status, score DESC);

CREATE TABLE flaky_transition (
    id          BIGSERIAL   PRIMARY KEY,
    org         TEXT        NOT NULL,
    test_id     TEXT        NOT NULL,
    at          TIMESTAMPTZ NOT NULL,
    from_status TEXT        NOT NULL CHECK (from_status IN ('healthy', 'flaky', 'broken')),
    to_status   TEXT        NOT NULL CHECK (to_status IN ('healthy', 'flaky', 'broken')),
    monitors    TEXT[]      NOT NULL DEFAULT '{}',
    evidence    TEXT[]      NOT NULL DEFAULT '{}',
    upload_id   UUID
);

CREATE INDEX flaky_transition_by_test ON flaky_transition (org, test_id, at);

CREATE TABLE flaky_settings (
    org        TEXT        NOT NULL,
    repo       TEXT        NOT NULL,
    settings   JSONB       NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (org, repo)
);
