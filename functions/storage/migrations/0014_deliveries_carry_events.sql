-- The delivery outbox carries events (functions/storage/deliveries.ts): `application.created`,
-- `application.status_changed` and `application.deleted`. A deletion removes the
-- application's rows and queues its `application.deleted` event in the same batch, so the
-- outbox can no longer be bound to the application by a cascading foreign key: the table is
-- rebuilt without it. Every existing row is kept as an `application.created` event, with its
-- status, attempts and times, under one event id per application (derived from its reference, so
-- its e-mail and webhook rows share it as new events' rows do).
CREATE TABLE deliveries_with_events (
  id INTEGER PRIMARY KEY,
  -- The event's id (Standard Webhooks `webhook-id`, the e-mail's Message-ID): the same for
  -- every attempt and channel, so receivers can drop a repeat.
  event_id TEXT NOT NULL,
  event_type TEXT NOT NULL CHECK (event_type IN ('application.created', 'application.status_changed', 'application.deleted')),
  application_reference TEXT NOT NULL,
  channel TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
  -- The event's data, frozen when it happened (JSON); NULL for application.created, which is
  -- read from the stored application when it is sent.
  payload TEXT CHECK (payload IS NULL OR json_valid(payload)),
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
  UNIQUE (event_id, channel)
);

INSERT INTO deliveries_with_events (
  id, event_id, event_type, application_reference, channel, payload,
  status, attempts, next_attempt_at, last_error, created_at, delivered_at
)
SELECT
  id, 'msg_' || lower(hex(application_reference)), 'application.created', application_reference, channel, NULL,
  status, attempts, next_attempt_at, last_error, created_at, delivered_at
FROM deliveries;

DROP TABLE deliveries;
ALTER TABLE deliveries_with_events RENAME TO deliveries;

-- The sweep looks up pending deliveries that are due; the consumer and the inbox look up an
-- application's deliveries; the inbox lists failed ones.
CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
CREATE INDEX deliveries_by_reference ON deliveries (application_reference, id);
