/**
 * The applications table (migrations 0001–0002, 0010–0011, 0015) and the CVs it points at: the
 * one owner of their shape. Applications write through `createApplicationStore`; delivery, the
 * inbox and the applicant's page read with the queries below; recruiters change the status
 * with `changeStatus`; retention selects its candidates here (deletion is ./deletion.ts).
 * Nobody else writes SQL against `applications`.
 *
 * Writing an application leaves nothing half-done:
 *   1. put the CV under a fresh server-generated key (R2 checks the SHA-256 on arrival);
 *   2. insert the row, its applicant link and its delivery outbox rows in ONE batch (D1 makes
 *      it all or nothing);
 *   3. if the insert fails, delete the CV again.
 * A crash between 1 and 2 can still leave an object without a row; the retention sweep deletes
 * such objects once they are a day old (see ./cvs.ts).
 *
 * Every accepted submission is an application of its own (issue 9 finding 3, as the review of
 * issue 11 decided). A typed e-mail address proves nothing about who typed it, so another
 * application with the same address is never changed, superseded or revealed by a new one;
 * the only repeats recognised are those that prove themselves by their content:
 *   - the same client key (Idempotency-Key, scoped to the posting) with the same content is a
 *     replay of that application; with other content it is refused (the caller answers 409);
 *   - a submission identical to a stored one (posting, answers, consents and the CV's bytes: a
 *     refresh, a double click) is that application again.
 * A repeat gets a private link of its own only within bounds (./applicantLinks.ts).
 * Each row has a UNIQUE `submission_key` (the hashed client key, or a random one) and a UNIQUE
 * `fingerprint` (a hash of the content), so two identical submissions racing each other store
 * one row. The number of applications per posting and e-mail address since a moment (a Munich
 * day, functions/applications/rateLimits.ts) is bounded in the insert itself, so racing
 * submissions cannot pass the bound together.
 */
import { z } from 'zod';
import { sha256Hex } from '#functions/encoding.ts';
import { applicantLinkStatement } from '#functions/storage/applicantLinks.ts';
import { auditStatement } from '#functions/storage/audit.ts';
import { newCvKey, putCv, type CvBucket } from '#functions/storage/cvs.ts';
import { MAX_PARAMETERS_PER_STATEMENT, placeholders, type RowCondition, type StatementDatabase, type StorageDatabase } from '#functions/storage/database.ts';
import { eventChannels, newEventId, outboxStatements, type DeliveryChannel, type StatusChangedPayload } from '#functions/storage/deliveries.ts';
import { APPLICATION_STATUSES, processEndAfter, type ApplicationStatus } from '#functions/storage/status.ts';

/**
 * The answers of an application as stored (the `answers` JSON column): the form's validated
 * answers without the file and the consents, which have columns of their own. The form
 * schema's output is checked against this type where the two meet (applications/submission.ts).
 */
export const storedAnswersSchema = z.object({
  /** Given name(s). */
  firstName: z.string(),
  /** Family name(s). */
  lastName: z.string(),
  /** Where the hiring team answers. */
  email: z.string(),
  /** Phone number as typed; absent when none was given. */
  phone: z.string().optional(),
  /** The university (or school). */
  university: z.string(),
  /** bachelor, master, phd or other. */
  degree: z.string(),
  /** Month of (expected) graduation, `YYYY-MM`. */
  graduation: z.string(),
  /** Earliest start, `YYYY-MM-DD`. */
  startDate: z.string(),
  /** Length of the internship in months. */
  durationMonths: z.number(),
  /** Profile and portfolio URLs, in the order given. */
  links: z.array(z.string()),
  /** Free text; absent when none was given. */
  motivation: z.string().optional(),
});
/** The answers of an application as stored. */
export type StoredAnswers = z.infer<typeof storedAnswersSchema>;

/** A JSON text column parsed by a schema; an unreadable value is an issue, never a throw. */
const jsonColumn = <T extends z.ZodType>(schema: T) =>
  z.string().transform((text, context): z.output<T> => {
    try {
      return schema.parse(JSON.parse(text));
    } catch {
      context.addIssue({ code: 'custom', message: 'is not the JSON the application store writes' });
      return z.NEVER;
    }
  });

/** One `applications` row as read back, decoded into a stored application. */
export const applicationRowSchema = z
  .object({
    /** The reference the applicant was shown, e.g. ML-7F3K9Q. */
    reference: z.string(),
    /** Slug of the posting applied to. */
    job_slug: z.string(),
    /** Locale the applicant used. */
    locale: z.string(),
    /** The answers, JSON. */
    answers: jsonColumn(storedAnswersSchema),
    /** Version of the privacy notice accepted. */
    privacy_notice_version: z.string(),
    /** When it was accepted (ISO 8601 UTC). */
    privacy_consented_at: z.string(),
    /** 1 with talent-pool consent, else 0. */
    talent_pool: z.union([z.literal(0), z.literal(1)]),
    /** When the talent pool was agreed to; null without consent. */
    talent_pool_consented_at: z.string().nullable(),
    /** The CV's R2 key, size and SHA-256 (hex). */
    cv_key: z.string(),
    cv_size: z.number().int(),
    cv_sha256: z.string(),
    /** Submission time (ISO 8601 UTC). */
    created_at: z.string(),
    /** When the recruiting process ended (ISO 8601 UTC); null until recorded. */
    process_ended_at: z.string().nullable(),
    /** Where the recruiters' process stands. */
    status: z.enum(APPLICATION_STATUSES),
    /** When the status last changed (ISO 8601 UTC); null while it was never changed. */
    status_changed_at: z.string().nullable(),
  })
  .transform((row) => ({
    reference: row.reference,
    jobSlug: row.job_slug,
    locale: row.locale,
    answers: row.answers,
    consent: {
      privacyNoticeVersion: row.privacy_notice_version,
      privacyConsentedAt: row.privacy_consented_at,
      talentPool: row.talent_pool === 1,
      talentPoolConsentedAt: row.talent_pool_consented_at,
    },
    cv: { key: row.cv_key, size: row.cv_size, sha256: row.cv_sha256 },
    createdAt: row.created_at,
    processEndedAt: row.process_ended_at,
    status: row.status,
    statusChangedAt: row.status_changed_at,
  }));

/** A stored application, as every capability reads it. */
export type StoredApplication = z.output<typeof applicationRowSchema>;

/** The columns `applicationRowSchema` reads, derived from it so the two cannot drift. */
const APPLICATION_COLUMNS = Object.keys(applicationRowSchema.in.shape).join(', ');

/** What tells a repeat from a new application. */
export interface SubmissionKeys {
  /** The client's key, hashed and scoped to the posting; undefined when none was sent. */
  clientKey: string | undefined;
  /** SHA-256 of what was sent: posting, answers, consents and the CV's hash. */
  contentSha256: string;
}

/**
 * The keys of a submission. `clientKey` is the Idempotency-Key header or form token when the
 * client sent one; it is hashed with the posting's slug so that keys of any length fit and one
 * posting's key never matches another's. The content hash covers the answers as stored (the
 * schema fixes their order), the talent-pool choice and the CV.
 */
export async function submissionKeys(input: {
  jobSlug: string;
  answers: StoredAnswers;
  talentPool: boolean;
  cvSha256: string;
  clientKey?: string | undefined;
}): Promise<SubmissionKeys> {
  const content = JSON.stringify([input.jobSlug, storedAnswersSchema.parse(input.answers), input.talentPool, input.cvSha256]);
  return {
    clientKey: input.clientKey ? `key:${await sha256Hex(`${input.jobSlug}\n${input.clientKey}`)}` : undefined,
    contentSha256: await sha256Hex(content),
  };
}

/**
 * The UNIQUE fingerprint of a content hash: identical submissions clash on it. The trailing
 * newline keeps it equal to what migration 0011 wrote for a first application, so identical
 * resubmissions of those are recognised too.
 */
function fingerprintOf(contentSha256: string): Promise<string> {
  return sha256Hex(`${contentSha256}\n`);
}

/** A stored application found for a submission. */
export interface PriorApplication {
  reference: string;
  /** Whether it holds exactly what the submission sends. */
  sameContent: boolean;
  /** Where its process stands now. */
  status: ApplicationStatus;
}

/** What is already stored for a submission. */
export interface PriorSubmissions {
  /** The application stored under the same client key. */
  byKey?: PriorApplication | undefined;
  /** The application holding exactly what the submission sends (posting, answers, consents, CV). */
  byContent?: PriorApplication | undefined;
  /** How many applications to this posting with this e-mail address were stored since `since`. */
  sameAddressSince: number;
}

/** Everything stored about one new application, apart from what the store derives itself. */
export interface NewApplication {
  /** Slug of the posting applied to. */
  jobSlug: string;
  /** Locale the applicant used. */
  locale: string;
  /** The validated answers, without the file. */
  answers: StoredAnswers;
  /** Version of the privacy notice the applicant accepted. */
  privacyNoticeVersion: string;
  /** Whether the applicant agreed to the 24-month talent pool. */
  talentPool: boolean;
  /** The CV's bytes (already checked to be a PDF) and their SHA-256 in hex. */
  cv: { bytes: ArrayBuffer | Uint8Array<ArrayBuffer>; sha256: string };
  /** From `submissionKeys`. */
  keys: SubmissionKeys;
  /** SHA-256 of the applicant's private link token (functions/applicants/link.ts). */
  applicantLinkSha256: string;
  /** The moment of submission: created_at, the consent timestamps and the CV's upload time. */
  now: Date;
}

/**
 * What saving an application led to: stored, or a conflict (another submission with the same
 * key or content was stored meanwhile, or the bound per posting and address was reached: look
 * again and decide anew).
 */
export type SaveOutcome = { status: 'stored'; reference: string; cvKey: string } | { status: 'conflict' };

/** A write to R2 or D1 failed; nothing of this application remains stored. */
export class ApplicationStorageError extends Error {
  override readonly name = 'ApplicationStorageError';
  constructor(
    /** Which write failed. */
    readonly stage: 'cv' | 'row',
    options: { cause: unknown },
  ) {
    super(`storing the application failed while writing the ${stage === 'cv' ? 'CV to R2' : 'row to D1'}`, options);
  }
}

/** Reads and writes applications. */
export interface ApplicationStore {
  /** What is already stored under the submission's key or content, and how many applications its address sent to the posting since `since`. */
  findPrior(input: { jobSlug: string; email: string; keys: SubmissionKeys; since: Date }): Promise<PriorSubmissions>;
  /**
   * Stores the CV and the row (with its link and outbox rows), or nothing: a conflict when
   * `bound.max` applications to the posting with this address were stored since `bound.since`.
   * Throws ApplicationStorageError when it cannot.
   */
  save(application: NewApplication, bound: { since: Date; max: number }): Promise<SaveOutcome>;
}

/** The application under `reference` holds this CV: the row just inserted is the one stored. */
const holdsCv = (reference: string, cvKey: string): RowCondition => ({
  sql: 'EXISTS (SELECT 1 FROM applications WHERE reference = ?1 AND cv_key = ?2)',
  params: [reference, cvKey],
});

/** How many fresh references to try when one is taken (30^6 values make even one rare). */
const REFERENCE_ATTEMPTS = 3;

type PriorRow = { reference: string; same_content: number | null; status: ApplicationStatus };

const prior = (row: PriorRow | undefined): PriorApplication | undefined => row && { reference: row.reference, sameContent: row.same_content === 1, status: row.status };

/** Creates the store over the `DB` (D1) and `CV_BUCKET` (R2) bindings. */
export function createApplicationStore(
  db: StorageDatabase,
  bucket: CvBucket,
  options: {
    /** A new reference for a posting (applications/reference.ts); a taken one is replaced. */
    newReference: (jobSlug: string) => string;
    /** Told when a CV could not be deleted after a failed insert (the sweep deletes it later). */
    onCleanupFailure: (cvKey: string, error: unknown) => void;
    /** Channels configured for delivery: `application.created` gets an outbox row on each. */
    deliveryChannels?: readonly DeliveryChannel[] | undefined;
  },
): ApplicationStore {
  const deliveryChannels = eventChannels('application.created', options.deliveryChannels ?? []);

  async function findPrior(input: { jobSlug: string; email: string; keys: SubmissionKeys; since: Date }): Promise<PriorSubmissions> {
    const { keys } = input;
    // Rows stored before content hashes existed (NULL) never count as the same content.
    const [byKey, byContent, sameAddress] = await db.batch<PriorRow & { n: number }>([
      db.prepare('SELECT reference, status, content_sha256 = ?2 AS same_content FROM applications WHERE submission_key = ?1').bind(keys.clientKey ?? null, keys.contentSha256),
      db.prepare('SELECT reference, status, 1 AS same_content FROM applications WHERE fingerprint = ?1').bind(await fingerprintOf(keys.contentSha256)),
      db
        .prepare('SELECT count(*) AS n FROM applications WHERE email_key = lower(trim(?1)) AND job_slug = ?2 AND created_at >= ?3')
        .bind(input.email, input.jobSlug, input.since.toISOString()),
    ]);
    return { byKey: prior(byKey?.results[0]), byContent: prior(byContent?.results[0]), sameAddressSince: sameAddress?.results[0]?.n ?? 0 };
  }

  async function removeCv(cvKey: string): Promise<void> {
    try {
      await bucket.delete(cvKey);
    } catch (error) {
      options.onCleanupFailure(cvKey, error);
    }
  }

  async function save(application: NewApplication, bound: { since: Date; max: number }): Promise<SaveOutcome> {
    const { now, keys } = application;
    const cvKey = newCvKey();
    const createdAt = now.toISOString();
    try {
      await putCv(bucket, cvKey, { bytes: application.cv.bytes, sha256: application.cv.sha256, uploadedAt: now });
    } catch (cause) {
      // R2 may have kept a partial upload; deleting a missing key is harmless.
      await removeCv(cvKey);
      throw new ApplicationStorageError('cv', { cause });
    }

    try {
      // Two identical submissions racing each other clash here.
      const fingerprint = await fingerprintOf(keys.contentSha256);
      const answers = storedAnswersSchema.parse(application.answers);
      // Without a client key the submission key only has to be unique.
      const submissionKey = keys.clientKey ?? `none:${crypto.randomUUID()}`;
      for (let attempt = 0; attempt < REFERENCE_ATTEMPTS; attempt += 1) {
        const reference = options.newReference(application.jobSlug);
        // The bound is part of the insert: one statement is atomic in D1, so submissions
        // racing each other cannot all pass a count made before it.
        const insertApplication = db
          .prepare(
            `INSERT OR IGNORE INTO applications (
               reference, submission_key, fingerprint, job_slug, locale, answers,
               privacy_notice_version, privacy_consented_at, talent_pool, talent_pool_consented_at,
               cv_key, cv_size, cv_sha256, created_at, content_sha256
             ) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15
             WHERE (SELECT count(*) FROM applications WHERE email_key = lower(trim(?16)) AND job_slug = ?4 AND created_at >= ?17) < ?18`,
          )
          .bind(
            reference,
            submissionKey,
            fingerprint,
            application.jobSlug,
            application.locale,
            JSON.stringify(answers),
            application.privacyNoticeVersion,
            createdAt,
            application.talentPool ? 1 : 0,
            application.talentPool ? createdAt : null,
            cvKey,
            application.cv.bytes.byteLength,
            application.cv.sha256,
            createdAt,
            keys.contentSha256,
            answers.email,
            bound.since.toISOString(),
            bound.max,
          );
        // The link and the outbox rows belong to this row only: an ignored insert leaves
        // another application (or none) under the reference.
        const inserted = holdsCv(reference, cvKey);
        const link = applicantLinkStatement(db, { tokenSha256: application.applicantLinkSha256, reference, createdAt: now }, inserted);
        const outbox = outboxStatements(db, { eventId: newEventId(), event: 'application.created', reference, channels: deliveryChannels, createdAt: now }, inserted);
        const [result] = await db.batch([insertApplication, link, ...outbox]);
        if (result?.meta.changes === 1) return { status: 'stored', reference, cvKey };

        // Ignored: a UNIQUE column clashed, or the bound was reached. A taken reference is
        // replaced; anything else means another submission was stored meanwhile, and the
        // caller decides anew.
        const taken = await db.prepare('SELECT 1 AS taken FROM applications WHERE reference = ?1').bind(reference).first();
        if (!taken) {
          await removeCv(cvKey);
          return { status: 'conflict' };
        }
      }
      throw new Error(`no free reference after ${REFERENCE_ATTEMPTS} attempts`);
    } catch (cause) {
      await removeCv(cvKey);
      throw new ApplicationStorageError('row', { cause });
    }
  }

  return { findPrior, save };
}

/**
 * The stored application under a reference, or undefined when there is none (never stored, or
 * deleted). Throws a ZodError when the row cannot be read as the store wrote it.
 */
export async function loadApplication(db: StatementDatabase, reference: string): Promise<StoredApplication | undefined> {
  const row = await db.prepare(`SELECT ${APPLICATION_COLUMNS} FROM applications WHERE reference = ?1`).bind(reference).first();
  return row === null ? undefined : applicationRowSchema.parse(row);
}

/** Records when an application's recruiting process ended; retention counts from then. */
export async function recordProcessEnd(db: StatementDatabase, reference: string, endedAt: Date): Promise<boolean> {
  const result = await db.prepare('UPDATE applications SET process_ended_at = ?2 WHERE reference = ?1').bind(reference, endedAt.toISOString()).run();
  return result.meta.changes === 1;
}

// ─── The same e-mail address ──────────────────────────────────────────────────────────────────

/** Another application that carries the same e-mail address (typed by whoever applied: unverified). */
export interface SameAddressApplication {
  reference: string;
  jobSlug: string;
  createdAt: string;
  status: ApplicationStatus;
}

/** Most applications `sameAddressApplications` lists. */
export const SAME_ADDRESS_LISTED = 20;

/**
 * The other applications, to any posting, whose e-mail address is the same as the one of
 * `reference` (compared without case and surrounding spaces), newest first. For recruiters
 * only, as a hint: anyone can type any address.
 */
export async function sameAddressApplications(db: StatementDatabase, reference: string): Promise<SameAddressApplication[]> {
  const { results } = await db
    .prepare(
      `SELECT other.reference, other.job_slug, other.created_at, other.status FROM applications AS this
       JOIN applications AS other ON other.email_key = this.email_key AND other.id != this.id
       WHERE this.reference = ?1 ORDER BY other.id DESC LIMIT ?2`,
    )
    .bind(reference, SAME_ADDRESS_LISTED)
    .all<{ reference: string; job_slug: string; created_at: string; status: ApplicationStatus }>();
  return results.map((row) => ({ reference: row.reference, jobSlug: row.job_slug, createdAt: row.created_at, status: row.status }));
}

// ─── The recruiters' inbox ────────────────────────────────────────────────────────────────────

/**
 * An application in a posting's list: the stored application, and whether another application
 * (to any posting) carries the same e-mail address, an unverified hint for recruiters.
 */
export type ListedApplication = StoredApplication & { id: number; sharesAddress: boolean };

const listedRowSchema = z.object({ id: z.number().int(), shares_address: z.union([z.literal(0), z.literal(1)]) });

/**
 * A posting's applications, newest first, optionally of one status; at most `limit`, older
 * than the application with id `before` when given (the next page). Throws a ZodError when a
 * row cannot be read as the store wrote it.
 */
export async function listApplications(
  db: StatementDatabase,
  query: { jobSlug: string; status?: ApplicationStatus | undefined; before?: number | undefined; limit: number },
): Promise<ListedApplication[]> {
  const { results } = await db
    .prepare(
      `SELECT id, ${APPLICATION_COLUMNS},
         EXISTS (SELECT 1 FROM applications AS other WHERE other.email_key = a.email_key AND other.id != a.id) AS shares_address
       FROM applications AS a
       WHERE job_slug = ?1 AND (?2 IS NULL OR status = ?2) AND (?3 IS NULL OR id < ?3)
       ORDER BY id DESC LIMIT ?4`,
    )
    .bind(query.jobSlug, query.status ?? null, query.before ?? null, query.limit)
    .all();
  return results.map((row) => {
    const { id, shares_address } = listedRowSchema.parse(row);
    return { ...applicationRowSchema.parse(row), id, sharesAddress: shares_address === 1 };
  });
}

/** How many applications each posting has in each status (postings without any are absent). */
export async function countApplications(db: StatementDatabase): Promise<Array<{ jobSlug: string; status: ApplicationStatus; count: number }>> {
  const { results } = await db
    .prepare('SELECT job_slug, status, count(*) AS count FROM applications GROUP BY job_slug, status')
    .all<{ job_slug: string; status: ApplicationStatus; count: number }>();
  return results.map((row) => ({ jobSlug: row.job_slug, status: row.status, count: row.count }));
}

/** What a status change did. */
export type StatusChange =
  | { outcome: 'changed'; previous: ApplicationStatus; status: ApplicationStatus; processEndedAt: string | null }
  | { outcome: 'unchanged' }
  | { outcome: 'not-found' };

/**
 * Sets an application's status, in one batch with its audit entry and the
 * `application.status_changed` event on the configured channels. A final status records the
 * end of the process (kept when one was recorded); another one clears it (the process runs
 * again). A concurrent change in between makes the guarded statements change nothing.
 */
export async function changeStatus(
  db: StorageDatabase,
  change: { reference: string; status: ApplicationStatus; actor: string; now: Date; deliveryChannels: readonly DeliveryChannel[] },
): Promise<StatusChange> {
  const current = await db
    .prepare('SELECT status, process_ended_at, job_slug FROM applications WHERE reference = ?1')
    .bind(change.reference)
    .first<{ status: ApplicationStatus; process_ended_at: string | null; job_slug: string }>();
  if (!current) return { outcome: 'not-found' };
  if (current.status === change.status) return { outcome: 'unchanged' };

  const changedAt = change.now.toISOString();
  const processEndedAt = processEndAfter(change.status, current.process_ended_at, change.now);
  const payload: StatusChangedPayload = {
    reference: change.reference,
    job: { slug: current.job_slug },
    status: change.status,
    previousStatus: current.status,
    changedAt,
    processEndedAt,
  };
  const update = db
    .prepare('UPDATE applications SET status = ?2, status_changed_at = ?3, process_ended_at = ?4 WHERE reference = ?1 AND status = ?5')
    .bind(change.reference, change.status, changedAt, processEndedAt, current.status);
  // The audit entry and the event only when this very change was applied (not a concurrent one).
  const applied: RowCondition = {
    sql: 'EXISTS (SELECT 1 FROM applications WHERE reference = ?1 AND status = ?2 AND status_changed_at = ?3)',
    params: [change.reference, change.status, changedAt],
  };
  const audit = auditStatement(
    db,
    { actor: change.actor, action: 'status.changed', reference: change.reference, jobSlug: current.job_slug, detail: `${current.status} → ${change.status}`, at: change.now },
    applied,
  );
  const events = outboxStatements(
    db,
    {
      eventId: newEventId(),
      event: 'application.status_changed',
      reference: change.reference,
      channels: eventChannels('application.status_changed', change.deliveryChannels),
      payload,
      createdAt: change.now,
    },
    applied,
  );
  const [result] = await db.batch([update, audit, ...events]);
  if (result?.meta.changes !== 1) return { outcome: 'unchanged' };
  return { outcome: 'changed', previous: current.status, status: change.status, processEndedAt };
}

// ─── Retention ────────────────────────────────────────────────────────────────────────────────

/** An application the retention run may delete, with the facts its period is computed from. */
export interface RetentionCandidate {
  id: number;
  reference: string;
  cvKey: string;
  talentPool: boolean;
  createdAt: Date;
  processEndedAt: Date | null;
  statusChangedAt: Date | null;
}

/**
 * Applications of one talent-pool group whose retention period started (the process end, else
 * the last status change, else submission) before `startedBefore`, earliest start first. The
 * expression is the one indexed by migration 0010 (applications_by_retention_start); which of
 * them are due is decided by retention/period.ts.
 */
export async function retentionCandidates(
  db: StatementDatabase,
  query: { talentPool: boolean; startedBefore: Date; limit: number },
): Promise<RetentionCandidate[]> {
  const { results } = await db
    .prepare(
      `SELECT id, reference, cv_key, created_at, process_ended_at, status_changed_at FROM applications
       WHERE talent_pool = ?1 AND COALESCE(process_ended_at, status_changed_at, created_at) < ?2
       ORDER BY COALESCE(process_ended_at, status_changed_at, created_at), id
       LIMIT ?3`,
    )
    .bind(query.talentPool ? 1 : 0, query.startedBefore.toISOString(), Math.min(query.limit, MAX_PARAMETERS_PER_STATEMENT))
    .all<{ id: number; reference: string; cv_key: string; created_at: string; process_ended_at: string | null; status_changed_at: string | null }>();
  const date = (value: string | null) => (value === null ? null : new Date(value));
  return results.map((row) => ({
    id: row.id,
    reference: row.reference,
    cvKey: row.cv_key,
    talentPool: query.talentPool,
    createdAt: new Date(row.created_at),
    processEndedAt: date(row.process_ended_at),
    statusChangedAt: date(row.status_changed_at),
  }));
}

/** Which of these CV keys an application row points at. */
export async function referencedCvKeys(db: StatementDatabase, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const { results } = await db.prepare(`SELECT cv_key FROM applications WHERE cv_key IN (${placeholders(keys.length)})`).bind(...keys).all<{ cv_key: string }>();
  return new Set(results.map((row) => row.cv_key));
}
