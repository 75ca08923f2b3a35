-- A delivery's body (pull request titles, bodies, comments) is cleared 7 days after the merge queue
-- acted on it, while its id and body hash stay 90 days so that a replay of it is still recognised.
ALTER TABLE github_inbox ALTER COLUMN payload DROP NOT NULL;
