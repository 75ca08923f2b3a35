-- Schema version 19: each repository branch's merge-queue settings.
--
-- merge_queue_settings: the settings people set for a repository's target branch (the API's and
-- the settings page's JSON object, as they sent it, checked before it is stored), who set them
-- last and when. A branch without a row has the appliance's defaults. A row may exist before the
-- branch's queue does. Rows are kept until changed; every change is in the audit trail
-- (queue.settings.update, with the settings before and after).

CREATE TABLE merge_queue_settings (
    repo        TEXT        NOT NULL,
    branch      TEXT        NOT NULL,
    settings    TEXT        NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    updated_by  TEXT        NOT NULL,
    PRIMARY KEY (repo, branch)
);
