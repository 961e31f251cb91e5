-- When a recruiter last asked the inbox to "retry now" a delivery that had failed (ISO 8601
-- UTC); NULL if nobody did. The retry gives the row a fresh round of attempts (attempts back to
-- 0, status pending), so without this column a delivery being retried could not be told from
-- one that never failed, and the inbox's overview would say every delivery went through while
-- it is still being retried (functions/storage/deliveries.ts).
ALTER TABLE deliveries ADD COLUMN retried_at TEXT;
