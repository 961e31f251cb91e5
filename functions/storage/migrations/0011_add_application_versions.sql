-- A second application to the same posting with the same e-mail address is kept as a new
-- version, never written over the first (anyone who knows an address could otherwise replace
-- that person's CV): recruiters see the newest as the current one, the older ones as
-- superseded (functions/storage/applications.ts).

-- The applicant within a posting: the e-mail address as SQLite normalizes it, derived from the
-- stored answers so that it cannot disagree with them (and existing rows get it too).
ALTER TABLE applications ADD COLUMN email_key TEXT
  GENERATED ALWAYS AS (lower(trim(json_extract(answers, '$.email')))) VIRTUAL;

-- SHA-256 of what was sent (posting, answers, consents, CV hash), to recognise an identical
-- resubmission (a refresh, a double click). NULL for applications stored before this migration.
ALTER TABLE applications ADD COLUMN content_sha256 TEXT CHECK (content_sha256 IS NULL OR length(content_sha256) = 64);

-- The reference of the version this one replaced when it was stored; NULL for a first one.
-- Not a foreign key: the older version may be deleted (withdrawn, retention) before this one.
ALTER TABLE applications ADD COLUMN supersedes TEXT;

-- Versions of one applicant's applications to one posting, oldest first.
CREATE INDEX applications_versions ON applications (job_slug, email_key, id);
