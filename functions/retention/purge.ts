/**
 * GDPR deletion, run by the daily cron: deletes applications whose retention has ended (see
 * ./period.ts for when that is) and CV objects that no application points at.
 *
 * Order per application: first the CV in R2, then the row in D1. If the R2 delete fails, the
 * row stays and still points at its CV, and the next run tries again. If the row delete
 * fails, the row points at a deleted CV for one day, and the next run (deleting a missing R2
 * key is a no-op) removes it. Either way nothing expired survives a run that succeeds.
 *
 * Orphans: the store puts the CV before it inserts the row, so a crash in between leaves an
 * object nobody references. Objects under the CV prefix that are older than a day (by the
 * store's `uploadedAt` metadata, else R2's own upload time) and that no row names are deleted.
 * The day of grace keeps uploads whose row is still being written.
 *
 * Work per run is bounded (a batch of applications, a number of R2 list pages); what is left
 * waits for the next run. Only counts are logged, never keys, references or answers.
 */
import { CV_KEY_PREFIX } from '#functions/applications/store.ts';
import { addCalendarMonths, RETENTION_MONTHS, startOfUtcMonth } from './period.ts';

/** The D1 operations retention uses (a real `D1Database` fits). */
export type RetentionDatabase = Pick<D1Database, 'prepare'>;
/** The R2 operations retention uses (a real `R2Bucket` fits; tests may pass failing fakes). */
export type RetentionBucket = Pick<R2Bucket, 'list' | 'delete'>;

/** An object younger than this may be an upload whose row is still being written: kept. */
export const ORPHAN_MIN_AGE_MS = 24 * 60 * 60 * 1000;
/** D1 binds at most 100 parameters per statement: the largest chunk of ids or keys at once. */
export const MAX_KEYS_PER_STATEMENT = 100;
/** Applications deleted per run by default; more wait for the next run. */
export const RETENTION_BATCH_SIZE = 500;
/** R2 list pages examined for orphans per run by default. */
export const ORPHAN_MAX_LIST_PAGES = 50;

/** One line for the logs: counts and stages only, no personal data. */
export type RetentionLogEntry =
  | ({ level: 'info'; event: 'retention.completed' } & RetentionResult)
  | { level: 'error'; event: 'retention.failed'; stage: RetentionStage; count: number; error: string };

/** Which step of a run failed. */
export type RetentionStage = 'expired.lookup' | 'expired.cv' | 'expired.row' | 'orphans.list' | 'orphans.lookup' | 'orphans.delete';

/** What one run did. */
export interface RetentionResult {
  /** Applications deleted (CV and row). */
  deletedApplications: number;
  /** Expired applications left for the next run because a delete failed. */
  failedApplications: number;
  /** True when the batch was full, so more expired applications may be waiting. */
  batchExhausted: boolean;
  /** CV objects looked at for the orphan sweep. */
  scannedObjects: number;
  /** CV objects without a row, older than a day, deleted. */
  deletedOrphans: number;
  /** Orphans left for the next run because the delete failed. */
  failedOrphans: number;
  /** False when the page budget or an error stopped the sweep before the end of the prefix. */
  orphanSweepComplete: boolean;
  /** Steps that failed and were logged; their work is retried by the next run. */
  failedSteps: number;
}

/** What a run needs; limits default to the constants above. */
export interface RetentionOptions {
  /** The `DB` binding. */
  db: RetentionDatabase;
  /** The `CV_BUCKET` binding. */
  bucket: RetentionBucket;
  /** The moment the run counts from. */
  now: Date;
  /** Most applications deleted in this run. */
  batchSize?: number | undefined;
  /** Most R2 list pages examined for orphans in this run. */
  maxListPages?: number | undefined;
  /** Keys per R2 list page, at most MAX_KEYS_PER_STATEMENT (they are looked up in D1 at once). */
  listPageSize?: number | undefined;
  /** Where log lines go; by default JSON on the console. */
  log?: ((entry: RetentionLogEntry) => void) | undefined;
}

interface Candidate {
  id: number;
  cv_key: string;
  retention_start: string;
}

// The expression must stay the one indexed by migration 0002 (applications_by_retention_start).
const SELECT_CANDIDATES = `SELECT id, cv_key, COALESCE(process_ended_at, created_at) AS retention_start
  FROM applications
  WHERE talent_pool = ?1 AND COALESCE(process_ended_at, created_at) < ?2
  ORDER BY COALESCE(process_ended_at, created_at), id
  LIMIT ?3`;

function placeholders(count: number): string {
  return Array.from({ length: count }, (_, index) => `?${index + 1}`).join(', ');
}

function errorSummary(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : 'non-error thrown';
}

function defaultLog(entry: RetentionLogEntry): void {
  const { level, ...fields } = entry;
  (level === 'error' ? console.error : console.log)(JSON.stringify(fields));
}

/** Deletes expired applications (CV, then row) and orphaned CV objects; returns the counts. */
export async function purgeExpiredApplications(options: RetentionOptions): Promise<RetentionResult> {
  const { db, bucket, now } = options;
  const batchSize = options.batchSize ?? RETENTION_BATCH_SIZE;
  const maxListPages = options.maxListPages ?? ORPHAN_MAX_LIST_PAGES;
  const listPageSize = Math.min(options.listPageSize ?? MAX_KEYS_PER_STATEMENT, MAX_KEYS_PER_STATEMENT);
  const log = options.log ?? defaultLog;
  const result: RetentionResult = {
    deletedApplications: 0,
    failedApplications: 0,
    batchExhausted: false,
    scannedObjects: 0,
    deletedOrphans: 0,
    failedOrphans: 0,
    orphanSweepComplete: false,
    failedSteps: 0,
  };
  const fail = (stage: RetentionStage, count: number, error: unknown): void => {
    log({ level: 'error', event: 'retention.failed', stage, count, error: errorSummary(error) });
    result.failedSteps += 1;
  };

  /** Deletes one group's expired applications, oldest retention start first. */
  async function purgeGroup(talentPool: boolean, months: number): Promise<void> {
    // A start on or after this bound ends after the current month, so it cannot be due yet.
    // The exact check follows in code: SQLite's '+N months' overflows (31 Aug + 6 = 3 Mar)
    // instead of clamping to the month's last day.
    const upperBound = addCalendarMonths(startOfUtcMonth(now), 1 - months).toISOString();
    while (result.deletedApplications < batchSize) {
      const limit = Math.min(batchSize - result.deletedApplications, MAX_KEYS_PER_STATEMENT);
      let candidates: Candidate[];
      try {
        const { results } = await db.prepare(SELECT_CANDIDATES).bind(talentPool ? 1 : 0, upperBound, limit).all<Candidate>();
        candidates = results;
      } catch (error) {
        fail('expired.lookup', 0, error);
        return;
      }
      const expired = candidates.filter((row) => addCalendarMonths(new Date(row.retention_start), months) <= now);
      if (expired.length === 0) return;

      try {
        await bucket.delete(expired.map((row) => row.cv_key));
      } catch (error) {
        result.failedApplications += expired.length;
        fail('expired.cv', expired.length, error);
        return;
      }
      try {
        const ids = expired.map((row) => row.id);
        // Counted by RETURNING: D1's meta.changes also counts the deliveries the delete cascades to.
        const deleted = await db
          .prepare(`DELETE FROM applications WHERE id IN (${placeholders(ids.length)}) RETURNING id`)
          .bind(...ids)
          .all<{ id: number }>();
        result.deletedApplications += deleted.results.length;
      } catch (error) {
        result.failedApplications += expired.length;
        fail('expired.row', expired.length, error);
        return;
      }
      // A short page was the last one; a page with rows not yet due has reached the present.
      if (candidates.length < limit || expired.length < candidates.length) return;
    }
    result.batchExhausted = true;
  }

  /** Deletes CV objects older than a day that no row names, page by page. */
  async function sweepOrphans(): Promise<void> {
    const cutoff = now.getTime() - ORPHAN_MIN_AGE_MS;
    let cursor: string | undefined;
    for (let page = 0; page < maxListPages; page += 1) {
      let listed: R2Objects;
      try {
        listed = await bucket.list({
          prefix: CV_KEY_PREFIX,
          limit: listPageSize,
          include: ['customMetadata'],
          ...(cursor === undefined ? {} : { cursor }),
        });
      } catch (error) {
        fail('orphans.list', 0, error);
        return;
      }
      result.scannedObjects += listed.objects.length;

      const old = listed.objects.filter((object) => uploadTime(object) < cutoff).map((object) => object.key);
      if (old.length > 0) {
        let referenced: Set<string>;
        try {
          const { results } = await db
            .prepare(`SELECT cv_key FROM applications WHERE cv_key IN (${placeholders(old.length)})`)
            .bind(...old)
            .all<{ cv_key: string }>();
          referenced = new Set(results.map((row) => row.cv_key));
        } catch (error) {
          fail('orphans.lookup', old.length, error);
          return;
        }
        const orphans = old.filter((key) => !referenced.has(key));
        if (orphans.length > 0) {
          try {
            await bucket.delete(orphans);
            result.deletedOrphans += orphans.length;
          } catch (error) {
            result.failedOrphans += orphans.length;
            fail('orphans.delete', orphans.length, error);
          }
        }
      }

      if (!listed.truncated) {
        result.orphanSweepComplete = true;
        return;
      }
      cursor = listed.cursor;
    }
  }

  await purgeGroup(false, RETENTION_MONTHS.withoutTalentPool);
  await purgeGroup(true, RETENTION_MONTHS.talentPool);
  await sweepOrphans();
  log({ level: 'info', event: 'retention.completed', ...result });
  return result;
}

/** When the object was uploaded: the store's `uploadedAt` metadata, else R2's own time. */
function uploadTime(object: R2Object): number {
  const stamped = Date.parse(object.customMetadata?.uploadedAt ?? '');
  return Number.isNaN(stamped) ? object.uploaded.getTime() : stamped;
}
