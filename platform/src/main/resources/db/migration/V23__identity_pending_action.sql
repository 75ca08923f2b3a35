-- A sensitive form submitted with a sign-in too old for it (step-up): kept while the person signs
-- in again, then offered back to them once, so the submission is not lost. The form is sealed by
-- FieldCipher (the appliance's identity key); a row lives at most ten minutes and is deleted when used.
CREATE TABLE identity_pending_action (
    id         UUID        PRIMARY KEY,
    subject    TEXT        NOT NULL,
    path       TEXT        NOT NULL,
    form       BYTEA       NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX identity_pending_action_expires ON identity_pending_action (expires_at);
