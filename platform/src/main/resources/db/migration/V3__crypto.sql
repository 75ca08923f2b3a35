-- Field encryption: data keys per org and purpose (schema version 3).
--
-- A data key is an AES-256 key wrapped (AES-KWP, RFC 5649) by the key-encryption key (KEK) named in
-- kek_id; the KEK itself never reaches the database. Each (org, purpose) has at most one primary key,
-- which encrypts; older keys are decrypt-only until re-encryption leaves nothing under them.
-- Destroying a key (crypto-shredding) clears its wrapped bytes: every ciphertext under it becomes
-- unreadable, and the row stays as the record of when and why.

CREATE TABLE crypto_data_key (
    id            UUID PRIMARY KEY,
    org           TEXT NOT NULL,
    purpose       TEXT NOT NULL,
    state         TEXT NOT NULL,
    kek_id        TEXT NOT NULL,
    wrapped       BYTEA,
    created_at    TIMESTAMPTZ NOT NULL,
    retired_at    TIMESTAMPTZ,
    destroyed_at  TIMESTAMPTZ,
    destroy_reason TEXT,
    CONSTRAINT crypto_data_key_state CHECK (state IN ('primary', 'decrypt-only', 'destroyed')),
    CONSTRAINT crypto_data_key_destroyed CHECK ((state = 'destroyed') = (wrapped IS NULL)
        AND (state = 'destroyed') = (destroyed_at IS NOT NULL))
);
CREATE UNIQUE INDEX crypto_data_key_one_primary ON crypto_data_key (org, purpose) WHERE state = 'primary';
CREATE INDEX crypto_data_key_org ON crypto_data_key (org);
