-- Schema version 13: failure clusters — failures of any test grouped by the normalised text of
-- their message and stack trace (the flaky module's FailureSignature; docs/flaky.md, "Failure
-- clusters").
--
-- test_execution.failure_signature: for a failed or errored execution whose message or stack trace
-- says anything, the blind index of its signature's text: HMAC-SHA256 under the org's data key
-- 'blind-index:test_execution.failure_signature', 16 bytes. Keyed, because the text is derived from
-- confidential failure messages and a plain hash of it could be confirmed by guessing. Computed at
-- ingest, before the message is encrypted; NULL for passes, skips, failures without text and
-- executions stored before this version.
--
-- flaky_failure_cluster: one row per org and signature, with when it was first and last seen and
-- its normalised text as a FieldCipher ciphertext under the org's 'ingest' data key, bound to
-- flaky_failure_cluster, column label and the row id: the signature in lower-case hex.

ALTER TABLE test_execution ADD COLUMN failure_signature BYTEA;

CREATE INDEX test_execution_failure ON test_execution (org, failure_signature, day) WHERE failure_signature IS NOT NULL;

CREATE TABLE flaky_failure_cluster (
    org        TEXT        NOT NULL,
    signature  BYTEA       NOT NULL,
    label      BYTEA       NOT NULL,
    first_seen TIMESTAMPTZ NOT NULL,
    last_seen  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (org, signature)
);
