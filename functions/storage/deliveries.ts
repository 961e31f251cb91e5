/**
 * The delivery outbox (`deliveries`, migration 0003): one row per stored application and
 * channel that must reach the recruiters. Rows are written in the same D1 batch as their
 * application (see ./applications.ts) and deleted with it (ON DELETE CASCADE). Times are
 * ISO 8601 UTC text, so text order is time order.
 */
import { z } from 'zod';
import type { StatementDatabase } from '#functions/storage/database.ts';

/** The ways an application reaches the recruiters; the table's CHECK lists the same. */
export const DELIVERY_CHANNELS = ['email', 'webhook'] as const;
/** A way an application reaches the recruiters. */
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

/** One pending outbox row, as the consumer works on it. */
export const pendingDeliverySchema = z.object({
  /** The row's id. */
  id: z.number().int(),
  /** Which channel it is for. */
  channel: z.enum(DELIVERY_CHANNELS),
  /** Attempts made so far. */
  attempts: z.number().int().nonnegative(),
  /** When the next attempt is due (or until when the current one holds its lease). */
  next_attempt_at: z.string(),
});
/** One pending outbox row. */
export type PendingDelivery = z.infer<typeof pendingDeliverySchema>;

/**
 * The statement that adds one channel's outbox row for an application, for the application's
 * insert batch. The row is added only when the application row under `reference` holds this
 * `cvKey`: an ignored (duplicate) insert leaves another application under the reference.
 */
export function insertDeliveryStatement(db: StatementDatabase, row: { reference: string; cvKey: string; channel: DeliveryChannel; createdAt: Date }): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO deliveries (application_reference, channel, status, attempts, next_attempt_at, created_at)
       SELECT ?1, ?3, 'pending', 0, ?4, ?4
       WHERE EXISTS (SELECT 1 FROM applications WHERE reference = ?1 AND cv_key = ?2)`,
    )
    .bind(row.reference, row.cvKey, row.channel, row.createdAt.toISOString());
}

/** The application's pending deliveries, oldest first. */
export async function pendingDeliveries(db: StatementDatabase, reference: string): Promise<PendingDelivery[]> {
  const { results } = await db
    .prepare(`SELECT id, channel, attempts, next_attempt_at FROM deliveries WHERE application_reference = ?1 AND status = 'pending' ORDER BY id`)
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
