-- Schema version 1: the installation record.
-- One row per database; "singleton" is true for that row and unique, so a second row cannot exist.
CREATE TABLE installation (
    id                   uuid        PRIMARY KEY,
    created_at           timestamptz NOT NULL,
    last_started_at      timestamptz NOT NULL,
    start_count          bigint      NOT NULL DEFAULT 0 CHECK (start_count >= 0),
    last_started_version varchar(64) NOT NULL,
    singleton            boolean     NOT NULL DEFAULT true UNIQUE CHECK (singleton)
);

COMMENT ON TABLE installation IS 'This Mainstay installation: created on first start, counted on every start.';
