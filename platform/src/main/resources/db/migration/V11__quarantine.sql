-- Schema version 11: quarantined tests, and each repository's auto-quarantine policy.
--
-- flaky_quarantine: one row per quarantined test (org + test id). A quarantine is lifted by
-- deleting its row; who quarantined or lifted what, when and why is in the audit trail. A row
-- whose expires_at has passed is no longer in force (lists leave it out) and is deleted by the
-- background job, which records the expiry. source: 'manual' (a person) or 'auto' (the policy,
-- when detection called the test flaky; never for a broken test).
--
-- flaky_quarantine_policy: whether a repository quarantines its flaky tests automatically, and
-- for how long; a repository without a row does not.

CREATE TABLE flaky_quarantine (
    org            TEXT        NOT NULL,
    test_id        TEXT        NOT NULL,
    repo           TEXT        NOT NULL,
    source         TEXT        NOT NULL CHECK (source IN ('manual', 'auto')),
    reason         TEXT        NOT NULL,
    owner          TEXT        NOT NULL DEFAULT '',
    expires_at     TIMESTAMPTZ,
    quarantined_by TEXT        NOT NULL,
    quarantined_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (org, test_id)
);

CREATE INDEX flaky_quarantine_by_repo ON flaky_quarantine (org, repo);
CREATE INDEX flaky_quarantine_expiry ON flaky_quarantine (expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE flaky_quarantine_policy (
    org          TEXT        NOT NULL,
    repo         TEXT        NOT NULL,
    auto         BOOLEAN     NOT NULL,
    expiry_days  INTEGER     NOT NULL CHECK (expiry_days BETWEEN 1 AND 365),
    updated_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (org, repo)
);
