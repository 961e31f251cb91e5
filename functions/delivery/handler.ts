/**
 * Delivery of the outbox's events to recruiters: the Queue consumer and the cron sweep.
 *
 * D1's `deliveries` table (the outbox) is the truth; a Queue message `{ reference }` only says
 * "look now". For each message the consumer loads the application's pending deliveries (of
 * any event: created, status changed, deleted), claims each due one with a lease (so a
 * duplicate message sends nothing while an attempt runs), attempts it and records the result:
 * `sent`, or one more attempt with exponential backoff, or `failed` after MAX_ATTEMPTS. The
 * message is retried while something is pending and acknowledged when nothing is. A lost
 * message (the producer failed, the queue gave up) is found again by the sweep.
 *
 * What cannot be read (a stored application or event data that no longer parses) counts as a
 * failed attempt like any other, so it ends as `failed` instead of being retried forever.
 */
import { z } from 'zod';
import { errorSummary, writeLog, type Logger } from '#functions/log.ts';
import { loadApplication, type StoredApplication } from '#functions/storage/applications.ts';
import type { StatementDatabase } from '#functions/storage/database.ts';
import {
  claimDelivery,
  deletedPayloadSchema,
  markDeliveryFailed,
  markDeliverySent,
  overdueDeliveryReferences,
  pendingDeliveries,
  statusChangedPayloadSchema,
  type DeletedPayload,
  type DeliveryChannel,
  type PendingDelivery,
} from '#functions/storage/deliveries.ts';
import { addSeconds } from '#functions/time.ts';
import { buildRecruiterEmail, buildWithdrawalEmail, type EmailAddresses } from '#functions/delivery/email.ts';
import { createdEventData, sendWebhook, type WebhookEvent, type WebhookTarget } from '#functions/delivery/webhook.ts';

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
  /** Reference of the application whose outbox to look at. */
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
  /** Whether the new-application e-mail carries the answers and the CV (RECRUITER_EMAIL_ATTACH_APPLICATION). */
  attachApplication?: boolean | undefined;
  /** The webhook channel; undefined when its settings are missing or invalid (as for e-mail). */
  webhook?: (WebhookTarget & { fetch: typeof fetch }) | undefined;
  /** The absolute URL of an application in the recruiters' inbox (SITE_URL and the base path). */
  inboxUrl: (reference: string) => string;
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
type Channel = { name: 'email'; config: Channels['email'] } | { name: 'webhook'; config: Channels['webhook'] };

/** What one look at an outbox reads at most once: the application, its CV, posting titles. */
interface LookState {
  application?: StoredApplication | 'unreadable' | 'missing';
  cv?: Uint8Array;
  titles: Map<string, string | undefined>;
}

/** An event's data, or why it cannot be sent (never personal data). */
type EventData =
  | { ok: true; event: WebhookEvent; jobSlug: string; application?: StoredApplication; deletion?: DeletedPayload }
  | { ok: false; error: string };

/** The frozen data of an event, parsed by its schema; undefined when it does not parse. */
function frozen<T extends z.ZodType>(schema: T, payload: string | null): z.output<T> | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(payload ?? 'null'));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Reads what the event is about: the stored application (created), or the frozen data. */
async function eventData(delivery: PendingDelivery, reference: string, deps: DeliveryDeps, state: LookState): Promise<EventData> {
  const base = { id: delivery.event_id, type: delivery.event_type };
  switch (delivery.event_type) {
    case 'application.created': {
      if (state.application === undefined) {
        try {
          state.application = (await loadApplication(deps.db, reference)) ?? 'missing';
        } catch (error) {
          // A row that does not parse will not parse on a retry either; D1 failures are retried.
          if (!(error instanceof z.ZodError)) throw error;
          state.application = 'unreadable';
        }
      }
      if (state.application === 'missing') return { ok: false, error: 'application missing' };
      if (state.application === 'unreadable') return { ok: false, error: 'stored application unreadable' };
      const application = state.application;
      const title = await titleOf(application.jobSlug, deps, state);
      return { ok: true, event: { ...base, data: createdEventData(application, title) }, jobSlug: application.jobSlug, application };
    }
    case 'application.status_changed': {
      const data = frozen(statusChangedPayloadSchema, delivery.payload);
      return data ? { ok: true, event: { ...base, data }, jobSlug: data.job.slug } : { ok: false, error: 'event data unreadable' };
    }
    case 'application.deleted': {
      const data = frozen(deletedPayloadSchema, delivery.payload);
      return data ? { ok: true, event: { ...base, data }, jobSlug: data.job.slug, deletion: data } : { ok: false, error: 'event data unreadable' };
    }
  }
}

async function titleOf(slug: string, deps: DeliveryDeps, state: LookState): Promise<string | undefined> {
  if (!state.titles.has(slug)) state.titles.set(slug, (await deps.jobTitle?.(slug)) ?? undefined);
  return state.titles.get(slug);
}

/** Attempts one delivery on one configured channel once; never throws. */
async function attemptChannel(channel: Channel, delivery: PendingDelivery, data: Extract<EventData, { ok: true }>, deps: DeliveryDeps, state: LookState, now: Date): Promise<Attempt> {
  try {
    if (channel.name === 'webhook') return await sendWebhook({ target: channel.config, event: data.event, now, fetch: channel.config.fetch });

    const mail = {
      jobTitle: await titleOf(data.jobSlug, deps, state),
      addresses: channel.config,
      inboxUrl: deps.inboxUrl(data.event.data.reference),
      eventId: delivery.event_id,
      now,
    };
    let raw: string;
    if (data.application) {
      if (deps.attachApplication && !state.cv) {
        const object = await deps.bucket.get(data.application.cv.key);
        if (!object) return { delivered: false, error: 'CV object missing in R2' };
        state.cv = new Uint8Array(await object.arrayBuffer());
      }
      raw = buildRecruiterEmail({ ...mail, application: data.application, cv: deps.attachApplication ? state.cv : undefined });
    } else if (data.deletion) {
      raw = buildWithdrawalEmail({ ...mail, deletion: data.deletion });
    } else {
      return { delivered: false, error: `no e-mail for ${delivery.event_type}` };
    }
    await channel.config.send(channel.config.from, channel.config.to, raw);
    return { delivered: true };
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
  const pending = await pendingDeliveries(deps.db, reference);
  const state: LookState = { titles: new Map() };

  let sent = 0;
  let earliest: number | undefined;
  const stillPending = (at: Date): void => {
    earliest = earliest === undefined ? at.getTime() : Math.min(earliest, at.getTime());
  };

  for (const delivery of pending) {
    const now = deps.now();
    const channel: Channel | undefined =
      delivery.channel === 'email' ? deps.email && { name: 'email', config: deps.email } : deps.webhook && { name: 'webhook', config: deps.webhook };
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

    const data = await eventData(delivery, reference, deps, state);
    const outcome = data.ok ? await attemptChannel(channel, delivery, data, deps, state, now) : { delivered: false as const, error: data.error };
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
