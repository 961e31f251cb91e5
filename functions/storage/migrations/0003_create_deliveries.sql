-- The delivery outbox: one row per application and channel that must reach the recruiters
-- (functions/delivery). Written in the same D1 batch as the application row, so an
-- application is never stored without its deliveries, nor a delivery without its application.
-- D1 enforces foreign keys, so deleting an application (retention) deletes its deliveries.
CREATE TABLE deliveries (
  id INTEGER PRIMARY KEY,
  application_reference TEXT NOT NULL REFERENCES applications (reference) ON DELETE CASCADE,
  channel TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
  -- pending until delivered (sent) or given up after the last attempt (failed).
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  -- ISO 8601 UTC (`Date.toISOString()`), so text order is time order. While an attempt runs,
  -- it is moved ahead (a lease), so a second consumer of the same message sends nothing.
  next_attempt_at TEXT NOT NULL,
  -- Why the last attempt failed: a status code or error class, never personal data.
  last_error TEXT,
  created_at TEXT NOT NULL,
  delivered_at TEXT,
  UNIQUE (application_reference, channel)
);

-- The sweep looks up pending deliveries that are due.
CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
