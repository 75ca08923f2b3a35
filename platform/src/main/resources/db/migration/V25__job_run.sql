-- One row per run of a scheduled job (jobs.JobCatalogue), on whichever replica ran it: written as
-- 'running' when the run starts and finished with its outcome, the counts the job reported and,
-- for a failed run, the error (cut to 1000 characters). A run whose replica died stays 'running'
-- until the recovering replica marks it 'interrupted'.
CREATE TABLE job_run (
    id        UUID        PRIMARY KEY,
    job       TEXT        NOT NULL,
    replica   TEXT        NOT NULL,
    triggered_by TEXT     NOT NULL DEFAULT 'schedule',
    attempt   INTEGER     NOT NULL DEFAULT 1,
    started   TIMESTAMPTZ NOT NULL,
    finished  TIMESTAMPTZ,
    outcome   TEXT        NOT NULL DEFAULT 'running'
              CHECK (outcome IN ('running', 'succeeded', 'failed', 'interrupted')),
    counts    JSONB       NOT NULL DEFAULT '{}'::jsonb,
    error     TEXT
);
CREATE INDEX job_run_job_started ON job_run (job, started DESC);
