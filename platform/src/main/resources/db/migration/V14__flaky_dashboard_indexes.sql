-- Schema version 14: indexes for the flaky-test pages (FlakyDashboard, DashboardQueries), so that
-- each of their queries answers in under 200 ms at 45 days of ~220,000 executions a day
-- (bench/RESULTS.md, "Flaky dashboard queries"), and one small table for the overview's impact.
--
-- test_execution_failed: the failed and errored executions only (about 2% of the rows), with every
-- column the overview's trend and impact read, so both are index-only scans of the failures of
-- the days they cover instead of scans of every execution. Made on the partitioned table, so
-- every partition, existing or made later by the upload path, gets its own.
--
-- flaky_failure_total: per test, every failed or errored execution ever stored and their total
-- duration, whatever the upload (infrastructure failures included); added to in the upload's own
-- transaction, never subtracted from. It bounds from above what a test's failures can cost in any
-- window (durations are not negative), so the impact table aggregates the window's failures of
-- the few tests with the highest bounds only, and widens the set until no other test can rank
-- (DashboardQueries.impact): with tens of thousands of tests failing a few times, aggregating
-- every failure of 45 days takes seconds. Backfilled here from the executions stored so far.
--
-- flaky_test_by_score, flaky_test_by_last_seen, flaky_test_by_name: the test list's three orders,
-- so a page is read in order from an index instead of sorting the org's tests.
--
-- flaky_test_search: the list's text search (a substring of "classname name file", lower case) as
-- a trigram index; the query matches with LIKE '%term%', which it can serve for terms of three
-- characters or more. pg_trgm is in PostgreSQL's contrib (postgresql-contrib, or the postgresql
-- package on Debian and Ubuntu; in the embedded binaries too) and is a trusted extension, so the
-- database's owner may create it.

CREATE INDEX test_execution_failed ON test_execution (org, repo, day) INCLUDE (test_id, upload_id, duration_us)
    WHERE status IN ('failed', 'error');

CREATE INDEX flaky_test_by_score ON flaky_test (org, score DESC, last_seen DESC, test_id);
CREATE INDEX flaky_test_by_last_seen ON flaky_test (org, last_seen DESC, test_id);
CREATE INDEX flaky_test_by_name ON flaky_test (org, classname, name, test_id);

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX flaky_test_search ON flaky_test USING gin (lower(classname || ' ' || name || ' ' || file) gin_trgm_ops);

CREATE TABLE flaky_failure_total (
    org      TEXT   NOT NULL,
    test_id  TEXT   NOT NULL,
    repo     TEXT   NOT NULL,
    failures BIGINT NOT NULL DEFAULT 0,
    micros   BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (org, test_id)
);

-- The bound of a test's cost in microseconds: the impact table's failures * greatest(seconds / failures, 0.001).
CREATE INDEX flaky_failure_total_bound ON flaky_failure_total (org, GREATEST(micros, failures * 1000) DESC);

INSERT INTO flaky_failure_total (org, test_id, repo, failures, micros)
SELECT org, test_id, min(repo), count(*), sum(duration_us) FROM test_execution WHERE status IN ('failed', 'error') GROUP BY org, test_id;
