-- Audit trail (schema version 5): an append-only hash chain with signed checkpoints.
--
-- Each audit_event row's hash is SHA-256 over a label, the previous row's hash and the row's
-- canonical encoding (dev.mainstay.audit.Canonical); seq has no gaps. audit_head holds the
-- chain's head and serialises appends (SELECT ... FOR UPDATE). audit_checkpoint rows are
-- signed statements of the head at a seq, chained by digest. The verifier recomputes it all.
--
-- Two walls keep rows from changing: the role that runs the migrations (the application's role)
-- loses UPDATE, DELETE and TRUNCATE on these tables, and triggers reject updates, deletes and
-- truncation from anyone, a superuser included. Neither is relied on for detection: the
-- verifier finds any change that gets past them.

CREATE TABLE audit_event (
    seq            BIGINT PRIMARY KEY,
    time           TIMESTAMPTZ NOT NULL,
    actor_type     TEXT NOT NULL,
    actor_id       TEXT NOT NULL,
    actor_name     TEXT NOT NULL,
    acr            TEXT NOT NULL,
    amr            TEXT NOT NULL,
    source_address TEXT NOT NULL,
    user_agent     TEXT NOT NULL,
    request_id     TEXT NOT NULL,
    trace_id       TEXT NOT NULL,
    org            TEXT NOT NULL,
    action         TEXT NOT NULL,
    target_type    TEXT NOT NULL,
    target_id      TEXT NOT NULL,
    outcome        TEXT NOT NULL,
    details        TEXT NOT NULL,
    prev_hash      BYTEA NOT NULL,
    hash           BYTEA NOT NULL,
    CONSTRAINT audit_event_seq_positive CHECK (seq > 0)
);
CREATE INDEX audit_event_time ON audit_event (time);
CREATE INDEX audit_event_org_time ON audit_event (org, time);

CREATE TABLE audit_head (
    id   SMALLINT PRIMARY KEY,
    seq  BIGINT NOT NULL,
    hash BYTEA NOT NULL,
    CONSTRAINT audit_head_one_row CHECK (id = 1)
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, decode(repeat('00', 32), 'hex'));

CREATE TABLE audit_checkpoint (
    number     BIGINT PRIMARY KEY,
    seq        BIGINT NOT NULL,
    head_hash  BYTEA NOT NULL,
    time       TIMESTAMPTZ NOT NULL,
    prev       BYTEA NOT NULL,
    key_id     TEXT NOT NULL,
    algorithm  TEXT NOT NULL,
    public_key BYTEA NOT NULL,
    signature  BYTEA NOT NULL,
    CONSTRAINT audit_checkpoint_number_positive CHECK (number > 0)
);

CREATE FUNCTION audit_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER audit_checkpoint_append_only BEFORE UPDATE OR DELETE ON audit_checkpoint
    FOR EACH ROW EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER audit_checkpoint_no_truncate BEFORE TRUNCATE ON audit_checkpoint
    FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
    FOR EACH ROW EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head
    FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change();

REVOKE UPDATE, DELETE, TRUNCATE ON audit_event, audit_checkpoint FROM CURRENT_USER;
REVOKE DELETE, TRUNCATE ON audit_head FROM CURRENT_USER;
