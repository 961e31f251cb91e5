/**
 * GDPR deletion, run by the daily cron: deletes applications whose retention has ended (as
 * ./period.ts decides), CV objects that no application points at, and the outbox rows of
 * `application.deleted` events delivered more than DELIVERED_DELETION_EVENT_DAYS ago.
 *
 * Deletion is storage's one deletion (functions/storage/deletion.ts), as for a withdrawal or
 * the recruiters' "delete now": first the CV in R2, then the row, its deliveries and links in
 * one D1 batch that records the reference and the date in the audit log and queues an
 * `application.deleted` event. If the R2 delete fails, the row stays and still points at its
 * CV, and the next run tries again. If the D1 batch fails, the row points at a deleted CV for
 * one day, and the next run (deleting a missing R2 key is a no-op) removes it. Either way
 * nothing expired survives a run that succeeds.
 *
 * Orphans: the store puts the CV before it inserts the row, so a crash in between leaves an
 * object nobody references. Objects under the CV prefix that are older than a day (by their
 * upload time, functions/storage/cvs.ts) and that no row names are deleted. The day of grace
 * keeps uploads whose row is still being written.
 *
 * Work per run is bounded (a batch of applications, a number of R2 list pages); what is left
 * waits for the next run. The batch is shared fairly between the two retention groups (with
 * and without talent-pool consent), so a backlog in one never keeps the other's expired
 * applications. The orphan sweep saves where it stopped (functions/storage/scanCursors.ts) and
 * the next run goes on from there, so it reaches every object however large the bucket grows.
 * A run that leaves work behind says so as a warning (`retention.incomplete`), not as success.
 * Only counts are logged, never keys, references or answers.
 */
import { errorSummary, writeLog, type Logger } from '#functions/log.ts';
import { referencedCvKeys, retentionCandidates, type RetentionCandidate } from '#functions/storage/applications.ts';
import { RETENTION_ACTOR } from '#functions/storage/audit.ts';
import { CV_KEY_PREFIX, cvUploadTime } from '#functions/storage/cvs.ts';
import { MAX_PARAMETERS_PER_STATEMENT, type StorageDatabase } from '#functions/storage/database.ts';
import { ApplicationDeletionError, deleteApplications } from '#functions/storage/deletion.ts';
import { purgeDeliveredDeletionEvents, type DeliveryChannel } from '#functions/storage/deliveries.ts';
import { readScanCursor, saveScanCursor } from '#functions/storage/scanCursors.ts';
import { DELIVERED_DELETION_EVENT_DAYS, dueRetentionStartBound, isRetentionDue } from '#functions/retention/period.ts';
import { addSeconds } from '#functions/time.ts';

/** The D1 operations retention uses (a real `D1Database` fits). */
export type RetentionDatabase = StorageDatabase;
/** The R2 operations retention uses (a real `R2Bucket` fits; tests may pass failing fakes). */
export type RetentionBucket = Pick<R2Bucket, 'list' | 'delete'>;

/** An object younger than this may be an upload whose row is still being written: kept. */
export const ORPHAN_MIN_AGE_MS = 24 * 60 * 60 * 1000;
/** Applications deleted per run by default; more wait for the next run. */
export const RETENTION_BATCH_SIZE = 500;
/** R2 list pages examined for orphans per run by default. */
export const ORPHAN_MAX_LIST_PAGES = 50;
/** Delivered deletion events removed from the outbox per run; more wait for the next run. */
export const DELIVERED_EVENTS_PER_RUN = 1000;
/** The name under which the orphan sweep saves where it stopped. */
export const ORPHAN_SWEEP_CURSOR = 'orphaned-cvs';

/** One line for the logs: counts and stages only, no personal data. */
export type RetentionLogEntry =
  | ({ level: 'info'; event: 'retention.completed' } & RetentionResult)
  /** Work was left for the next run: a full batch, a sweep not at the end yet, or a failed step. */
  | ({ level: 'warn'; event: 'retention.incomplete' } & RetentionResult)
  | { level: 'error'; event: 'retention.failed'; stage: RetentionStage; count: number; error: string };

/** Which step of a run failed. */
export type RetentionStage = 'expired.lookup' | 'expired.cv' | 'expired.row' | 'orphans.cursor' | 'orphans.list' | 'orphans.lookup' | 'orphans.delete' | 'events.purge';

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
  /**
   * True when the sweep reached the end of the prefix in this run (it then starts over next
   * time); false when the page budget or an error stopped it, and the next run goes on from there.
   */
  orphanSweepComplete: boolean;
  /** Rows of delivered `application.deleted` events removed from the outbox. */
  purgedDeliveryEvents: number;
  /** True when the removal of delivered events filled its share, so more may be waiting. */
  deliveryEventsExhausted: boolean;
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
  /** Keys per R2 list page, at most MAX_PARAMETERS_PER_STATEMENT (they are looked up in D1 at once). */
  listPageSize?: number | undefined;
  /** Most delivered deletion events removed from the outbox in this run. */
  deliveredEventsPerRun?: number | undefined;
  /** The configured delivery channels: each deletion queues `application.deleted` on them. */
  deliveryChannels?: readonly DeliveryChannel[] | undefined;
  /** Where log lines go; by default the console (functions/log.ts). */
  log?: Logger<RetentionLogEntry> | undefined;
}

/** Deletes expired applications (CV, then row) and orphaned CV objects; returns the counts. */
export async function purgeExpiredApplications(options: RetentionOptions): Promise<RetentionResult> {
  const { db, bucket, now } = options;
  const batchSize = options.batchSize ?? RETENTION_BATCH_SIZE;
  const maxListPages = options.maxListPages ?? ORPHAN_MAX_LIST_PAGES;
  const listPageSize = Math.min(options.listPageSize ?? MAX_PARAMETERS_PER_STATEMENT, MAX_PARAMETERS_PER_STATEMENT);
  const log = options.log ?? writeLog;
  const result: RetentionResult = {
    deletedApplications: 0,
    failedApplications: 0,
    batchExhausted: false,
    scannedObjects: 0,
    deletedOrphans: 0,
    failedOrphans: 0,
    orphanSweepComplete: false,
    purgedDeliveryEvents: 0,
    deliveryEventsExhausted: false,
    failedSteps: 0,
  };
  const fail = (stage: RetentionStage, count: number, error: unknown): void => {
    log({ level: 'error', event: 'retention.failed', stage, count, error: errorSummary(error) });
    result.failedSteps += 1;
  };

  /**
   * Deletes up to `limit` of one group's expired applications, earliest retention start first;
   * says whether the group has none left that are due (or failed, and must wait for the next run).
   */
  async function purgeChunk(talentPool: boolean, limit: number): Promise<{ done: boolean }> {
    let candidates: RetentionCandidate[];
    try {
      candidates = await retentionCandidates(db, { talentPool, startedBefore: dueRetentionStartBound(now, talentPool), limit });
    } catch (error) {
      fail('expired.lookup', 0, error);
      return { done: true };
    }
    const expired = candidates.filter((candidate) => isRetentionDue(candidate, now));
    if (expired.length === 0) return { done: true };

    try {
      const deleted = await deleteApplications(db, bucket, {
        references: expired.map((candidate) => candidate.reference),
        actor: RETENTION_ACTOR,
        reason: 'retention',
        now,
        deliveryChannels: options.deliveryChannels ?? [],
      });
      result.deletedApplications += deleted.length;
    } catch (error) {
      const partial = error instanceof ApplicationDeletionError ? error.deleted.length : 0;
      result.deletedApplications += partial;
      result.failedApplications += expired.length - partial;
      const stage = error instanceof ApplicationDeletionError && error.stage === 'cv' ? 'expired.cv' : 'expired.row';
      fail(stage, expired.length - partial, error instanceof ApplicationDeletionError ? error.cause : error);
      return { done: true };
    }
    // A short page was the last one; a page with rows not yet due has reached the present.
    return { done: candidates.length < limit || expired.length < candidates.length };
  }

  /**
   * Deletes expired applications of both groups, the batch shared in rounds: each round gives
   * every group with work left an equal share of what remains, and a group that needs less
   * leaves the rest to the other.
   */
  async function purgeGroups(): Promise<void> {
    const groups = [{ talentPool: false, done: false }, { talentPool: true, done: false }];
    for (let active = groups; active.length > 0 && result.deletedApplications < batchSize; active = groups.filter((group) => !group.done)) {
      const share = Math.ceil((batchSize - result.deletedApplications) / active.length);
      for (const group of active) {
        const limit = Math.min(share, batchSize - result.deletedApplications, MAX_PARAMETERS_PER_STATEMENT);
        if (limit <= 0) break;
        group.done = (await purgeChunk(group.talentPool, limit)).done;
      }
    }
    result.batchExhausted = groups.some((group) => !group.done);
  }

  /**
   * Deletes CV objects older than a day that no row names, page by page, from where the last
   * run stopped; saves where this one stops.
   */
  async function sweepOrphans(): Promise<void> {
    const cutoff = now.getTime() - ORPHAN_MIN_AGE_MS;
    let resumeAfter: string | undefined;
    try {
      resumeAfter = await readScanCursor(db, ORPHAN_SWEEP_CURSOR);
    } catch (error) {
      // Without the saved place, start at the beginning: slower, never wrong.
      fail('orphans.cursor', 0, error);
    }
    let lastKey = resumeAfter;
    let cursor: string | undefined;
    for (let page = 0; page < maxListPages; page += 1) {
      let listed: R2Objects;
      try {
        const position = cursor !== undefined ? { cursor } : resumeAfter !== undefined ? { startAfter: resumeAfter } : {};
        listed = await bucket.list({ prefix: CV_KEY_PREFIX, limit: listPageSize, include: ['customMetadata'], ...position });
      } catch (error) {
        fail('orphans.list', 0, error);
        break;
      }
      result.scannedObjects += listed.objects.length;

      const old = listed.objects.filter((object) => cvUploadTime(object) < cutoff).map((object) => object.key);
      // A page whose orphans could not be looked up or deleted is listed again next run.
      if (old.length > 0 && !(await deleteOrphans(old))) break;
      lastKey = listed.objects.at(-1)?.key ?? lastKey;

      if (!listed.truncated) {
        result.orphanSweepComplete = true;
        break;
      }
      cursor = listed.cursor;
    }
    try {
      await saveScanCursor(db, ORPHAN_SWEEP_CURSOR, result.orphanSweepComplete ? undefined : lastKey, now);
    } catch (error) {
      fail('orphans.cursor', 0, error);
    }
  }

  /** Deletes the unreferenced ones among old CV keys; false when that failed and the sweep must stop. */
  async function deleteOrphans(keys: string[]): Promise<boolean> {
    let referenced: Set<string>;
    try {
      referenced = await referencedCvKeys(db, keys);
    } catch (error) {
      fail('orphans.lookup', keys.length, error);
      return false;
    }
    const orphans = keys.filter((key) => !referenced.has(key));
    if (orphans.length === 0) return true;
    try {
      await bucket.delete(orphans);
      result.deletedOrphans += orphans.length;
    } catch (error) {
      result.failedOrphans += orphans.length;
      fail('orphans.delete', orphans.length, error);
      return false;
    }
    return true;
  }

  /** Removes the outbox rows of deletion events delivered long enough ago. */
  async function purgeDeliveredEvents(): Promise<void> {
    const limit = options.deliveredEventsPerRun ?? DELIVERED_EVENTS_PER_RUN;
    try {
      result.purgedDeliveryEvents = await purgeDeliveredDeletionEvents(db, addSeconds(now, -DELIVERED_DELETION_EVENT_DAYS * 24 * 60 * 60), limit);
      result.deliveryEventsExhausted = result.purgedDeliveryEvents >= limit;
    } catch (error) {
      fail('events.purge', 0, error);
    }
  }

  await purgeGroups();
  await sweepOrphans();
  await purgeDeliveredEvents();
  const complete = !result.batchExhausted && result.orphanSweepComplete && !result.deliveryEventsExhausted && result.failedSteps === 0;
  log(complete ? { level: 'info', event: 'retention.completed', ...result } : { level: 'warn', event: 'retention.incomplete', ...result });
  return result;
}
