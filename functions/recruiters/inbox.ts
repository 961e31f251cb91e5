/**
 * The recruiters' inbox, framework-free: what its pages read (through functions/storage, never
 * functions/applications) and what recruiters do there. Every action that changes or reveals
 * an application is recorded in the audit log with the recruiter's Access identity: status
 * changes (with the process end and an `application.status_changed` event, in one batch), CV
 * downloads, exports, deletions (storage's one deletion), delivery retries. Pages in
 * src/pages/[locale]/recruiters/ render the results; they escape everything applicants typed.
 */
import { z } from 'zod';
import { attachment } from '#functions/http.ts';
import { errorSummary, writeLog, type Logger } from '#functions/log.ts';
import { retentionEndsAt, retentionFactsOf } from '#functions/retention/period.ts';
import {
  changeStatus,
  countApplications,
  listApplications,
  loadApplication,
  sameAddressApplications,
  storedAnswersSchema,
  type ListedApplication,
  type SameAddressApplication,
  type StoredApplication,
} from '#functions/storage/applications.ts';
import { auditTrail, recordAudit, type AuditRecord } from '#functions/storage/audit.ts';
import { CV_CONTENT_TYPE } from '#functions/storage/cvs.ts';
import type { StorageDatabase } from '#functions/storage/database.ts';
import { deleteApplications } from '#functions/storage/deletion.ts';
import { deliveriesOf, deliveryById, retryFailedDelivery, troubledDeliveries, type DeliveryChannel, type DeliveryState } from '#functions/storage/deliveries.ts';
import { APPLICATION_STATUSES, type ApplicationStatus } from '#functions/storage/status.ts';
import type { RecruiterIdentity } from '#functions/recruiters/access.ts';
import { toCsv } from '#functions/recruiters/csv.ts';
import { munichDateTime, todayInMunich } from '#functions/time.ts';

/** Applications shown per page of a posting's list. */
export const PAGE_SIZE = 50;
/** Failed deliveries, and deliveries being retried, listed on the inbox's first page (each). */
export const TROUBLED_DELIVERIES_SHOWN = 50;
/** Rows read per query while exporting a posting. */
const EXPORT_CHUNK = 500;

/** One line for the logs: references and stages only. */
export type InboxLogEntry =
  | { level: 'error'; event: 'inbox.failed'; action: string; error: string }
  | { level: 'error'; event: 'inbox.cv-missing'; reference: string }
  | { level: 'error'; event: 'inbox.delivery-enqueue-failed'; reference: string; error: string };

/** What the inbox needs, given by the composition root (or a test). */
export interface InboxDeps {
  /** D1 binding `DB`. */
  db: StorageDatabase;
  /** R2 binding `CV_BUCKET`: CVs are read for downloads (and looked at for HEAD) and deleted with their application. */
  bucket: Pick<R2Bucket, 'get' | 'head' | 'delete'>;
  now: () => Date;
  /** The configured delivery channels: status changes and deletions queue their events on them. */
  deliveryChannels: readonly DeliveryChannel[];
  /** Asks for an application's pending deliveries to be sent now (a Queue message); the sweep is the safety net. */
  notifyDelivery?: ((reference: string) => Promise<void> | void) | undefined;
  /** Where failures are reported (default: the console). */
  log?: Logger<InboxLogEntry> | undefined;
}

// ─── Reading ──────────────────────────────────────────────────────────────────────────────────

/** A posting as the inbox lists it. */
export interface PostingSummary {
  slug: string;
  /** Its title, or undefined when the content no longer has it. */
  title: string | undefined;
  counts: Record<ApplicationStatus, number>;
  total: number;
}

/**
 * The inbox's first page: every posting with its applications counted per status, the
 * deliveries that failed, and those being retried (pending again after failing).
 */
export async function inboxOverview(
  deps: InboxDeps,
  postings: ReadonlyArray<{ slug: string; title: string }>,
): Promise<{ postings: PostingSummary[]; failed: DeliveryState[]; retrying: DeliveryState[] }> {
  const counts = await countApplications(deps.db);
  const summaries = new Map<string, PostingSummary>();
  const summary = (slug: string, title: string | undefined): PostingSummary => {
    const existing = summaries.get(slug);
    if (existing) return existing;
    const created: PostingSummary = { slug, title, counts: Object.fromEntries(APPLICATION_STATUSES.map((status) => [status, 0])) as Record<ApplicationStatus, number>, total: 0 };
    summaries.set(slug, created);
    return created;
  };
  for (const posting of postings) summary(posting.slug, posting.title);
  // Applications to postings the content no longer has stay reachable.
  for (const { jobSlug, status, count } of counts) {
    const entry = summary(jobSlug, undefined);
    entry.counts[status] += count;
    entry.total += count;
  }
  return { postings: [...summaries.values()], ...(await troubledDeliveries(deps.db, TROUBLED_DELIVERIES_SHOWN)) };
}

/** One page of a posting's applications, newest first, and where the next (older) page starts. */
export async function postingApplications(
  deps: InboxDeps,
  query: { jobSlug: string; status?: ApplicationStatus | undefined; before?: number | undefined },
): Promise<{ applications: ListedApplication[]; nextBefore: number | undefined }> {
  const rows = await listApplications(deps.db, { ...query, limit: PAGE_SIZE + 1 });
  const applications = rows.slice(0, PAGE_SIZE);
  return { applications, nextBefore: rows.length > PAGE_SIZE ? applications.at(-1)?.id : undefined };
}

/** Everything the detail page shows about a stored application. */
export interface ApplicationDetail {
  application: StoredApplication;
  /**
   * Other applications, to any posting, with the same e-mail address, newest first: a hint for
   * recruiters, never proof that one person sent them (anyone can type any address).
   */
  sameAddress: SameAddressApplication[];
  deliveries: DeliveryState[];
  history: AuditRecord[];
  /** When retention deletes it, as things stand. */
  deletedAfter: Date;
}

/** The detail of an application; `{ deleted }` with its history when it was deleted; undefined when there never was one. */
export async function applicationDetail(deps: InboxDeps, reference: string): Promise<ApplicationDetail | { deleted: AuditRecord[] } | undefined> {
  const application = await loadApplication(deps.db, reference);
  if (!application) {
    const history = await auditTrail(deps.db, reference);
    return history.length > 0 ? { deleted: history } : undefined;
  }
  const [sameAddress, deliveries, history] = await Promise.all([sameAddressApplications(deps.db, reference), deliveriesOf(deps.db, reference), auditTrail(deps.db, reference)]);
  const deletedAfter = retentionEndsAt(retentionFactsOf(application));
  return { application, sameAddress, deliveries, history, deletedAfter };
}

// ─── Acting ───────────────────────────────────────────────────────────────────────────────────

/** What a recruiter can post on an application's page. */
export const applicationActionSchema = z.discriminatedUnion('action', [
  /** Move the application to another status. */
  z.object({ action: z.literal('status'), status: z.enum(APPLICATION_STATUSES, { error: 'inbox.error.status' }) }),
  /** Delete it now; the box must be ticked. */
  z.object({ action: z.literal('delete'), confirm: z.literal('yes', { error: 'inbox.error.confirmDelete' }) }),
  /** Give a failed delivery a fresh round of attempts. */
  z.object({ action: z.literal('retry'), delivery: z.coerce.number({ error: 'inbox.error.invalid' }).int().positive() }),
]);

/** The message keys an action can be refused with (UI strings). */
export type ActionErrorKey = 'inbox.error.status' | 'inbox.error.confirmDelete' | 'inbox.error.invalid';

/** How an action ended: done (with what to tell), refused (422, with why), not found (404) or failed (503). */
export type ActionOutcome =
  | { outcome: 'status-changed'; status: ApplicationStatus }
  | { outcome: 'unchanged'; status: ApplicationStatus }
  | { outcome: 'deleted'; jobSlug: string }
  | { outcome: 'retried'; reference: string; delivery: number }
  | { outcome: 'invalid'; key: ActionErrorKey }
  | { outcome: 'not-found' }
  | { outcome: 'unavailable' };

const ACTION_ERROR_KEYS: readonly ActionErrorKey[] = ['inbox.error.status', 'inbox.error.confirmDelete', 'inbox.error.invalid'];

async function notify(deps: InboxDeps, reference: string): Promise<void> {
  if (!deps.notifyDelivery || deps.deliveryChannels.length === 0) return;
  try {
    await deps.notifyDelivery(reference);
  } catch (error) {
    (deps.log ?? writeLog)({ level: 'error', event: 'inbox.delivery-enqueue-failed', reference, error: errorSummary(error) });
  }
}

/** Parses and performs a recruiter's action on an application; never throws. */
export async function applyApplicationAction(deps: InboxDeps, reference: string, form: FormData, recruiter: RecruiterIdentity): Promise<ActionOutcome> {
  const parsed = applicationActionSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message;
    return { outcome: 'invalid', key: ACTION_ERROR_KEYS.find((key) => key === message) ?? 'inbox.error.invalid' };
  }
  const action = parsed.data;
  const now = deps.now();
  try {
    switch (action.action) {
      case 'status': {
        const change = await changeStatus(deps.db, { reference, status: action.status, actor: recruiter.email, now, deliveryChannels: deps.deliveryChannels });
        if (change.outcome === 'not-found') return { outcome: 'not-found' };
        if (change.outcome === 'unchanged') return { outcome: 'unchanged', status: action.status };
        await notify(deps, reference);
        return { outcome: 'status-changed', status: change.status };
      }
      case 'delete': {
        const deleted = await deleteApplications(deps.db, deps.bucket, { references: [reference], actor: recruiter.email, reason: 'recruiter', now, deliveryChannels: deps.deliveryChannels });
        const [gone] = deleted;
        if (!gone) return { outcome: 'not-found' };
        await notify(deps, reference);
        return { outcome: 'deleted', jobSlug: gone.jobSlug };
      }
      case 'retry':
        return await retryDelivery(deps, action.delivery, recruiter);
    }
  } catch (error) {
    (deps.log ?? writeLog)({ level: 'error', event: 'inbox.failed', action: action.action, error: errorSummary(error) });
    return { outcome: 'unavailable' };
  }
}

/** Gives a failed delivery a fresh round of attempts now (recorded), and asks the queue to send it; never throws. */
export async function retryDelivery(deps: InboxDeps, id: number, recruiter: RecruiterIdentity): Promise<ActionOutcome> {
  try {
    const now = deps.now();
    const reference = await retryFailedDelivery(deps.db, id, now);
    if (reference === undefined) return { outcome: 'not-found' };
    await recordAudit(deps.db, { actor: recruiter.email, action: 'delivery.retried', reference, detail: `delivery ${id}`, at: now });
    await notify(deps, reference);
    return { outcome: 'retried', reference, delivery: id };
  } catch (error) {
    (deps.log ?? writeLog)({ level: 'error', event: 'inbox.failed', action: 'retry', error: errorSummary(error) });
    return { outcome: 'unavailable' };
  }
}

/**
 * What the "retry now" notice may say about a delivery: its state now, when a recruiter asked
 * to retry it (undefined otherwise, or when it is gone): the notice follows what is true, not
 * the address it was asked for with.
 */
export async function retriedDelivery(deps: Pick<InboxDeps, 'db'>, id: number): Promise<DeliveryState | undefined> {
  const delivery = await deliveryById(deps.db, id);
  return delivery?.retriedAt ? delivery : undefined;
}

/**
 * The CV of an application as a download, or undefined when there is no such application or
 * CV. A GET sends the file and is recorded as a download; a HEAD sends only its headers and
 * records nothing, since nothing was downloaded.
 */
export async function downloadCv(deps: InboxDeps, reference: string, recruiter: RecruiterIdentity, method: 'GET' | 'HEAD' = 'GET'): Promise<Response | undefined> {
  const application = await loadApplication(deps.db, reference);
  if (!application) return undefined;
  const { key } = application.cv;
  const [head, object] = method === 'HEAD' ? [await deps.bucket.head(key), undefined] : [undefined, await deps.bucket.get(key)];
  const size = (object ?? head)?.size;
  if (size === undefined) {
    (deps.log ?? writeLog)({ level: 'error', event: 'inbox.cv-missing', reference });
    return undefined;
  }
  const file = { filename: `${reference}.pdf`, contentType: CV_CONTENT_TYPE, size };
  if (!object) return attachment(null, file);
  await recordAudit(deps.db, { actor: recruiter.email, action: 'cv.downloaded', reference, jobSlug: application.jobSlug, at: deps.now() });
  return attachment(object.body, file);
}

// ─── Export ───────────────────────────────────────────────────────────────────────────────────

/** The answers as columns of the export: every field the store keeps, in its order. */
const ANSWER_COLUMNS = storedAnswersSchema.keyof().options;
/** One answer column of the export. */
export type AnswerColumn = (typeof ANSWER_COLUMNS)[number];

/** The columns of a posting's export, in order. */
export const EXPORT_COLUMNS = [
  'reference',
  'submittedAt',
  'status',
  ...ANSWER_COLUMNS,
  'talentPool',
  'privacyNoticeVersion',
  'privacyConsentedAt',
  'processEndedAt',
] as const;
/** One column of the export. */
export type ExportColumn = (typeof EXPORT_COLUMNS)[number];

/** The words and conventions of the recruiter's language an export is written in. */
export interface ExportWords {
  headers: Record<ExportColumn, string>;
  status: (status: ApplicationStatus) => string;
  /** A degree's name, as the form offers it. */
  degree: (degree: string) => string;
  yes: string;
  no: string;
  /** The list separator the recruiter's spreadsheet expects. */
  separator: ',' | ';';
}

/** The cells of one application, by column. */
function exportCells(application: ListedApplication, words: ExportWords): Record<ExportColumn, string | number> {
  const { answers, consent } = application;
  const answer = (column: AnswerColumn) => {
    const value = answers[column];
    return Array.isArray(value) ? value.join(' ') : (value ?? '');
  };
  // Times as the inbox shows them: Munich's clock, not UTC.
  const time = (instant: string | null) => (instant === null ? '' : munichDateTime(new Date(instant)));
  return {
    reference: application.reference,
    submittedAt: time(application.createdAt),
    status: words.status(application.status),
    ...(Object.fromEntries(ANSWER_COLUMNS.map((column) => [column, answer(column)])) as Record<AnswerColumn, string | number>),
    degree: words.degree(answers.degree),
    talentPool: consent.talentPool ? words.yes : words.no,
    privacyNoticeVersion: consent.privacyNoticeVersion,
    privacyConsentedAt: time(consent.privacyConsentedAt),
    processEndedAt: time(application.processEndedAt),
  };
}

/**
 * A posting's applications as CSV (newest first, every one of them, formula cells neutralized),
 * with the headers and words in the recruiter's language; the export is recorded. Undefined
 * (404, nothing recorded) for a posting that neither the content (`known`) nor any application
 * knows, as its page answers.
 */
export async function exportPosting(
  deps: InboxDeps,
  jobSlug: string,
  recruiter: RecruiterIdentity,
  words: ExportWords,
  known: boolean,
): Promise<Response | undefined> {
  const rows: Array<Array<string | number>> = [EXPORT_COLUMNS.map((column) => words.headers[column])];
  let before: number | undefined;
  for (;;) {
    const page = await listApplications(deps.db, { jobSlug, before, limit: EXPORT_CHUNK });
    for (const application of page) {
      const cells = exportCells(application, words);
      rows.push(EXPORT_COLUMNS.map((column) => cells[column]));
    }
    if (page.length < EXPORT_CHUNK) break;
    before = page.at(-1)?.id;
  }
  if (!known && rows.length === 1) return undefined;
  const now = deps.now();
  await recordAudit(deps.db, { actor: recruiter.email, action: 'exported', jobSlug, detail: `${rows.length - 1} applications`, at: now });
  return attachment(toCsv(rows, words.separator), { filename: `${jobSlug}-applications-${todayInMunich(now)}.csv`, contentType: 'text/csv; charset=utf-8' });
}
