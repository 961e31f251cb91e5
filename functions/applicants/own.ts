/**
 * The applicant's own data, reached through the private link (GDPR Art. 15 and 17): what is
 * stored (read through functions/storage), the CV as a download, and "withdraw and delete
 * now", which is storage's one deletion: the CV, the row and the delivery rows go at once, the
 * audit log keeps the reference and the date, the link becomes a tombstone that says "already
 * deleted", and the hiring team is told (`application.deleted`, and an e-mail when configured).
 * A link that is malformed or unknown is indistinguishable from one that never existed.
 */
import { errorSummary, writeLog, type Logger } from '#functions/log.ts';
import { attachment } from '#functions/http.ts';
import { retentionEndsAt, retentionFactsOf } from '#functions/retention/period.ts';
import { applicantTokenSha256, isApplicantToken } from '#functions/applicants/link.ts';
import { findApplicantLink, type ApplicantLinkState } from '#functions/storage/applicantLinks.ts';
import { loadApplication, type StoredApplication } from '#functions/storage/applications.ts';
import { APPLICANT_ACTOR } from '#functions/storage/audit.ts';
import { CV_CONTENT_TYPE } from '#functions/storage/cvs.ts';
import type { StorageDatabase } from '#functions/storage/database.ts';
import { deleteApplications } from '#functions/storage/deletion.ts';
import type { DeliveryChannel } from '#functions/storage/deliveries.ts';

/** One line for the logs: stages only, never the token. */
export type ApplicantLogEntry =
  | { level: 'error'; event: 'applicants.withdrawal-failed'; error: string }
  | { level: 'error'; event: 'applicants.delivery-enqueue-failed'; error: string };

/** What the applicant's pages need, given by the composition root (or a test). */
export interface ApplicantDeps {
  db: StorageDatabase;
  bucket: Pick<R2Bucket, 'get' | 'delete'>;
  now: () => Date;
  /** The configured delivery channels: a withdrawal queues `application.deleted` on them. */
  deliveryChannels: readonly DeliveryChannel[];
  /** Asks for the application's pending deliveries (its deletion event) to be sent now. */
  notifyDelivery?: ((reference: string) => Promise<void> | void) | undefined;
  log?: Logger<ApplicantLogEntry> | undefined;
}

/** What a link shows: the application, that it was deleted (when, and why where known), or nothing (404). */
export type ApplicantView =
  | {
      state: 'active';
      /**
       * The application behind the link, and nothing about any other: not even one with the
       * same e-mail address, which anybody could have typed.
       */
      application: StoredApplication;
      /** When retention deletes it, as things stand. */
      deletedAfter: Date;
    }
  | Extract<ApplicantLinkState, { state: 'deleted' }>
  | { state: 'unknown' };

/** What the link with this token opens; a malformed token is `unknown` without asking the database. */
async function linkState(deps: ApplicantDeps, token: string | undefined) {
  if (!isApplicantToken(token)) return { state: 'unknown' } as const;
  return findApplicantLink(deps.db, await applicantTokenSha256(token));
}

/** Everything the applicant's page shows for a token. */
export async function applicantView(deps: ApplicantDeps, token: string | undefined): Promise<ApplicantView> {
  const link = await linkState(deps, token);
  if (link.state !== 'active') return link;
  const application = await loadApplication(deps.db, link.reference);
  // The link and its application are deleted in one batch; a row without a link cannot be.
  if (!application) return { state: 'unknown' };
  const deletedAfter = retentionEndsAt(retentionFactsOf(application));
  return { state: 'active', application, deletedAfter };
}

/** The applicant's CV as a download, or undefined when the link opens none. */
export async function applicantCv(deps: ApplicantDeps, token: string | undefined): Promise<Response | undefined> {
  const view = await applicantView(deps, token);
  if (view.state !== 'active') return undefined;
  const object = await deps.bucket.get(view.application.cv.key);
  if (!object) return undefined;
  return attachment(object.body, { filename: `${view.application.reference}.pdf`, contentType: CV_CONTENT_TYPE, size: object.size });
}

/** How a withdrawal ended. */
export type WithdrawalOutcome = 'deleted' | 'already-deleted' | 'unknown' | 'unavailable';

/** Withdraws and deletes the application behind a link, now; never throws. */
export async function withdrawApplication(deps: ApplicantDeps, token: string | undefined): Promise<WithdrawalOutcome> {
  const log = deps.log ?? writeLog;
  try {
    const link = await linkState(deps, token);
    if (link.state === 'deleted') return 'already-deleted';
    if (link.state === 'unknown') return 'unknown';
    const deleted = await deleteApplications(deps.db, deps.bucket, {
      references: [link.reference],
      actor: APPLICANT_ACTOR,
      reason: 'withdrawn',
      now: deps.now(),
      deliveryChannels: deps.deliveryChannels,
    });
    // Deleted meanwhile by someone else: the link is a tombstone now.
    if (deleted.length === 0) return 'already-deleted';
    if (deps.notifyDelivery && deps.deliveryChannels.length > 0) {
      try {
        await deps.notifyDelivery(link.reference);
      } catch (error) {
        log({ level: 'error', event: 'applicants.delivery-enqueue-failed', error: errorSummary(error) });
      }
    }
    return 'deleted';
  } catch (error) {
    log({ level: 'error', event: 'applicants.withdrawal-failed', error: errorSummary(error) });
    return 'unavailable';
  }
}
