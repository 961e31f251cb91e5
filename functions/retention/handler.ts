/**
 * The cron's entry into retention: one run with the production limits. A run in which a step
 * failed throws after logging, so the invocation shows as failed in Cloudflare's cron events
 * instead of passing silently; the next run retries what was left. A run that only ran out of
 * its budget (a full batch, a sweep not at the end of the bucket) is logged as a warning,
 * `retention.incomplete`, and the next run goes on from there.
 */
import {
  ORPHAN_MAX_LIST_PAGES,
  purgeExpiredApplications,
  RETENTION_BATCH_SIZE,
  type RetentionBucket,
  type RetentionDatabase,
  type RetentionOptions,
  type RetentionResult,
} from './purge.ts';

/** What the scheduled run needs from the composition root. */
export interface RetentionDeps {
  db: RetentionDatabase;
  bucket: RetentionBucket;
  /** The cron's scheduled time. */
  now: Date;
  /** The configured delivery channels: each deletion queues `application.deleted` on them. */
  deliveryChannels?: RetentionOptions['deliveryChannels'];
  /** Where log lines go; by default the console (functions/log.ts). */
  log?: RetentionOptions['log'];
}

/** A run finished with failed steps; they were logged and are retried by the next run. */
export class RetentionIncompleteError extends Error {
  override readonly name = 'RetentionIncompleteError';
  constructor(readonly result: RetentionResult) {
    super(`retention left work for the next run: ${result.failedSteps} step(s) failed, see the retention.failed log lines`);
  }
}

/** Runs retention for the daily cron; throws RetentionIncompleteError when a step failed. */
export async function handleScheduledRetention(deps: RetentionDeps): Promise<RetentionResult> {
  const result = await purgeExpiredApplications({
    ...deps,
    batchSize: RETENTION_BATCH_SIZE,
    maxListPages: ORPHAN_MAX_LIST_PAGES,
  });
  if (result.failedSteps > 0) throw new RetentionIncompleteError(result);
  return result;
}
