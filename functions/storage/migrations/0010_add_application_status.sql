-- Recruiters decide in the inbox (functions/recruiters): each application has a status, from
-- `new` through `in_review`, `interview` and `offer` to one of the final ones, `hired`,
-- `rejected` or `withdrawn`. The list is owned by functions/storage/status.ts; this CHECK
-- repeats it because SQLite cannot import it. Existing applications start as `new`.
ALTER TABLE applications ADD COLUMN status TEXT NOT NULL DEFAULT 'new'
  CHECK (status IN ('new', 'in_review', 'interview', 'offer', 'hired', 'rejected', 'withdrawn'));

-- When the status last changed (ISO 8601 UTC with milliseconds, as process_ended_at); NULL
-- while the application was never touched. A final status also sets process_ended_at.
ALTER TABLE applications ADD COLUMN status_changed_at TEXT CHECK (
  status_changed_at IS NULL
  OR status_changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', status_changed_at)
);

-- Retention counts from the end of the process, else from the last recorded step, else from
-- submission (functions/retention/period.ts); the expression must match the one in
-- functions/storage/applications.ts.
DROP INDEX applications_by_retention_start;
CREATE INDEX applications_by_retention_start
  ON applications (talent_pool, COALESCE(process_ended_at, status_changed_at, created_at));

-- The inbox lists a posting's applications newest first, optionally of one status.
CREATE INDEX applications_by_job_status ON applications (job_slug, status, id);
