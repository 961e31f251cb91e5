/**
 * Delivery of stored applications to recruiters: the Queue consumer and the cron sweep.
 *
 * D1's `deliveries` table (the outbox, written with the application in one batch) is the
 * truth; a Queue message `{ reference }` only says "look now". For each message the consumer
 * loads the application and its pending deliveries, claims each due one with a lease (so a
 * duplicate message sends nothing while an attempt runs), attempts it and records the result:
 * `sent`, or one more attempt with exponential backoff, or `failed` after MAX_ATTEMPTS. The
 * message is retried while something is pending and acknowledged when nothing is. A lost
 * message (the producer failed, the queue gave up) is found again by the sweep.
 */
import { z } from 'zod';
import type { DeliveryChannel } from '#functions/applications/store.ts';
import { STORED_APPLICATION_COLUMNS, storedApplicationSchema, type StoredApplication } from './application.ts';
import { buildRecruiterEmail, type EmailAddresses } from './email.ts';
import { sendWebhook, type WebhookTarget } from './webhook.ts';

/** Attempts per channel before it is marked failed. */
export const MAX_ATTEMPTS = 8;
/** Wait after the first failed attempt; it doubles with each further one. */
export const BACKOFF_BASE_SECONDS = 60;
/** Longest wait between attempts: 6 hours. */
export const BACKOFF_MAX_SECONDS = 6 * 60 * 60;
/** How long a claimed attempt keeps others away (longer than any send may take). */
export const LEASE_SECONDS = 5 * 60;
/** The sweep leaves deliveries due for less than this to their queue message. */
export const SWEEP_GRACE_SECONDS = 5 * 60;
/** Most applications one sweep re-enqueues (a Queue `sendBatch` takes 100 messages). */
export const SWEEP_BATCH_SIZE = 100;
/** Delay before a message is retried after the database could not be read. */
const ERROR_RETRY_SECONDS = 60;

/** The body of a delivery Queue message. */
export const deliveryMessageSchema = z.object({
  /** Reference of the stored application to deliver. */
  reference: z.string().min(1).max(64),
});
/** The body of a delivery Queue message. */
export type DeliveryMessage = z.infer<typeof deliveryMessageSchema>;

/** One line for the logs: references, channels and counts only, no personal data. */
export type DeliveryLogEntry =
  | { level: 'info'; event: 'delivery.sent'; reference: string; channel: DeliveryChannel; attempts: number }
  | { level: 'warn'; event: 'delivery.retry'; reference: string; channel: DeliveryChannel; attempts: number; nextAttemptAt: string; error: string }
  | { level: 'error'; event: 'delivery.failed'; reference: string; channel: DeliveryChannel; attempts: number; error: string }
  | { level: 'error'; event: 'delivery.message-invalid'; messageId: string }
  | { level: 'error'; event: 'delivery.error'; reference: string; error: string }
  | { level: 'info'; event: 'delivery.swept'; enqueued: number };

/** The D1 operations delivery uses (a real `D1Database` fits). */
export type DeliveryDatabase = Pick<D1Database, 'prepare'>;
/** The R2 operation delivery uses: reading the CV. */
export type DeliveryBucket = Pick<R2Bucket, 'get'>;

/** What the consumer needs, given by the composition root (or a test). */
export interface DeliveryDeps {
  db: DeliveryDatabase;
  bucket: DeliveryBucket;
  now: () => Date;
  /** The e-mail channel; undefined when not configured. */
  email?: (EmailAddresses & { send: (from: string, to: string, rawMime: string) => Promise<unknown> }) | undefined;
  /** The webhook channel; undefined when not configured. */
  webhook?: (WebhookTarget & { fetch: typeof fetch }) | undefined;
  /** The posting's title for recruiters, when known. */
  jobTitle?: ((slug: string) => Promise<string | undefined> | string | undefined) | undefined;
  /** Where log lines go; by default JSON on the console. */
  log?: ((entry: DeliveryLogEntry) => void) | undefined;
}

/** The channels a configuration turns on: the store writes one outbox row for each. */
export function configuredChannels(deps: Pick<DeliveryDeps, 'email' | 'webhook'>): DeliveryChannel[] {
  return [...(deps.email ? (['email'] as const) : []), ...(deps.webhook ? (['webhook'] as const) : [])];
}

/** Seconds to wait after the `attempts`-th failed attempt: 1 min · 2^(attempts−1), at most 6 h. */
export function backoffSeconds(attempts: number): number {
  return Math.min(BACKOFF_BASE_SECONDS * 2 ** Math.max(0, attempts - 1), BACKOFF_MAX_SECONDS);
}

interface DeliveryRow {
  id: number;
  channel: DeliveryChannel;
  attempts: number;
  next_attempt_at: string;
}

const SELECT_APPLICATION = `SELECT ${STORED_APPLICATION_COLUMNS} FROM applications WHERE reference = ?1`;
const SELECT_PENDING = `SELECT id, channel, attempts, next_attempt_at FROM deliveries
  WHERE application_reference = ?1 AND status = 'pending' ORDER BY id`;
// The lease: only one attempt at a time claims a due row.
const CLAIM = `UPDATE deliveries SET next_attempt_at = ?3
  WHERE id = ?1 AND status = 'pending' AND next_attempt_at <= ?2`;
const MARK_SENT = `UPDATE deliveries SET status = 'sent', attempts = attempts + 1, delivered_at = ?2, last_error = NULL
  WHERE id = ?1 AND status = 'pending'`;
const MARK_ATTEMPT_FAILED = `UPDATE deliveries SET status = ?2, attempts = ?3, next_attempt_at = ?4, last_error = ?5
  WHERE id = ?1 AND status = 'pending'`;
const SELECT_DUE = `SELECT application_reference AS reference FROM deliveries
  WHERE status = 'pending' AND next_attempt_at <= ?1
  GROUP BY application_reference ORDER BY MIN(next_attempt_at) LIMIT ?2`;

function defaultLog(entry: DeliveryLogEntry): void {
  const { level, ...fields } = entry;
  (level === 'error' ? console.error : level === 'warn' ? console.warn : console.log)(JSON.stringify(fields));
}

/** An error's class and message with anything looking like an e-mail address removed. */
function errorSummary(error: unknown): string {
  if (!(error instanceof Error)) return 'non-error thrown';
  const message = error.message.replace(/[^\s<>"'@]+@[^\s<>"'@]+/g, '<address>').slice(0, 200);
  return `${error.name}: ${message}`;
}

function addSeconds(date: Date, seconds: number): string {
  return new Date(date.getTime() + seconds * 1000).toISOString();
}

/** What one look at an application's outbox ended with. */
export interface DeliveryResult {
  /** Seconds until the earliest pending delivery is due; undefined when none is pending. */
  retryInSeconds: number | undefined;
  /** Deliveries sent in this look. */
  sent: number;
}

type Attempt = { delivered: true } | { delivered: false; error: string };

/** Attempts one channel once; never throws. */
async function attemptChannel(
  channel: DeliveryChannel,
  application: StoredApplication,
  deps: DeliveryDeps,
  state: { cv?: Uint8Array; jobTitle?: string | undefined },
  now: Date,
): Promise<Attempt> {
  try {
    if (channel === 'email') {
      if (!deps.email) return { delivered: false, error: 'email channel not configured' };
      if (!state.cv) {
        const object = await deps.bucket.get(application.cv_key);
        if (!object) return { delivered: false, error: 'CV object missing in R2' };
        state.cv = new Uint8Array(await object.arrayBuffer());
      }
      const raw = buildRecruiterEmail({ application, jobTitle: state.jobTitle, cv: state.cv, addresses: deps.email, now });
      await deps.email.send(deps.email.from, deps.email.to, raw);
      return { delivered: true };
    }
    if (!deps.webhook) return { delivered: false, error: 'webhook channel not configured' };
    return await sendWebhook({ target: deps.webhook, application, jobTitle: state.jobTitle, now, fetch: deps.webhook.fetch });
  } catch (error) {
    return { delivered: false, error: errorSummary(error) };
  }
}

/**
 * Attempts every due pending delivery of one application and records the outcomes. Throws only
 * when D1 cannot be read or written (the caller retries the message).
 */
export async function deliverApplication(reference: string, deps: DeliveryDeps): Promise<DeliveryResult> {
  const log = deps.log ?? defaultLog;
  const row = await deps.db.prepare(SELECT_APPLICATION).bind(reference).first();
  // Deleted (retention cascades to the outbox) or never stored: nothing to deliver.
  if (!row) return { retryInSeconds: undefined, sent: 0 };
  const application = storedApplicationSchema.parse(row);
  const { results: pending } = await deps.db.prepare(SELECT_PENDING).bind(reference).all<DeliveryRow>();
  const state: { cv?: Uint8Array; jobTitle?: string | undefined } = {};
  if (pending.length > 0) state.jobTitle = (await deps.jobTitle?.(application.job_slug)) ?? undefined;

  let sent = 0;
  let earliest: number | undefined;
  const stillPending = (at: string): void => {
    const time = Date.parse(at);
    earliest = earliest === undefined ? time : Math.min(earliest, time);
  };

  for (const delivery of pending) {
    const now = deps.now();
    const claimed = await deps.db.prepare(CLAIM).bind(delivery.id, now.toISOString(), addSeconds(now, LEASE_SECONDS)).run();
    if (claimed.meta.changes !== 1) {
      // Not due yet, or another attempt holds the lease: look again when it is due.
      stillPending(delivery.next_attempt_at > now.toISOString() ? delivery.next_attempt_at : addSeconds(now, LEASE_SECONDS));
      continue;
    }

    const outcome = await attemptChannel(delivery.channel, application, deps, state, now);
    const attempts = delivery.attempts + 1;
    const done = deps.now();
    if (outcome.delivered) {
      await deps.db.prepare(MARK_SENT).bind(delivery.id, done.toISOString()).run();
      sent += 1;
      log({ level: 'info', event: 'delivery.sent', reference, channel: delivery.channel, attempts });
    } else if (attempts >= MAX_ATTEMPTS) {
      await deps.db.prepare(MARK_ATTEMPT_FAILED).bind(delivery.id, 'failed', attempts, done.toISOString(), outcome.error).run();
      log({ level: 'error', event: 'delivery.failed', reference, channel: delivery.channel, attempts, error: outcome.error });
    } else {
      const nextAttemptAt = addSeconds(done, backoffSeconds(attempts));
      await deps.db.prepare(MARK_ATTEMPT_FAILED).bind(delivery.id, 'pending', attempts, nextAttemptAt, outcome.error).run();
      stillPending(nextAttemptAt);
      log({ level: 'warn', event: 'delivery.retry', reference, channel: delivery.channel, attempts, nextAttemptAt, error: outcome.error });
    }
  }

  const retryInSeconds = earliest === undefined ? undefined : Math.max(1, Math.ceil((earliest - deps.now().getTime()) / 1000));
  return { retryInSeconds, sent };
}

/**
 * The Queue consumer: delivers each message's application, then acknowledges the message, or
 * retries it for when the next pending delivery is due.
 */
export async function handleDeliveryBatch(batch: MessageBatch<unknown>, deps: DeliveryDeps): Promise<void> {
  const log = deps.log ?? defaultLog;
  for (const message of batch.messages) {
    const parsed = deliveryMessageSchema.safeParse(message.body);
    if (!parsed.success) {
      // Retrying cannot make it valid.
      log({ level: 'error', event: 'delivery.message-invalid', messageId: message.id });
      message.ack();
      continue;
    }
    const { reference } = parsed.data;
    try {
      const result = await deliverApplication(reference, deps);
      if (result.retryInSeconds === undefined) message.ack();
      else message.retry({ delaySeconds: Math.min(result.retryInSeconds, BACKOFF_MAX_SECONDS) });
    } catch (error) {
      log({ level: 'error', event: 'delivery.error', reference, error: errorSummary(error) });
      message.retry({ delaySeconds: ERROR_RETRY_SECONDS });
    }
  }
}

/** What the sweep needs: the outbox and a way to enqueue references. */
export interface DeliverySweepDeps {
  db: DeliveryDatabase;
  now: Date;
  /** Sends one Queue message per reference (e.g. `DELIVERY_QUEUE.sendBatch`). */
  enqueue: (messages: DeliveryMessage[]) => Promise<unknown>;
  log?: ((entry: DeliveryLogEntry) => void) | undefined;
}

/**
 * The safety net for lost Queue messages: enqueues every application with a pending delivery
 * that has been due for longer than SWEEP_GRACE_SECONDS. Returns how many were enqueued.
 */
export async function sweepPendingDeliveries(deps: DeliverySweepDeps): Promise<number> {
  const log = deps.log ?? defaultLog;
  const dueBefore = addSeconds(deps.now, -SWEEP_GRACE_SECONDS);
  const { results } = await deps.db.prepare(SELECT_DUE).bind(dueBefore, SWEEP_BATCH_SIZE).all<{ reference: string }>();
  if (results.length > 0) await deps.enqueue(results.map(({ reference }) => ({ reference })));
  log({ level: 'info', event: 'delivery.swept', enqueued: results.length });
  return results.length;
}
