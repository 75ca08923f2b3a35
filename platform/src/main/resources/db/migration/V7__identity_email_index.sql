-- Schema version 7: a blind index of each session's e-mail address, so an admin can end every
-- session of a person found by e-mail while the address itself stays encrypted.
--
-- email_index is HMAC-SHA256 (truncated to 16 bytes) of the trimmed, lower-cased address under
-- the appliance's data key for identity_session.email's index: equal addresses give equal
-- indexes, and nothing else can be learned from it without that key. Sessions opened before this
-- version have no index, and it cannot be computed here (the address is encrypted): they are
-- deleted, as in version 4, and their holders sign in again.

DELETE FROM identity_session;

ALTER TABLE identity_session ADD COLUMN email_index BYTEA NOT NULL;
CREATE INDEX identity_session_email_index ON identity_session (email_index) WHERE ended_at IS NULL;
