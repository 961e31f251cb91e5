/**
 * The applications table (migrations 0001–0002) and the CVs it points at: the one owner of
 * their shape. Applications write through `createApplicationStore`; delivery reads with
 * `loadApplication`; retention selects and deletes with the queries at the end. Nobody else
 * writes SQL against `applications`.
 *
 * Writing an application leaves nothing half-done:
 *   1. put the CV under a fresh server-generated key (R2 checks the SHA-256 on arrival);
 *   2. insert the row and its delivery outbox rows in ONE batch (D1 makes it all or nothing);
 *   3. if the insert fails, delete the CV again.
 * A crash between 1 and 2 can still leave an object without a row; the retention sweep deletes
 * such objects once they are a day old (see ./cvs.ts).
 *
 * Deduplication: each row has a UNIQUE `submission_key` (the client's Idempotency-Key or form
 * token, scoped to the posting, else the fingerprint) and a UNIQUE `fingerprint` (posting +
 * e-mail + CV hash). A second submission that matches either gets the first reference back.
 */
import { z } from 'zod';
import { sha256Hex } from '#functions/encoding.ts';
import { newCvKey, putCv, type CvBucket } from '#functions/storage/cvs.ts';
import { MAX_PARAMETERS_PER_STATEMENT, placeholders, type StatementDatabase, type StorageDatabase } from '#functions/storage/database.ts';
import { insertDeliveryStatement, type DeliveryChannel } from '#functions/storage/deliveries.ts';

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
  }));

/** A stored application, as every capability reads it. */
export type StoredApplication = z.output<typeof applicationRowSchema>;

/** The columns `applicationRowSchema` reads, derived from it so the two cannot drift. */
const APPLICATION_COLUMNS = Object.keys(applicationRowSchema.in.shape).join(', ');

/** The two deduplication keys of a submission. */
export interface SubmissionKeys {
  /** The client's key (hashed, scoped to the posting) or, without one, the fingerprint. */
  submissionKey: string;
  /** SHA-256 of posting, e-mail and CV hash: the same application sent twice. */
  fingerprint: string;
}

/**
 * The deduplication keys of a submission. `clientKey` is the Idempotency-Key header or form
 * token when the client sent one; it is hashed with the posting's slug so that keys of any
 * length fit and one posting's key never matches another's.
 */
export async function submissionKeys(input: { jobSlug: string; email: string; cvSha256: string; clientKey?: string | undefined }): Promise<SubmissionKeys> {
  const fingerprint = await sha256Hex(`${input.jobSlug}\n${input.email.trim().toLowerCase()}\n${input.cvSha256}`);
  const submissionKey = input.clientKey ? `key:${await sha256Hex(`${input.jobSlug}\n${input.clientKey}`)}` : `fp:${fingerprint}`;
  return { submissionKey, fingerprint };
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
  /** Deduplication keys, from `submissionKeys`. */
  keys: SubmissionKeys;
  /** The moment of submission: created_at, the consent timestamps and the CV's upload time. */
  now: Date;
}

/** An application that is already stored, found by one of its keys. */
export interface StoredMatch {
  reference: string;
  /** True when the client key matched but the content differs: the key was reused. */
  keyReused: boolean;
}

/** What saving an application led to. */
export type SaveOutcome = { status: 'stored'; reference: string; cvKey: string } | { status: 'duplicate'; match: StoredMatch };

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
  /** The stored application a submission duplicates, if any. */
  findMatch(keys: SubmissionKeys): Promise<StoredMatch | undefined>;
  /** Stores the CV and the row (with its outbox rows), or nothing; throws ApplicationStorageError when it cannot. */
  save(application: NewApplication): Promise<SaveOutcome>;
}

/** How many fresh references to try when one is taken (30^6 values make even one rare). */
const REFERENCE_ATTEMPTS = 3;

/** Creates the store over the `DB` (D1) and `CV_BUCKET` (R2) bindings. */
export function createApplicationStore(
  db: StorageDatabase,
  bucket: CvBucket,
  options: {
    /** A new reference for a posting (applications/reference.ts); a taken one is replaced. */
    newReference: (jobSlug: string) => string;
    /** Told when a CV could not be deleted after a failed insert (the sweep deletes it later). */
    onCleanupFailure: (cvKey: string, error: unknown) => void;
    /** Channels that get an outbox row with every stored application; none by default. */
    deliveryChannels?: readonly DeliveryChannel[] | undefined;
  },
): ApplicationStore {
  const deliveryChannels = options.deliveryChannels ?? [];

  async function findMatch(keys: SubmissionKeys): Promise<StoredMatch | undefined> {
    // The row matched by the client key wins over one matched by the fingerprint.
    const row = await db
      .prepare(
        `SELECT reference, submission_key = ?1 AS by_key, fingerprint = ?2 AS same_content
         FROM applications WHERE submission_key = ?1 OR fingerprint = ?2 ORDER BY by_key DESC LIMIT 1`,
      )
      .bind(keys.submissionKey, keys.fingerprint)
      .first<{ reference: string; by_key: number; same_content: number }>();
    if (!row) return undefined;
    return { reference: row.reference, keyReused: row.by_key === 1 && row.same_content !== 1 };
  }

  async function removeCv(cvKey: string): Promise<void> {
    try {
      await bucket.delete(cvKey);
    } catch (error) {
      options.onCleanupFailure(cvKey, error);
    }
  }

  async function save(application: NewApplication): Promise<SaveOutcome> {
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
      for (let attempt = 0; attempt < REFERENCE_ATTEMPTS; attempt += 1) {
        const reference = options.newReference(application.jobSlug);
        const insertApplication = db
          .prepare(
            `INSERT OR IGNORE INTO applications (
               reference, submission_key, fingerprint, job_slug, locale, answers,
               privacy_notice_version, privacy_consented_at, talent_pool, talent_pool_consented_at,
               cv_key, cv_size, cv_sha256, created_at
             ) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)`,
          )
          .bind(
            reference,
            keys.submissionKey,
            keys.fingerprint,
            application.jobSlug,
            application.locale,
            JSON.stringify(storedAnswersSchema.parse(application.answers)),
            application.privacyNoticeVersion,
            createdAt,
            application.talentPool ? 1 : 0,
            application.talentPool ? createdAt : null,
            cvKey,
            application.cv.bytes.byteLength,
            application.cv.sha256,
            createdAt,
          );
        const outbox = deliveryChannels.map((channel) => insertDeliveryStatement(db, { reference, cvKey, channel, createdAt: now }));
        const [result] = await db.batch([insertApplication, ...outbox]);
        if (result?.meta.changes === 1) return { status: 'stored', reference, cvKey };

        // Ignored: a UNIQUE column clashed. A matching key means a concurrent duplicate won
        // the race; otherwise the reference was taken, and another one is tried.
        const match = await findMatch(keys);
        if (match) {
          await removeCv(cvKey);
          return { status: 'duplicate', match };
        }
      }
      throw new Error(`no free reference after ${REFERENCE_ATTEMPTS} attempts`);
    } catch (cause) {
      await removeCv(cvKey);
      throw new ApplicationStorageError('row', { cause });
    }
  }

  return { findMatch, save };
}

/**
 * The stored application under a reference, or undefined when there is none (never stored, or
 * deleted by retention). Throws a ZodError when the row cannot be read as the store wrote it.
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

// ─── Retention ────────────────────────────────────────────────────────────────────────────────

/** An application the retention run may delete, with the facts its period is computed from. */
export interface RetentionCandidate {
  id: number;
  cvKey: string;
  talentPool: boolean;
  createdAt: Date;
  processEndedAt: Date | null;
}

/**
 * Applications of one talent-pool group whose retention period started (the process end, else
 * submission) before `startedBefore`, earliest start first. The expression is the one indexed
 * by migration 0002 (applications_by_retention_start); which of them are due is decided by
 * retention/period.ts.
 */
export async function retentionCandidates(
  db: StatementDatabase,
  query: { talentPool: boolean; startedBefore: Date; limit: number },
): Promise<RetentionCandidate[]> {
  const { results } = await db
    .prepare(
      `SELECT id, cv_key, created_at, process_ended_at FROM applications
       WHERE talent_pool = ?1 AND COALESCE(process_ended_at, created_at) < ?2
       ORDER BY COALESCE(process_ended_at, created_at), id
       LIMIT ?3`,
    )
    .bind(query.talentPool ? 1 : 0, query.startedBefore.toISOString(), Math.min(query.limit, MAX_PARAMETERS_PER_STATEMENT))
    .all<{ id: number; cv_key: string; created_at: string; process_ended_at: string | null }>();
  return results.map((row) => ({
    id: row.id,
    cvKey: row.cv_key,
    talentPool: query.talentPool,
    createdAt: new Date(row.created_at),
    processEndedAt: row.process_ended_at === null ? null : new Date(row.process_ended_at),
  }));
}

/** Deletes applications (their outbox rows cascade) by id; returns how many were deleted. */
export async function deleteApplications(db: StatementDatabase, ids: readonly number[]): Promise<number> {
  if (ids.length === 0) return 0;
  // Counted by RETURNING: D1's meta.changes also counts the deliveries the delete cascades to.
  const deleted = await db.prepare(`DELETE FROM applications WHERE id IN (${placeholders(ids.length)}) RETURNING id`).bind(...ids).all();
  return deleted.results.length;
}

/** Which of these CV keys an application row points at. */
export async function referencedCvKeys(db: StatementDatabase, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const { results } = await db.prepare(`SELECT cv_key FROM applications WHERE cv_key IN (${placeholders(keys.length)})`).bind(...keys).all<{ cv_key: string }>();
  return new Set(results.map((row) => row.cv_key));
}
