-- How far each feed into or out of the audit trail has got (the Keycloak event pull, the SIEM
-- sinks). A feed moves its cursor in the same transaction as the work it describes, so a restart
-- neither skips nor repeats anything.
CREATE TABLE audit_cursor (
    source     TEXT PRIMARY KEY,
    position   TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
