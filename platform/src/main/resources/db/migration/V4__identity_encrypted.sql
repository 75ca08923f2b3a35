-- Schema version 4: a session's name, e-mail address and ID token are stored encrypted.
--
-- Each becomes a FieldCipher ciphertext (format v1: version, data key id, nonce, AES-256-GCM
-- ciphertext and tag), bound to identity_session, its column and the row id. Sessions opened
-- before this version held them in plaintext: they are deleted (their holders sign in again),
-- so no plaintext copy survives the upgrade.

DELETE FROM identity_session;

ALTER TABLE identity_session
    DROP COLUMN display_name,
    DROP COLUMN email,
    DROP COLUMN id_token,
    ADD COLUMN display_name BYTEA NOT NULL,
    ADD COLUMN email        BYTEA NOT NULL,
    ADD COLUMN id_token     BYTEA NOT NULL;
