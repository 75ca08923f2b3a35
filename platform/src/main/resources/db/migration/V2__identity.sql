-- Identity: browser sessions and API tokens (schema version 2).
--
-- Neither table holds a credential in a usable form: a session row is found by the SHA-256 (hex) of
-- the random token inside the encrypted cookie, an API token by the SHA-256 of the token.
-- Keycloak's refresh token lives only in the encrypted cookie.

CREATE TABLE identity_session (
    id                  UUID PRIMARY KEY,
    token_hash          TEXT NOT NULL UNIQUE,
    subject             TEXT NOT NULL,
    username            TEXT NOT NULL,
    display_name        TEXT NOT NULL,
    email               TEXT NOT NULL DEFAULT '',
    keycloak_session_id TEXT,
    acr                 TEXT NOT NULL,
    amr                 TEXT NOT NULL DEFAULT '',
    auth_time           TIMESTAMPTZ NOT NULL,
    orgs                TEXT NOT NULL DEFAULT '',
    roles               TEXT NOT NULL DEFAULT '',
    id_token            TEXT NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL,
    confirmed_at        TIMESTAMPTZ NOT NULL,
    ended_at            TIMESTAMPTZ,
    end_reason          TEXT,
    CONSTRAINT identity_session_end_reason CHECK ((ended_at IS NULL) = (end_reason IS NULL))
);
CREATE INDEX identity_session_subject ON identity_session (subject) WHERE ended_at IS NULL;

CREATE TABLE identity_api_token (
    id                UUID PRIMARY KEY,
    org               TEXT NOT NULL,
    name              TEXT NOT NULL,
    token_hash        TEXT NOT NULL UNIQUE,
    display_prefix    TEXT NOT NULL,
    scopes            TEXT NOT NULL,
    creator_subject   TEXT NOT NULL,
    creator_username  TEXT NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    expires_at        TIMESTAMPTZ NOT NULL,
    last_used_at      TIMESTAMPTZ,
    last_used_address TEXT,
    revoked_at        TIMESTAMPTZ,
    revoked_by        TEXT,
    CONSTRAINT identity_api_token_name_length CHECK (char_length(name) BETWEEN 1 AND 100),
    CONSTRAINT identity_api_token_revocation CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
CREATE INDEX identity_api_token_org ON identity_api_token (org, created_at DESC);
