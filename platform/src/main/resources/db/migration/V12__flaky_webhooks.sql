-- Schema version 12: outbound webhooks, and the outbox of their deliveries.
--
-- flaky_webhook: an org's webhook: where to POST (an https:// URL), which events it is subscribed
-- to, and the secret its deliveries are signed with (HMAC-SHA256). The secret is a FieldCipher
-- ciphertext under the org's 'webhooks' data key, bound to flaky_webhook.secret and the row id.
-- Removing a webhook deletes the row and its deliveries; the audit trail keeps who did it.
--
-- flaky_webhook_delivery: one row per event per subscribed webhook, written in the transaction of
-- the change that caused the event, so an event is delivered if and only if its change committed.
-- The payload is the exact JSON body sent on every attempt (text, not jsonb, so its bytes and the
-- signature over them never change). State: pending (to be attempted at next_attempt_at),
-- delivered (a 2xx answer) or failed (every attempt used up). The delivery id is sent as
-- X-Mainstay-Delivery, the same on every attempt, so receivers can drop duplicates.

CREATE TABLE flaky_webhook (
    id         UUID        PRIMARY KEY,
    org        TEXT        NOT NULL,
    url        TEXT        NOT NULL,
    events     TEXT[]      NOT NULL,
    secret     BYTEA       NOT NULL,
    enabled    BOOLEAN     NOT NULL DEFAULT TRUE,
    created_by TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX flaky_webhook_by_org ON flaky_webhook (org, created_at);

CREATE TABLE flaky_webhook_delivery (
    id              UUID        PRIMARY KEY,
    webhook_id      UUID        NOT NULL REFERENCES flaky_webhook (id) ON DELETE CASCADE,
    org             TEXT        NOT NULL,
    event_id        UUID        NOT NULL,
    event           TEXT        NOT NULL,
    payload         TEXT        NOT NULL,
    state           TEXT        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts        INTEGER     NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ,
    last_status     INTEGER,
    last_error      TEXT        NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL,
    last_attempt_at TIMESTAMPTZ,
    finished_at     TIMESTAMPTZ,
    CHECK ((state = 'pending') = (next_attempt_at IS NOT NULL))
);

CREATE INDEX flaky_webhook_delivery_due ON flaky_webhook_delivery (next_attempt_at) WHERE state = 'pending';
CREATE INDEX flaky_webhook_delivery_recent ON flaky_webhook_delivery (org, created_at DESC);
CREATE INDEX flaky_webhook_delivery_webhook ON flaky_webhook_delivery (webhook_id);
