/**
 * The delivery outbox (`deliveries`, migrations 0003, 0014 and 0016): one row per event and channel
 * that must reach the recruiters' systems. Events are `application.created` (written in the
 * same D1 batch as the application, see ./applications.ts), `application.status_changed`
 * (with the recruiter's change) and `application.deleted` (with the deletion, see
 * ./deletion.ts, which also removes every other row of the application). Rows are not bound to
 * their application by a foreign key, so a deletion's own event outlives it. Times are ISO
 * 8601 UTC text, so text order is time order.
 */
import { z } from 'zod';
import { conditionClause, placeholders, type RowCondition, type StatementDatabase, type StorageDatabase } from '#functions/storage/database.ts';
import { APPLICATION_STATUSES } from '#functions/storage/status.ts';

/** The ways an event reaches the recruiters; the table's CHECK lists the same. */
export const DELIVERY_CHANNELS = ['email', 'webhook'] as const;
/** A way an event reaches the recruiters. */
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

/** The events the outbox carries (Standard Webhooks `type`); the table's CHECK lists the same. */
export const DELIVERY_EVENTS = ['application.created', 'application.status_changed', 'application.deleted'] as const;
/** One kind of event. */
export type DeliveryEvent = (typeof DELIVERY_EVENTS)[number];

/** Why an application was deleted: the applicant withdrew, a recruiter deleted it, or its period ended. */
export const DELETION_REASONS = ['withdrawn', 'recruiter', 'retention'] as const;
/** Why an application was deleted. */
export type DeletionReason = (typeof DELETION_REASONS)[number];

/**
 * The channels an event goes out on, of the configured ones: the webhook carries every event,
 * so a company system can follow (and delete in step); the e-mail tells people what they must
 * act on: a new application, and an applicant's withdrawal (their copies must go too). The
 * recruiters' own changes and retention's deletions are not mailed back to them.
 */
export function eventChannels(event: DeliveryEvent, configured: readonly DeliveryChannel[], reason?: DeletionReason): DeliveryChannel[] {
  const mailed = event === 'application.created' || (event === 'application.deleted' && reason === 'withdrawn');
  return configured.filter((channel) => channel === 'webhook' || mailed);
}

/** A new event id (Standard Webhooks `webhook-id`): `msg_` and 128 random bits in hex. */
export function newEventId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `msg_${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

/** The data of an `application.status_changed` event, frozen when the status changed. */
export const statusChangedPayloadSchema = z.object({
  reference: z.string(),
  job: z.object({ slug: z.string() }),
  status: z.enum(APPLICATION_STATUSES),
  previousStatus: z.enum(APPLICATION_STATUSES),
  changedAt: z.string(),
  /** When the process ended; null while it runs. */
  processEndedAt: z.string().nullable(),
});
/** The data of an `application.status_changed` event. */
export type StatusChangedPayload = z.infer<typeof statusChangedPayloadSchema>;

/** The data of an `application.deleted` event: what was deleted, when and why; nothing personal. */
export const deletedPayloadSchema = z.object({
  reference: z.string(),
  job: z.object({ slug: z.string() }),
  deletedAt: z.string(),
  reason: z.enum(DELETION_REASONS),
});
/** The data of an `application.deleted` event. */
export type DeletedPayload = z.infer<typeof deletedPayloadSchema>;

/** One pending outbox row, as the consumer works on it. */
export const pendingDeliverySchema = z.object({
  /** The row's id. */
  id: z.number().int(),
  /** The event's id, the same on every attempt and channel. */
  event_id: z.string(),
  /** What happened. */
  event_type: z.enum(DELIVERY_EVENTS),
  /** Which channel it is for. */
  channel: z.enum(DELIVERY_CHANNELS),
  /** The frozen event data (JSON); null for application.created. */
  payload: z.string().nullable(),
  /** Attempts made so far. */
  attempts: z.number().int().nonnegative(),
  /** When the next attempt is due (or until when the current one holds its lease). */
  next_attempt_at: z.string(),
});
/** One pending outbox row. */
export type PendingDelivery = z.infer<typeof pendingDeliverySchema>;

/** One event to queue on some channels. */
export interface OutboxEvent {
  /** From `newEventId`; shared by the event's rows on every channel. */
  eventId: string;
  event: DeliveryEvent;
  reference: string;
  channels: readonly DeliveryChannel[];
  /** The frozen data; none for application.created. */
  payload?: StatusChangedPayload | DeletedPayload | undefined;
  createdAt: Date;
}

/** The statements that queue an event, one per channel, for a caller's batch; only when `onlyIf` holds, if given. */
export function outboxStatements(db: StatementDatabase, event: OutboxEvent, onlyIf?: RowCondition): D1PreparedStatement[] {
  const condition = conditionClause(onlyIf, 6);
  return event.channels.map((channel) =>
    db
      .prepare(
        `INSERT INTO deliveries (event_id, event_type, application_reference, channel, payload, status, attempts, next_attempt_at, created_at)
         SELECT ?1, ?2, ?3, ?4, ?5, 'pending', 0, ?6, ?6${condition.sql}`,
      )
      .bind(
        event.eventId,
        event.event,
        event.reference,
        channel,
        event.payload === undefined ? null : JSON.stringify(event.payload),
        event.createdAt.toISOString(),
        ...condition.params,
      ),
  );
}

/** The application's pending deliveries, oldest first. */
export async function pendingDeliveries(db: StatementDatabase, reference: string): Promise<PendingDelivery[]> {
  const { results } = await db
    .prepare(
      `SELECT id, event_id, event_type, channel, payload, attempts, next_attempt_at FROM deliveries
       WHERE application_reference = ?1 AND status = 'pending' ORDER BY id`,
    )
    .bind(reference)
    .all();
  return z.array(pendingDeliverySchema).parse(results);
}

/**
 * Claims a due pending delivery for one attempt by moving its next attempt to `leaseUntil`,
 * so a second consumer of the same message sends nothing meanwhile. True when claimed.
 */
export async function claimDelivery(db: StatementDatabase, id: number, now: Date, leaseUntil: Date): Promise<boolean> {
  const result = await db
    .prepare(`UPDATE deliveries SET next_attempt_at = ?3 WHERE id = ?1 AND status = 'pending' AND next_attempt_at <= ?2`)
    .bind(id, now.toISOString(), leaseUntil.toISOString())
    .run();
  return result.meta.changes === 1;
}

/** Records a delivered attempt. */
export async function markDeliverySent(db: StatementDatabase, id: number, at: Date): Promise<void> {
  await db
    .prepare(`UPDATE deliveries SET status = 'sent', attempts = attempts + 1, delivered_at = ?2, last_error = NULL WHERE id = ?1 AND status = 'pending'`)
    .bind(id, at.toISOString())
    .run();
}

/**
 * Records a failed attempt: the row stays pending until `nextAttemptAt`, or is `failed` for
 * good. `error` says why, without personal data (a status code or an error class).
 */
export async function markDeliveryFailed(
  db: StatementDatabase,
  id: number,
  outcome: { status: 'pending' | 'failed'; attempts: number; nextAttemptAt: Date; error: string },
): Promise<void> {
  await db
    .prepare(`UPDATE deliveries SET status = ?2, attempts = ?3, next_attempt_at = ?4, last_error = ?5 WHERE id = ?1 AND status = 'pending'`)
    .bind(id, outcome.status, outcome.attempts, outcome.nextAttemptAt.toISOString(), outcome.error)
    .run();
}

/**
 * Gives a failed delivery a fresh round of attempts, due now (the inbox's "retry now"), and
 * records that it was retried. Returns the application's reference, or undefined when no
 * failed delivery has this id.
 */
export async function retryFailedDelivery(db: StatementDatabase, id: number, now: Date): Promise<string | undefined> {
  const row = await db
    .prepare(`UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?2, retried_at = ?2 WHERE id = ?1 AND status = 'failed' RETURNING application_reference`)
    .bind(id, now.toISOString())
    .first<{ application_reference: string }>();
  return row?.application_reference;
}

/** References of applications with a pending delivery due before `dueBefore`, most overdue first. */
export async function overdueDeliveryReferences(db: StatementDatabase, dueBefore: Date, limit: number): Promise<string[]> {
  const { results } = await db
    .prepare(
      `SELECT application_reference AS reference FROM deliveries
       WHERE status = 'pending' AND next_attempt_at <= ?1
       GROUP BY application_reference ORDER BY MIN(next_attempt_at) LIMIT ?2`,
    )
    .bind(dueBefore.toISOString(), limit)
    .all<{ reference: string }>();
  return results.map(({ reference }) => reference);
}

/** One outbox row as the inbox shows it. */
export const deliveryStateSchema = z
  .object({
    id: z.number().int(),
    event_type: z.enum(DELIVERY_EVENTS),
    application_reference: z.string(),
    channel: z.enum(DELIVERY_CHANNELS),
    status: z.enum(['pending', 'sent', 'failed']),
    attempts: z.number().int(),
    next_attempt_at: z.string(),
    last_error: z.string().nullable(),
    created_at: z.string(),
    delivered_at: z.string().nullable(),
    /** When a recruiter last asked to retry it; null if nobody did. */
    retried_at: z.string().nullable(),
  })
  .transform((row) => ({
    id: row.id,
    event: row.event_type,
    reference: row.application_reference,
    channel: row.channel,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    createdAt: row.created_at,
    deliveredAt: row.delivered_at,
    retriedAt: row.retried_at,
  }));
/** One outbox row as the inbox shows it. */
export type DeliveryState = z.output<typeof deliveryStateSchema>;

const DELIVERY_STATE_COLUMNS = Object.keys(deliveryStateSchema.in.shape).join(', ');

/** Every delivery of an application, oldest first. */
export async function deliveriesOf(db: StatementDatabase, reference: string): Promise<DeliveryState[]> {
  const { results } = await db.prepare(`SELECT ${DELIVERY_STATE_COLUMNS} FROM deliveries WHERE application_reference = ?1 ORDER BY id`).bind(reference).all();
  return z.array(deliveryStateSchema).parse(results);
}

/**
 * Deliveries that are in trouble, newest first, at most `limit` of each kind: those that gave up
 * (for the inbox's "retry now"), and those still pending that failed before — after a
 * recruiter's "retry now", or on their way through automatic retries.
 */
export async function troubledDeliveries(db: StorageDatabase, limit: number): Promise<{ failed: DeliveryState[]; retrying: DeliveryState[] }> {
  const [failed, retrying] = await db.batch([
    db.prepare(`SELECT ${DELIVERY_STATE_COLUMNS} FROM deliveries WHERE status = 'failed' ORDER BY id DESC LIMIT ?1`).bind(limit),
    db.prepare(`SELECT ${DELIVERY_STATE_COLUMNS} FROM deliveries WHERE status = 'pending' AND (attempts > 0 OR retried_at IS NOT NULL) ORDER BY id DESC LIMIT ?1`).bind(limit),
  ]);
  return { failed: z.array(deliveryStateSchema).parse(failed?.results ?? []), retrying: z.array(deliveryStateSchema).parse(retrying?.results ?? []) };
}

/** One delivery by its id, or undefined when there is none (any more). */
export async function deliveryById(db: StatementDatabase, id: number): Promise<DeliveryState | undefined> {
  const row = await db.prepare(`SELECT ${DELIVERY_STATE_COLUMNS} FROM deliveries WHERE id = ?1`).bind(id).first();
  return row === null ? undefined : deliveryStateSchema.parse(row);
}

/** Whether a delivery is being retried: pending after it failed (a recruiter's "retry now", or automatic retries); the rule of `troubledDeliveries`. */
export function isBeingRetried(delivery: Pick<DeliveryState, 'status' | 'attempts' | 'retriedAt'>): boolean {
  return delivery.status === 'pending' && (delivery.attempts > 0 || delivery.retriedAt !== null);
}

/**
 * Removes up to `limit` rows of `application.deleted` events that were delivered before
 * `deliveredBefore`: their application is gone, the receivers have them, and an outbox keeps
 * nothing for ever (they hold a reference, a posting, a date and a reason, nothing personal).
 * Pending and failed ones stay, to be sent or retried. Returns how many were removed.
 */
export async function purgeDeliveredDeletionEvents(db: StatementDatabase, deliveredBefore: Date, limit: number): Promise<number> {
  const result = await db
    .prepare(
      `DELETE FROM deliveries WHERE id IN (
         SELECT id FROM deliveries WHERE event_type = 'application.deleted' AND status = 'sent' AND delivered_at < ?1 ORDER BY id LIMIT ?2
       )`,
    )
    .bind(deliveredBefore.toISOString(), limit)
    .run();
  return result.meta.changes;
}

/** The statement that removes every outbox row of the applications with these ids (for a deletion's batch). */
export function deleteDeliveriesStatement(db: StatementDatabase, applicationIds: readonly number[]): D1PreparedStatement {
  return db
    .prepare(`DELETE FROM deliveries WHERE application_reference IN (SELECT reference FROM applications WHERE id IN (${placeholders(applicationIds.length)}))`)
    .bind(...applicationIds);
}
