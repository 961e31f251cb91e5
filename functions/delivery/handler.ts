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
import { errorSummary, writeLog, type Logger } from '#functions/log.ts';
import { loadApplication, type StoredApplication } from '#functions/storage/applications.ts';
import type { StatementDatabase } from '#functions/storage/database.ts';
import {
  claimDelivery,
  markDeliveryFailed,
  markDeliverySent,
  overdueDeliveryReferences,
  pendingDeliveries,
  type DeliveryChannel,
} from '#functions/storage/deliveries.ts';
import { addSeconds } from '#functions/time.ts';
import { buildRecruiterEmail, type EmailAddresses } from '#functions/delivery/email.ts';
import { sendWebhook, type WebhookTarget } from '#functions/delivery/webhook.ts';

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
/**
 * How long a delivery for a channel whose settings are invalid waits before it is looked at
 * again: it stays pending (no attempt counted) until the settings are fixed.
 */
export const MISCONFIGURED_RETRY_SECONDS = 15 * 60;

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
export type DeliveryDatabase = StatementDatabase;
/** The R2 operation delivery uses: reading the CV. */
export type DeliveryBucket = Pick<R2Bucket, 'get'>;

/** What the consumer needs, given by the composition root (or a test). */
export interface DeliveryDeps {
  db: DeliveryDatabase;
  bucket: DeliveryBucket;
  now: () => Date;
  /**
   * The e-mail channel; undefined when its settings are missing or invalid: its deliveries then
   * stay pending, unattempted, until they are fixed (functions/delivery/settings.ts).
   */
  email?: (EmailAddresses & { send: (from: string, to: string, rawMime: string) => Promise<unknown> }) | undefined;
  /** The webhook channel; undefined when its settings are missing or invalid (as for e-mail). */
  webhook?: (WebhookTarget & { fetch: typeof fetch }) | undefined;
  /** The posting's title for recruiters, when known. */
  jobTitle?: ((slug: string) => Promise<string | undefined> | string | undefined) | undefined;
  /** Where log lines go; by default the console (functions/log.ts). */
  log?: Logger<DeliveryLogEntry> | undefined;
}

/** Seconds to wait after the `attempts`-th failed attempt: 1 min · 2^(attempts−1), at most 6 h. */
export function backoffSeconds(attempts: number): number {
  return Math.min(BACKOFF_BASE_SECONDS * 2 ** Math.max(0, attempts - 1), BACKOFF_MAX_SECONDS);
}

/** What one look at an application's outbox ended with. */
export interface DeliveryResult {
  /** Seconds until the earliest pending delivery is due; undefined when none is pending. */
  retryInSeconds: number | undefined;
  /** Deliveries sent in this look. */
  sent: number;
}

type Attempt = { delivered: true } | { delivered: false; error: string };

/** The configured channels, each with what attempting it takes. */
type Channels = { email: NonNullable<DeliveryDeps['email']>; webhook: NonNullable<DeliveryDeps['webhook']> };

/** Attempts one configured channel once; never throws. */
async function attemptChannel(
  channel: { name: 'email'; config: Channels['email'] } | { name: 'webhook'; config: Channels['webhook'] },
  application: StoredApplication,
  deps: DeliveryDeps,
  state: { cv?: Uint8Array; jobTitle?: string | undefined },
  now: Date,
): Promise<Attempt> {
  try {
    if (channel.name === 'email') {
      if (!state.cv) {
        const object = await deps.bucket.get(application.cv.key);
        if (!object) return { delivered: false, error: 'CV object missing in R2' };
        state.cv = new Uint8Array(await object.arrayBuffer());
      }
      const raw = buildRecruiterEmail({ application, jobTitle: state.jobTitle, cv: state.cv, addresses: channel.config, now });
      await channel.config.send(channel.config.from, channel.config.to, raw);
      return { delivered: true };
    }
    return await sendWebhook({ target: channel.config, application, jobTitle: state.jobTitle, now, fetch: channel.config.fetch });
  } catch (error) {
    return { delivered: false, error: errorSummary(error) };
  }
}

/**
 * Attempts every due pending delivery of one application and records the outcomes. Throws only
 * when D1 cannot be read or written (the caller retries the message).
 */
export async function deliverApplication(reference: string, deps: DeliveryDeps): Promise<DeliveryResult> {
  const log = deps.log ?? writeLog;
  const application = await loadApplication(deps.db, reference);
  // Deleted (retention cascades to the outbox) or never stored: nothing to deliver.
  if (!application) return { retryInSeconds: undefined, sent: 0 };
  const pending = await pendingDeliveries(deps.db, reference);
  const state: { cv?: Uint8Array; jobTitle?: string | undefined } = {};
  if (pending.length > 0) state.jobTitle = (await deps.jobTitle?.(application.jobSlug)) ?? undefined;

  let sent = 0;
  let earliest: number | undefined;
  const stillPending = (at: Date): void => {
    earliest = earliest === undefined ? at.getTime() : Math.min(earliest, at.getTime());
  };

  for (const delivery of pending) {
    const now = deps.now();
    const channel = delivery.channel === 'email' ? deps.email && ({ name: 'email', config: deps.email } as const) : deps.webhook && ({ name: 'webhook', config: deps.webhook } as const);
    if (!channel) {
      // Fail closed: the channel's settings are invalid (reported once, at parse time). The row
      // waits, unattempted, for a deployment with valid settings.
      stillPending(addSeconds(now, MISCONFIGURED_RETRY_SECONDS));
      continue;
    }
    const lease = addSeconds(now, LEASE_SECONDS);
    if (!(await claimDelivery(deps.db, delivery.id, now, lease))) {
      // Not due yet, or another attempt holds the lease: look again when it is due.
      const due = new Date(delivery.next_attempt_at);
      stillPending(due > now ? due : lease);
      continue;
    }

    const outcome = await attemptChannel(channel, application, deps, state, now);
    const attempts = delivery.attempts + 1;
    const done = deps.now();
    if (outcome.delivered) {
      await markDeliverySent(deps.db, delivery.id, done);
      sent += 1;
      log({ level: 'info', event: 'delivery.sent', reference, channel: delivery.channel, attempts });
    } else if (attempts >= MAX_ATTEMPTS) {
      await markDeliveryFailed(deps.db, delivery.id, { status: 'failed', attempts, nextAttemptAt: done, error: outcome.error });
      log({ level: 'error', event: 'delivery.failed', reference, channel: delivery.channel, attempts, error: outcome.error });
    } else {
      const nextAttemptAt = addSeconds(done, backoffSeconds(attempts));
      await markDeliveryFailed(deps.db, delivery.id, { status: 'pending', attempts, nextAttemptAt, error: outcome.error });
      stillPending(nextAttemptAt);
      log({ level: 'warn', event: 'delivery.retry', reference, channel: delivery.channel, attempts, nextAttemptAt: nextAttemptAt.toISOString(), error: outcome.error });
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
  const log = deps.log ?? writeLog;
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
  log?: Logger<DeliveryLogEntry> | undefined;
}

/**
 * The safety net for lost Queue messages: enqueues every application with a pending delivery
 * that has been due for longer than SWEEP_GRACE_SECONDS. Returns how many were enqueued.
 */
export async function sweepPendingDeliveries(deps: DeliverySweepDeps): Promise<number> {
  const log = deps.log ?? writeLog;
  const references = await overdueDeliveryReferences(deps.db, addSeconds(deps.now, -SWEEP_GRACE_SECONDS), SWEEP_BATCH_SIZE);
  if (references.length > 0) await deps.enqueue(references.map((reference) => ({ reference })));
  log({ level: 'info', event: 'delivery.swept', enqueued: references.length });
  return references.length;
}
