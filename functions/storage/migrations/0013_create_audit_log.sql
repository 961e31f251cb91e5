-- Who did what to which application, and when (functions/storage/audit.ts): status changes,
-- CV downloads, exports, deletions, delivery retries. `actor` is the recruiter's Cloudflare
-- Access identity, `applicant` for a withdrawal through the private link, `retention` for the
-- daily deletion. Never what an applicant typed: a deletion leaves the reference and the date
-- (and who and why), nothing else.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('status.changed', 'cv.downloaded', 'exported', 'deleted', 'delivery.retried')),
  -- The application concerned; NULL for an export of a whole posting.
  reference TEXT,
  -- The posting concerned, when it is known and not personal (an export, a status change).
  job_slug TEXT,
  -- What changed, e.g. "in_review → rejected", the reason of a deletion, or the count exported.
  detail TEXT
);

CREATE INDEX audit_log_by_reference ON audit_log (reference, id);
