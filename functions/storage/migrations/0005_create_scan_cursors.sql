-- Where a scan that takes more than one run stopped, so the next run resumes there instead of
-- starting over (functions/storage/scanCursors.ts): the retention's sweep for orphaned CVs
-- lists the bucket a bounded number of pages per run, however many objects it holds.
CREATE TABLE scan_cursors (
  -- Which scan, e.g. 'orphaned-cvs'.
  name TEXT PRIMARY KEY,
  -- The last key the scan looked at; the next run lists the keys after it.
  after_key TEXT NOT NULL,
  -- When it was saved (ISO 8601 UTC).
  updated_at TEXT NOT NULL
) WITHOUT ROWID;
