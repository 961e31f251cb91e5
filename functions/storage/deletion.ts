/**
 * Deleting applications, the ONE way it is done: the applicant's withdrawal, the recruiters'
 * "delete now" and retention all call `deleteApplications`.
 *
 * For each chunk of applications:
 *   1. the CVs in R2 go first: if that fails, nothing else changed and the caller can retry;
 *   2. then ONE D1 batch (all or nothing): the audit log records each deletion (reference,
 *      date, who and why; for retention the reference and date only), the applicant links
 *      become tombstones ("already deleted"), every delivery row of the application goes, an
 *      `application.deleted` event is queued for the configured channels (./deliveries.ts
 *      decides which), and the row itself goes.
 * If the batch fails after the CVs are gone, the rows stay (pointing at a missing CV) and the
 * next attempt deletes them; deleting a missing R2 key is a no-op.
 */
import { auditStatement, RETENTION_ACTOR } from '#functions/storage/audit.ts';
import { tombstoneLinksStatement } from '#functions/storage/applicantLinks.ts';
import { MAX_PARAMETERS_PER_STATEMENT, placeholders, type StorageDatabase } from '#functions/storage/database.ts';
import { deleteDeliveriesStatement, eventChannels, type DeletionReason, type DeliveryChannel } from '#functions/storage/deliveries.ts';

/** The R2 operation a deletion uses. */
export type DeletionBucket = Pick<R2Bucket, 'delete'>;

/** What to delete, by whom and why. */
export interface DeletionRequest {
  /** References of the applications to delete; unknown ones are skipped. */
  references: readonly string[];
  /** The recruiter's Access identity, APPLICANT_ACTOR or RETENTION_ACTOR. */
  actor: string;
  reason: DeletionReason;
  now: Date;
  /** The configured delivery channels; the `application.deleted` event goes out on those it belongs to. */
  deliveryChannels: readonly DeliveryChannel[];
}

/** A step of a deletion failed; the applications of that chunk are still stored (their CVs may be gone). */
export class ApplicationDeletionError extends Error {
  override readonly name = 'ApplicationDeletionError';
  constructor(
    /** Which step failed: finding the rows, deleting the CVs, or the D1 batch. */
    readonly stage: 'lookup' | 'cv' | 'row',
    /** Applications deleted completely before the failure. */
    readonly deleted: readonly DeletedApplication[],
    options: { cause: unknown },
  ) {
    super(`deleting applications failed at the ${stage} step`, options);
  }
}

/** Parameters a chunk's statements bind besides the ids (the tombstone's time and reason, the event's values). */
const OTHER_PARAMETERS = 4;
/** Applications deleted per R2 call and D1 batch. */
const CHUNK_SIZE = MAX_PARAMETERS_PER_STATEMENT - OTHER_PARAMETERS;

/** An application that was deleted. */
export interface DeletedApplication {
  reference: string;
  jobSlug: string;
}

/**
 * Deletes applications completely (CV, row, delivery rows), keeping the audit entries and link
 * tombstones and queueing `application.deleted`. Returns what was deleted; throws
 * ApplicationDeletionError when a step fails.
 */
export async function deleteApplications(db: StorageDatabase, bucket: DeletionBucket, request: DeletionRequest): Promise<DeletedApplication[]> {
  const deleted: DeletedApplication[] = [];
  for (let start = 0; start < request.references.length; start += CHUNK_SIZE) {
    const chunk = request.references.slice(start, start + CHUNK_SIZE);
    let rows: Array<{ id: number; reference: string; cv_key: string; job_slug: string }>;
    try {
      ({ results: rows } = await db
        .prepare(`SELECT id, reference, cv_key, job_slug FROM applications WHERE reference IN (${placeholders(chunk.length)})`)
        .bind(...chunk)
        .all());
    } catch (cause) {
      throw new ApplicationDeletionError('lookup', deleted, { cause });
    }
    if (rows.length === 0) continue;

    try {
      await bucket.delete(rows.map((row) => row.cv_key));
    } catch (cause) {
      throw new ApplicationDeletionError('cv', deleted, { cause });
    }

    const ids = rows.map((row) => row.id);
    try {
      const results = await db.batch([
        ...rows.map((row) => auditStatement(db, auditEntry(request, row))),
        tombstoneLinksStatement(db, ids, request.now, request.reason),
        deleteDeliveriesStatement(db, ids),
        ...deletedEventStatements(db, ids, request),
        db.prepare(`DELETE FROM applications WHERE id IN (${placeholders(ids.length)}) RETURNING reference, job_slug`).bind(...ids),
      ]);
      const removed = (results.at(-1)?.results ?? []) as Array<{ reference: string; job_slug: string }>;
      deleted.push(...removed.map((row) => ({ reference: row.reference, jobSlug: row.job_slug })));
    } catch (cause) {
      throw new ApplicationDeletionError('row', deleted, { cause });
    }
  }
  return deleted;
}

/** The audit entry of one deletion: for retention the reference and date only. */
function auditEntry(request: DeletionRequest, row: { reference: string; job_slug: string }) {
  const byRetention = request.actor === RETENTION_ACTOR;
  return {
    actor: request.actor,
    action: 'deleted' as const,
    reference: row.reference,
    jobSlug: byRetention ? undefined : row.job_slug,
    detail: byRetention ? undefined : request.reason,
    at: request.now,
  };
}

/**
 * The statements that queue `application.deleted` for each application (one per channel), with
 * the data of ./deliveries.ts's `deletedPayloadSchema`. One event id per application, shared by
 * its channels: a random part for this deletion and the reference.
 */
function deletedEventStatements(db: StorageDatabase, ids: readonly number[], request: DeletionRequest): D1PreparedStatement[] {
  const nonce = crypto.randomUUID().replaceAll('-', '');
  const at = request.now.toISOString();
  return eventChannels('application.deleted', request.deliveryChannels, request.reason).map((channel) =>
    db
      .prepare(
        `INSERT INTO deliveries (event_id, event_type, application_reference, channel, payload, status, attempts, next_attempt_at, created_at)
         SELECT 'msg_' || ?1 || lower(hex(reference)), 'application.deleted', reference, ?2,
           json_object('reference', reference, 'job', json_object('slug', job_slug), 'deletedAt', ?3, 'reason', ?4),
           'pending', 0, ?3, ?3
         FROM applications WHERE id IN (${placeholders(ids.length, OTHER_PARAMETERS + 1)})`,
      )
      .bind(nonce, channel, at, request.reason, ...ids),
  );
}
