-- Audit retention (schema version 8): the one way events leave the audit trail.
--
-- audit_cut(n) removes every event at or below the seq of signed checkpoint n, and nothing else:
-- a whole range from the start of the trail, ending where a signature vouches for the chain
-- head. What remains verifies from that checkpoint, its anchor. Checkpoints are all kept (a few
-- hundred bytes each): the signed history of the head stays whole from the first one.
--
-- The walls of version 5 stay up. The triggers still refuse every other delete, from anyone;
-- they let a delete through only inside audit_cut, which marks its transaction with the seq it
-- cuts at. The role that owns the tables still holds no DELETE: audit_cut, run with the owner's
-- rights, grants it for its one statement and takes it back in the same transaction.

CREATE OR REPLACE FUNCTION audit_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    cut_at TEXT := current_setting('mainstay.audit_cut_at', true);
BEGIN
    IF TG_OP = 'DELETE' AND TG_LEVEL = 'ROW' AND TG_TABLE_NAME = 'audit_event'
            AND cut_at IS NOT NULL AND cut_at <> '' AND OLD.seq <= cut_at::BIGINT THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'the audit trail is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE FUNCTION audit_cut(checkpoint_number BIGINT) RETURNS BIGINT
    LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
    at_seq  BIGINT;
    removed BIGINT;
BEGIN
    SELECT seq INTO at_seq FROM audit_checkpoint WHERE number = checkpoint_number;
    IF at_seq IS NULL THEN
        RAISE EXCEPTION 'there is no audit checkpoint %', checkpoint_number USING ERRCODE = 'no_data_found';
    END IF;
    PERFORM set_config('mainstay.audit_cut_at', at_seq::TEXT, true);
    EXECUTE format('GRANT DELETE ON audit_event TO %I', current_user);
    DELETE FROM audit_event WHERE seq <= at_seq;
    GET DIAGNOSTICS removed = ROW_COUNT;
    EXECUTE format('REVOKE DELETE ON audit_event FROM %I', current_user);
    PERFORM set_config('mainstay.audit_cut_at', '', true);
    RETURN removed;
END;
$$;
