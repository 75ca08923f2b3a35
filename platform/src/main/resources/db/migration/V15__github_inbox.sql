-- Schema version 15: the inbox of GitHub webhook deliveries.
--
-- github_inbox: one row per delivery GitHub sent to POST /webhooks/github whose HMAC-SHA256
-- signature checked out, written before the answer, so a delivery GitHub saw acknowledged is
-- never lost. delivery_id is X-GitHub-Delivery: a redelivery carries the same id and is dropped.
-- body_sha256 catches a captured body replayed under a made-up delivery id (the signature covers
-- only the body). The payload is a FieldCipher ciphertext under the appliance's 'github' data key,
-- bound to github_inbox.payload and the delivery id: it holds pull request titles, bodies and
-- comments. event, action, installation_id and repo are read from it before encryption so that the
-- queue worker can pick the rows of one repository without decrypting the others. processed_at is
-- set by the queue worker once the delivery's effect is committed.

CREATE TABLE github_inbox (
    delivery_id     TEXT        PRIMARY KEY,
    body_sha256     BYTEA       NOT NULL UNIQUE,
    event           TEXT        NOT NULL,
    action          TEXT        NOT NULL DEFAULT '',
    installation_id BIGINT,
    repo            TEXT        NOT NULL DEFAULT '',
    payload         BYTEA       NOT NULL,
    received_at     TIMESTAMPTZ NOT NULL,
    processed_at    TIMESTAMPTZ,
    attempts        INTEGER     NOT NULL DEFAULT 0,
    last_error      TEXT        NOT NULL DEFAULT ''
);

CREATE INDEX github_inbox_pending ON github_inbox (received_at) WHERE processed_at IS NULL;
CREATE INDEX github_inbox_by_repo ON github_inbox (repo, received_at);
