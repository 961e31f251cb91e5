-- One row per application. The CV itself lives in R2 (binding CV_BUCKET) under cv_key; the row
-- holds only its size and SHA-256. Written in one INSERT after the R2 object exists, so a row
-- never points at a missing CV; see functions/storage/applications.ts for the order.
CREATE TABLE applications (
  id INTEGER PRIMARY KEY,
  -- Short human-readable reference shown to the applicant, e.g. ML-7F3K9Q.
  reference TEXT NOT NULL UNIQUE,
  -- Deduplication: the client's Idempotency-Key (or form token), else the fingerprint.
  submission_key TEXT NOT NULL UNIQUE,
  -- SHA-256 of posting slug, lower-cased e-mail and CV hash: the same application twice.
  fingerprint TEXT NOT NULL UNIQUE,
  job_slug TEXT NOT NULL,
  -- Locale the applicant used: answers and e-mails go out in it.
  locale TEXT NOT NULL,
  -- The validated answers as JSON (no file bytes).
  answers TEXT NOT NULL CHECK (json_valid(answers)),
  -- Consent facts: which privacy notice was shown, and when it was accepted (ISO 8601 UTC).
  privacy_notice_version TEXT NOT NULL,
  privacy_consented_at TEXT NOT NULL,
  -- Talent pool (24 months for other roles): 1 with the time of consent, else 0 and NULL.
  talent_pool INTEGER NOT NULL CHECK (talent_pool IN (0, 1)),
  talent_pool_consented_at TEXT,
  cv_key TEXT NOT NULL UNIQUE,
  cv_size INTEGER NOT NULL CHECK (cv_size > 0),
  cv_sha256 TEXT NOT NULL CHECK (length(cv_sha256) = 64),
  created_at TEXT NOT NULL,
  CHECK ((talent_pool = 1) = (talent_pool_consented_at IS NOT NULL))
);

-- Recruiters list a posting's applications newest first; retention deletes by age.
CREATE INDEX applications_by_job ON applications (job_slug, created_at);
CREATE INDEX applications_by_created_at ON applications (created_at);
