-- When the recruiting process of an application ended (ISO 8601 UTC, as `Date.toISOString()`
-- writes it, e.g. 2026-11-26T10:00:00.000Z). Set by recruiters; NULL until then.
-- Retention (functions/retention) counts the deletion period from this moment, or from
-- created_at while it is NULL. The CHECK admits only real dates in exactly that format
-- (strftime normalizes anything else, e.g. 2026-02-30, to a different text), which keeps text
-- comparison equal to time order, as the retention query relies on.
ALTER TABLE applications ADD COLUMN process_ended_at TEXT CHECK (
  process_ended_at IS NULL
  OR process_ended_at = strftime('%Y-%m-%dT%H:%M:%fZ', process_ended_at)
);

-- Retention looks up the oldest applications per talent-pool choice by the moment their
-- period starts; the expression must match the one in functions/storage/applications.ts.
CREATE INDEX applications_by_retention_start
  ON applications (talent_pool, COALESCE(process_ended_at, created_at));
