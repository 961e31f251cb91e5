/**
 * Where applications are kept: the CV in R2, the row in D1. The order makes a failure leave
 * nothing behind:
 *   1. put the CV under a fresh server-generated key (R2 checks the SHA-256 on arrival);
 *   2. insert the row and its delivery outbox rows in ONE batch (D1 makes it all or nothing);
 *   3. if the insert fails, delete the CV again.
 * A crash between 1 and 2 could still leave an object without a row; such objects carry
 * `customMetadata.uploadedAt` so a retention sweep can delete objects older than a day that
 * no row points at.
 *
 * Deduplication: each row has a UNIQUE `submission_key` (the client's Idempotency-Key or form
 * token, scoped to the posting, else the fingerprint) and a UNIQUE `fingerprint` (posting +
 * e-mail + CV hash). A second submission that matches either gets the first reference back.
 */
import { generateReference } from './reference.ts';

/** The R2 operations the store uses (a real `R2Bucket` fits; tests may pass failing fakes). */
export type CvBucket = Pick<R2Bucket, 'put' | 'delete'>;
/** The D1 operations the store uses (a real `D1Database` fits). */
export type ApplicationDatabase = Pick<D1Database, 'prepare' | 'batch'>;

/** A way an application reaches the recruiters (one outbox row each, see functions/delivery). */
export type DeliveryChannel = 'email' | 'webhook';

/** Prefix of every CV object key in R2. */
export const CV_KEY_PREFIX = 'cv/';

/** Everything stored about one application, apart from what the store derives itself. */
export interface NewApplication {
  /** Slug of the posting applied to. */
  jobSlug: string;
  /** Locale the applicant used. */
  locale: string;
  /** The validated answers, JSON-serialisable, without the file. */
  answers: Record<string, unknown>;
  /** Version of the privacy notice the applicant accepted. */
  privacyNoticeVersion: string;
  /** Whether the applicant agreed to the 24-month talent pool. */
  talentPool: boolean;
  /** The CV's bytes (already checked to be a PDF) and their SHA-256 in hex. */
  cv: { bytes: ArrayBuffer; sha256: string };
  /** Deduplication keys, from `submissionKeys`. */
  keys: SubmissionKeys;
  /** The moment of submission: created_at and the consent timestamps. */
  now: Date;
}

/** The two deduplication keys of a submission. */
export interface SubmissionKeys {
  /** The client's key (hashed, scoped to the posting) or, without one, the fingerprint. */
  submissionKey: string;
  /** SHA-256 of posting, e-mail and CV hash: the same application sent twice. */
  fingerprint: string;
}

/** An application that is already stored, found by one of its keys. */
export interface StoredMatch {
  reference: string;
  /** True when the client key matched but the content differs: the key was reused. */
  keyReused: boolean;
}

/** What saving an application led to. */
export type SaveOutcome =
  | { status: 'stored'; reference: string; cvKey: string }
  | { status: 'duplicate'; match: StoredMatch };

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

/** SHA-256 of bytes or text, as lower-case hex. */
export async function sha256Hex(data: ArrayBuffer | Uint8Array<ArrayBuffer> | string): Promise<string> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * The deduplication keys of a submission. `clientKey` is the Idempotency-Key header or form
 * token when the client sent one; it is hashed with the posting's slug so that keys of any
 * length fit and one posting's key never matches another's.
 */
export async function submissionKeys(input: {
  jobSlug: string;
  email: string;
  cvSha256: string;
  clientKey?: string | undefined;
}): Promise<SubmissionKeys> {
  const fingerprint = await sha256Hex(`${input.jobSlug}\n${input.email.trim().toLowerCase()}\n${input.cvSha256}`);
  const submissionKey = input.clientKey
    ? `key:${await sha256Hex(`${input.jobSlug}\n${input.clientKey}`)}`
    : `fp:${fingerprint}`;
  return { submissionKey, fingerprint };
}

/** How many fresh references to try when one is taken (30^6 values make even one rare). */
const REFERENCE_ATTEMPTS = 3;

const INSERT_APPLICATION = `INSERT OR IGNORE INTO applications (
  reference, submission_key, fingerprint, job_slug, locale, answers,
  privacy_notice_version, privacy_consented_at, talent_pool, talent_pool_consented_at,
  cv_key, cv_size, cv_sha256, created_at
) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)`;

// One outbox row per channel, only when this batch's application row was really inserted: an
// ignored (duplicate) insert leaves another application under the reference, with another CV.
const INSERT_DELIVERY = `INSERT INTO deliveries (application_reference, channel, status, attempts, next_attempt_at, created_at)
  SELECT ?1, ?3, 'pending', 0, ?4, ?4
  WHERE EXISTS (SELECT 1 FROM applications WHERE reference = ?1 AND cv_key = ?2)`;

// The row matched by the client key wins over one matched by the fingerprint.
const FIND_MATCH = `SELECT reference, submission_key = ?1 AS by_key, fingerprint = ?2 AS same_content
  FROM applications WHERE submission_key = ?1 OR fingerprint = ?2
  ORDER BY by_key DESC LIMIT 1`;

/** Reads and writes applications. */
export interface ApplicationStore {
  /** The stored application a submission duplicates, if any. */
  findMatch(keys: SubmissionKeys): Promise<StoredMatch | undefined>;
  /** Stores the CV and the row, or nothing; throws ApplicationStorageError when it cannot. */
  save(application: NewApplication): Promise<SaveOutcome>;
}

/** Creates the store over the `DB` (D1) and `CV_BUCKET` (R2) bindings. */
export function createApplicationStore(
  db: ApplicationDatabase,
  bucket: CvBucket,
  options: {
    reference?: (jobSlug: string) => string;
    onCleanupFailure?: (cvKey: string, error: unknown) => void;
    /** Channels that get an outbox row with every stored application; none by default. */
    deliveryChannels?: readonly DeliveryChannel[] | undefined;
  } = {},
): ApplicationStore {
  const newReference = options.reference ?? generateReference;
  const deliveryChannels = options.deliveryChannels ?? [];
  const onCleanupFailure =
    options.onCleanupFailure ??
    ((cvKey: string, error: unknown) =>
      console.error(JSON.stringify({ event: 'applications.orphan-cv', cvKey, error: String(error) })));

  async function findMatch(keys: SubmissionKeys): Promise<StoredMatch | undefined> {
    const row = await db
      .prepare(FIND_MATCH)
      .bind(keys.submissionKey, keys.fingerprint)
      .first<{ reference: string; by_key: number; same_content: number }>();
    if (!row) return undefined;
    return { reference: row.reference, keyReused: row.by_key === 1 && row.same_content !== 1 };
  }

  async function removeCv(cvKey: string): Promise<void> {
    try {
      await bucket.delete(cvKey);
    } catch (error) {
      onCleanupFailure(cvKey, error);
    }
  }

  async function save(application: NewApplication): Promise<SaveOutcome> {
    const { now, keys } = application;
    const cvKey = `${CV_KEY_PREFIX}${crypto.randomUUID()}.pdf`;
    const createdAt = now.toISOString();

    try {
      await bucket.put(cvKey, application.cv.bytes, {
        httpMetadata: { contentType: 'application/pdf' },
        customMetadata: { uploadedAt: createdAt },
        sha256: application.cv.sha256,
      });
    } catch (cause) {
      // R2 may have kept a partial upload; deleting a missing key is harmless.
      await removeCv(cvKey);
      throw new ApplicationStorageError('cv', { cause });
    }

    try {
      for (let attempt = 0; attempt < REFERENCE_ATTEMPTS; attempt += 1) {
        const reference = newReference(application.jobSlug);
        const insertApplication = db
          .prepare(INSERT_APPLICATION)
          .bind(
            reference,
            keys.submissionKey,
            keys.fingerprint,
            application.jobSlug,
            application.locale,
            JSON.stringify(application.answers),
            application.privacyNoticeVersion,
            createdAt,
            application.talentPool ? 1 : 0,
            application.talentPool ? createdAt : null,
            cvKey,
            application.cv.bytes.byteLength,
            application.cv.sha256,
            createdAt,
          );
        const outbox = deliveryChannels.map((channel) => db.prepare(INSERT_DELIVERY).bind(reference, cvKey, channel, createdAt));
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
