-- The applicant's private link (functions/applicants): a random token of 256 bits shown only
-- to the applicant; only its SHA-256 is stored. A submission gets one link, a repeated one
-- (a replay) another; each stays valid while the application exists.
--
-- When the application is deleted (withdrawal, the recruiters' "delete now", retention) its
-- links stay as tombstones: the token's hash and the deletion time, no personal data, so the
-- link can say "already deleted" instead of "not found".
CREATE TABLE applicant_links (
  token_sha256 TEXT PRIMARY KEY CHECK (length(token_sha256) = 64),
  -- The application; NULL once it was deleted. Not a foreign key: the tombstone outlives it.
  application_reference TEXT,
  created_at TEXT NOT NULL,
  deleted_at TEXT,
  CHECK ((application_reference IS NULL) = (deleted_at IS NOT NULL))
);

CREATE INDEX applicant_links_by_reference ON applicant_links (application_reference);
