-- The GitHub login Keycloak sends (claim github_login, from the user attribute of that name), so that
-- the merge queue asks GitHub about the right account when a person queues a pull request in Mainstay.
ALTER TABLE identity_session ADD COLUMN github_login TEXT NOT NULL DEFAULT '';
