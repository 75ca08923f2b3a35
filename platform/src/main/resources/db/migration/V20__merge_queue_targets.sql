-- Schema version 20: the build targets each pull request head affects, as CI posts them.
--
-- merge_queue_targets: per repository, pull request and head commit, the targets CI computed
-- (POST /api/v1/impacted-targets), as a JSON array of names; ["ALL"] affects everything. When the
-- pull request is queued at that head, the queue puts it in the lane of those targets: pull requests
-- with disjoint targets are tested and merged independently. posted_by names the token or person.
-- Rows are deleted 30 days after they were posted.

CREATE TABLE merge_queue_targets (
    repo       TEXT        NOT NULL,
    pr         INTEGER     NOT NULL,
    head       TEXT        NOT NULL,
    targets    TEXT        NOT NULL,
    posted_at  TIMESTAMPTZ NOT NULL,
    posted_by  TEXT        NOT NULL,
    PRIMARY KEY (repo, pr, head)
);

CREATE INDEX merge_queue_targets_posted ON merge_queue_targets (posted_at);
