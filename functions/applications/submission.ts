/**
 * Taking an application at the edge, framework-free: the core that both the HTML route
 * (`POST /<locale>/jobs/<slug>/apply`, which re-renders or redirects) and the JSON API
 * (./handler.ts) use.
 *
 * Order of checks, cheapest first and nothing read that need not be:
 *   503 settings invalid → 415 not multipart → 413 Content-Length past the read bound → 429
 *   attempts → 404/410 posting → read the body (413 if it grows past the read bound) → honeypot
 *   → schema (422, or 413 with the CV marked when the body was over the limit) → repeat? (the
 *   same key and content, or the same content: the stored reference back; 409 for a reused key
 *   with other content) → Turnstile → 429 applications per client, then 429 applications per
 *   posting and e-mail address today (./rateLimits.ts) → store as a new application (503 if a
 *   write fails).
 *
 * A body over MAX_REQUEST_BYTES but within OVERSIZED_BODY_MAX_BYTES is still read, so the
 * applicant whose CV is too large gets every answer back beside a message on the CV field
 * (without JavaScript, the form re-rendered), not an empty form.
 *
 * Nothing an applicant sends is written over a stored application or dropped without telling
 * them (functions/storage/applications.ts): every accepted submission is an application of its
 * own, or, when it repeats a stored one (its key and content, or its whole content), that one
 * again. What the applicant is told never depends on other applications that carry the same
 * e-mail address: that address is typed, not proven, and must tell a stranger nothing.
 *
 * A stored application's answer carries its private link (functions/applicants/link.ts). A
 * repeat's answer carries a new link to the stored application — the first answer's token
 * cannot be recovered (only its hash is stored) — so that the applicant whose double click or
 * resend swallowed the first answer can still reach their page; but only within bounds
 * (functions/storage/applicantLinks.ts): within an hour of the submission, and up to a few links
 * per application. The link shows more than the sender of a repeat sent (the reference, the
 * status, the dates) and lets its holder withdraw the application, and an identical submission
 * proves only that its sender holds every answer and the CV's bytes, which the hiring team and
 * receivers of deliveries that carry them hold too. Past the bounds, the answer says the
 * application was already received and gives only its reference: no status, no dates, no link.
 *
 * Honeypot: a filled `website` field is answered like a success (201, or the 303), with a
 * made-up reference and link (which opens nothing), and nothing is stored or verified. Telling bots they were caught only teaches
 * them to skip the field; a person never sees it, so no applicant is misled.
 */
import { isMultipartForm, type FieldIssue } from '#functions/http.ts';
import { errorSummary, writeLog, type Logger } from '#functions/log.ts';
import { applicationRefusal, type PostingDates } from '#functions/postings/lifecycle.ts';
import type { ParsedSettings } from '#functions/settings.ts';
import { sha256Hex } from '#functions/encoding.ts';
import { applicantTokenSha256, newApplicantToken } from '#functions/applicants/link.ts';
import { addRepeatLink } from '#functions/storage/applicantLinks.ts';
import {
  ApplicationStorageError,
  createApplicationStore,
  submissionKeys,
  type PriorApplication,
  type PriorSubmissions,
  type StoredAnswers,
} from '#functions/storage/applications.ts';
import type { CvBucket } from '#functions/storage/cvs.ts';
import type { StorageDatabase } from '#functions/storage/database.ts';
import type { DeliveryChannel } from '#functions/storage/deliveries.ts';
import { INITIAL_STATUS, type ApplicationStatus } from '#functions/storage/status.ts';
import { toFieldErrors } from '#functions/applications/fieldErrors.ts';
import { APPLICATION_FIELDS, HONEYPOT_FIELD, type ApplicationField, type FieldErrorKey, type MessageParams } from '#functions/applications/fields.ts';
import { CV_MAX_BYTES, CV_MAX_MEGABYTES } from '#functions/applications/limits.ts';
import type { ApplicationMessageKey, Translate } from '#functions/applications/messages.ts';
import { generateReference } from '#functions/applications/reference.ts';
import { createApplicationSchema, type ApplicationAnswers } from '#functions/applications/schema.ts';
import { addressBoundDay, APPLICATIONS_PER_ADDRESS_PER_DAY, isWithinRateLimit } from '#functions/applications/rateLimits.ts';
import type { ApplicationSettings } from '#functions/applications/settings.ts';
import { TURNSTILE_FIELD, verifyTurnstileToken } from '#functions/applications/turnstile.ts';

/** Largest request body accepted: the biggest CV plus room for the text fields and multipart framing. */
export const MAX_REQUEST_BYTES = CV_MAX_BYTES + 64 * 1024;
/**
 * Largest body still read although it is over MAX_REQUEST_BYTES, to give the applicant the
 * form back with every answer and the CV marked too large (a 413 with field errors). A larger
 * one is refused without being read: this bounds what one request can make us read and hold.
 */
export const OVERSIZED_BODY_MAX_BYTES = 3 * CV_MAX_BYTES;
/** Header a client sends to make retries safe; the form may send the field instead. */
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
/** Form field carrying a per-form token, for clients that cannot set headers. */
export const IDEMPOTENCY_FIELD = 'idempotencyKey';
/** Longest accepted idempotency key. */
export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;
/** Seconds a client is told to wait after a storage failure or while the settings are invalid. */
export const STORAGE_RETRY_AFTER_SECONDS = 30;

/** What the submission needs to know about a posting. */
export interface JobFacts extends PostingDates {
  /** The posting's title in the requested locale. */
  title: string;
}

/** One line for the logs: stages and keys only, never what the applicant typed. */
export type ApplicationLogEntry =
  | { level: 'error'; event: 'applications.storage-failed'; stage: 'lookup' | 'cv' | 'row'; error: string }
  | { level: 'error'; event: 'applications.orphan-cv'; cvKey: string; error: string }
  | { level: 'error'; event: 'applications.rate-limiter-failed'; error: string }
  | { level: 'error'; event: 'applications.turnstile-unavailable'; reason: string }
  | { level: 'warn'; event: 'applications.turnstile-refused'; errorCodes: string[] }
  | { level: 'error'; event: 'applications.privacy-notice-missing'; locale: string }
  | { level: 'error'; event: 'applications.delivery-enqueue-failed'; reference: string; error: string }
  | { level: 'error'; event: 'applications.confirmation-failed'; reference: string; error: string };

/** Everything the submission needs, given by the composition root (or a test). */
export interface ApplicationDeps<L extends string> {
  /** D1 binding `DB` (or any object with its prepare and batch). */
  db: StorageDatabase;
  /** R2 binding `CV_BUCKET` (or any object with its put/delete). */
  bucket: CvBucket;
  /** The capability's settings, parsed once per isolate; invalid ones refuse every submission (503). */
  settings: ParsedSettings<ApplicationSettings>;
  /** Rate Limiting binding counting valid applications per client (./rateLimits.ts); without it, no such limit. */
  rateLimiter?: Pick<RateLimit, 'limit'> | undefined;
  /** Rate Limiting binding counting every attempt per client, valid or not; without it, no such limit. */
  attemptRateLimiter?: Pick<RateLimit, 'limit'> | undefined;
  /** fetch for siteverify (the global one in production, a fake in tests). */
  fetch?: typeof fetch | undefined;
  /** The current instant. */
  now: () => Date;
  /** The posting with this slug in this locale, or undefined when there is none. */
  findJob: (slug: string, locale: L) => JobFacts | undefined | Promise<JobFacts | undefined>;
  /** Localizes a message key. */
  translate: Translate<L>;
  /** Version of the privacy notice shown in this locale (stored with the consent); undefined when there is none. */
  privacyNoticeVersion: (locale: L) => string | undefined | Promise<string | undefined>;
  /** The path of the applicant's own page for a link token, in a locale. */
  applicantPath: (locale: L, token: string) => string;
  /** Supported locales and the fallback (the JSON API picks one from the request). */
  locales: readonly L[];
  defaultLocale: L;
  /** Channels that get a delivery outbox row with each stored application; none by default. */
  deliveryChannels?: readonly DeliveryChannel[] | undefined;
  /**
   * Asks for a stored application's deliveries to be sent now (a Queue message). A failure is
   * only logged: the outbox row stays pending and the delivery sweep sends it later.
   */
  notifyDelivery?: ((reference: string) => Promise<void> | void) | undefined;
  /**
   * Sends the applicant the confirmation e-mail with the private link (when a sender is
   * configured); a failure is only logged: the page and the JSON answer carry the link too.
   */
  sendConfirmation?: ((confirmation: ApplicantConfirmation<L>) => Promise<void>) | undefined;
  /** Where internal failures are reported (default: the console, functions/log.ts); never sent to clients. */
  log?: Logger<ApplicationLogEntry> | undefined;
}

/** One field problem, localized: `field` is a form control's name. */
export interface ApplicationIssue extends FieldIssue {
  field: ApplicationField | typeof TURNSTILE_FIELD | 'job' | 'locale';
  /** The UI-string key behind `message`, for clients that localize themselves. */
  key: ApplicationMessageKey;
}

/** HTTP statuses a submission can be refused with (409: a key reused with other content). */
export type RefusalStatus = 400 | 404 | 409 | 410 | 413 | 415 | 429 | 503;

/**
 * What an accepted submission became: `stored` (an application of its own), or `duplicate`
 * (it repeats a stored application — the same key and content, or the whole content — whose
 * reference this is; nothing was stored twice).
 */
export const SUBMISSION_KINDS = ['stored', 'duplicate'] as const;
/** What an accepted submission became. */
export type SubmissionKind = (typeof SUBMISSION_KINDS)[number];

/** An accepted submission, with what the applicant is told. */
export interface AcceptedSubmission {
  outcome: 'accepted';
  reference: string;
  kind: SubmissionKind;
  /**
   * The applicant's private link for this answer (its token, shown once: only its hash is
   * stored) and the status of the application it opens. Absent for a repeat past the bounds of
   * functions/storage/applicantLinks.ts, whose answer gives only the reference (no status, no link).
   */
  link?: { token: string; status: ApplicationStatus } | undefined;
}

/** What the applicant's confirmation e-mail says: a stored application and its private link. */
export interface ApplicantConfirmation<L extends string> {
  reference: string;
  kind: SubmissionKind;
  /** The private link's token. */
  linkToken: string;
  locale: L;
  jobSlug: string;
  /** Where it goes: the address the applicant typed. */
  email: string;
}

/** What the applicant sent, to give the form back with it (never the file, honeypot or Turnstile token). */
export interface ReturnedForm {
  /** Every submitted text value of the form's fields. */
  values: Record<string, string>;
  /** Whether a CV was attached (it is never kept: the applicant attaches it again). */
  cvAttached: boolean;
}

/** How a submission ended. */
export type SubmissionResult =
  /** Stored, or already stored; or a honeypot hit answered the same way. */
  | AcceptedSubmission
  /**
   * Invalid answers: `message` for the error summary, one issue per field in form order, and
   * the form as sent. 413 when the body was over MAX_REQUEST_BYTES (the CV is marked), else 422.
   */
  | ({ outcome: 'invalid'; status: 413 | 422; message: string; issues: ApplicationIssue[] } & ReturnedForm)
  /**
   * Refused as a whole; `retryAfter` in seconds for 429 and 503. With the form as sent when the
   * body had been read, so it can be given back.
   */
  | ({ outcome: 'refused'; status: RefusalStatus; message: string; retryAfter?: number } & Partial<ReturnedForm>);

/** A submission refused as a whole. */
export type Refusal = Extract<SubmissionResult, { outcome: 'refused' }>;

/** Where a submission goes: the posting and the locale to answer in. */
export interface SubmissionTarget<L extends string> {
  locale: L;
  jobSlug: string;
}

/**
 * The answers as stored are exactly the form's validated answers, less the file and the
 * consents (stored in columns of their own): adding a field to the form schema without
 * storing it, or the other way round, fails type-checking here.
 */
type SubmittedAnswers = Omit<ApplicationAnswers, 'cv' | 'privacy' | 'talentPool' | typeof HONEYPOT_FIELD>;
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;
true satisfies SameKeys<SubmittedAnswers, StoredAnswers>;

/** A refusal in the locale, with Retry-After when given. */
export function refuse<L extends string>(
  deps: Pick<ApplicationDeps<L>, 'translate'>,
  locale: L,
  status: RefusalStatus,
  key: ApplicationMessageKey,
  params: MessageParams = {},
  retryAfter?: number,
): Refusal {
  const message = deps.translate(locale, key, params);
  return retryAfter === undefined ? { outcome: 'refused', status, message } : { outcome: 'refused', status, message, retryAfter };
}

/**
 * What the applicant is told about an accepted submission: stored, or already stored (and, for
 * a repeat given no private link, where the link is). Never anything about other applications
 * with the same e-mail address: the sentence for a new application holds whether there are any
 * or not.
 */
export function acceptedMessage<L extends string>(
  deps: Pick<ApplicationDeps<L>, 'translate'>,
  locale: L,
  accepted: { kind: SubmissionKind; reference: string; /** Whether the answer carries a private link. */ linked: boolean },
): string {
  const key = accepted.kind === 'stored' ? 'apply.outcome.stored' : accepted.linked ? 'apply.outcome.duplicate' : 'apply.outcome.duplicateUnlinked';
  return deps.translate(locale, key, { reference: accepted.reference });
}

/** A localized issue beside a field. */
export function localizedIssue<L extends string>(
  deps: Pick<ApplicationDeps<L>, 'translate'>,
  locale: L,
  field: ApplicationIssue['field'],
  key: FieldErrorKey | ApplicationMessageKey,
  params: MessageParams = {},
): ApplicationIssue {
  return { field, message: deps.translate(locale, key, params), key };
}

const unavailable = <L extends string>(deps: ApplicationDeps<L>, locale: L) =>
  refuse(deps, locale, 503, 'apply.error.unavailable', {}, STORAGE_RETRY_AFTER_SECONDS);

/** The settings when they are valid; undefined when the capability must fail closed. */
function usableSettings<L extends string>(deps: ApplicationDeps<L>): ApplicationSettings | undefined {
  return deps.settings.ok ? deps.settings.value : undefined;
}

/** Asks for the deliveries of a stored application; never throws (the sweep is the safety net). */
async function notifyDelivery<L extends string>(deps: ApplicationDeps<L>, reference: string): Promise<void> {
  if (!deps.notifyDelivery || !deps.deliveryChannels?.length) return;
  try {
    await deps.notifyDelivery(reference);
  } catch (error) {
    (deps.log ?? writeLog)({ level: 'error', event: 'applications.delivery-enqueue-failed', reference, error: errorSummary(error) });
  }
}

/** Checks that need no body: settings, media type, declared size, the client's attempts. */
export async function checkBeforeReading<L extends string>(request: Request, locale: L, deps: ApplicationDeps<L>): Promise<Refusal | undefined> {
  const settings = usableSettings(deps);
  // Invalid settings were reported once, when they were parsed (functions/settings.ts).
  if (!settings) return unavailable(deps, locale);
  if (!isMultipartForm(request)) return refuse(deps, locale, 415, 'apply.error.unsupportedMediaType');
  const declared = Number(request.headers.get('Content-Length') ?? '0');
  if (declared > OVERSIZED_BODY_MAX_BYTES) return refuse(deps, locale, 413, 'apply.error.tooLarge', { maxMb: CV_MAX_MEGABYTES });
  if (!(await isWithinRateLimit(deps.attemptRateLimiter, request, deps.log ?? writeLog))) {
    const seconds = settings.rateLimitPeriodSeconds;
    return refuse(deps, locale, 429, 'apply.error.tooManyAttempts', { seconds }, seconds);
  }
  return undefined;
}

/** 404 for unknown or unpublished postings, 410 for closed or expired ones (functions/postings/lifecycle.ts). */
export async function checkPosting<L extends string>(target: SubmissionTarget<L>, deps: ApplicationDeps<L>): Promise<Refusal | undefined> {
  const refusal = applicationRefusal(await deps.findJob(target.jobSlug, target.locale), deps.now());
  if (refusal === 'unpublished') return refuse(deps, target.locale, 404, 'apply.error.notFound');
  if (refusal === 'closed') return refuse(deps, target.locale, 410, 'apply.error.closed');
  return undefined;
}

/** A read multipart body, and whether it was over MAX_REQUEST_BYTES (and so refused after validation). */
export interface ReceivedForm {
  outcome: 'received';
  form: FormData;
  oversized: boolean;
}

/**
 * Reads the multipart body, counting bytes as they arrive: a body without (or with a false)
 * Content-Length cannot make us read more than OVERSIZED_BODY_MAX_BYTES.
 */
export async function readForm<L extends string>(request: Request, locale: L, deps: Pick<ApplicationDeps<L>, 'translate'>): Promise<ReceivedForm | Refusal> {
  if (!request.body) return refuse(deps, locale, 400, 'apply.error.malformed');
  let received = 0;
  let tooLarge = false;
  const counted = request.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        received += chunk.byteLength;
        if (received > OVERSIZED_BODY_MAX_BYTES) {
          tooLarge = true;
          controller.error(new RangeError('request body too large'));
          return;
        }
        controller.enqueue(chunk);
      },
    }),
  );
  try {
    const form = await new Response(counted, { headers: { 'Content-Type': request.headers.get('Content-Type') ?? '' } }).formData();
    return { outcome: 'received', form, oversized: received > MAX_REQUEST_BYTES };
  } catch {
    // The parser's own message says nothing the client could use: the status says it all.
    return tooLarge ? refuse(deps, locale, 413, 'apply.error.tooLarge', { maxMb: CV_MAX_MEGABYTES }) : refuse(deps, locale, 400, 'apply.error.malformed');
  }
}

/** The submitted text values of the form's fields, to re-fill it (no file, honeypot or token). */
export function submittedValues(form: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const field of APPLICATION_FIELDS) {
    if (field === 'cv' || field === HONEYPOT_FIELD) continue;
    const value = form.get(field);
    if (typeof value === 'string') values[field] = value;
  }
  return values;
}

/** The form as sent, to give it back. */
function returnedForm(form: FormData): ReturnedForm {
  const cv = form.get('cv');
  return { values: submittedValues(form), cvAttached: cv instanceof Blob && cv.size > 0 };
}

function invalid<L extends string>(deps: ApplicationDeps<L>, locale: L, issues: ApplicationIssue[], received: ReceivedForm): SubmissionResult {
  const { form, oversized } = received;
  const message = oversized ? deps.translate(locale, 'apply.error.tooLarge', { maxMb: CV_MAX_MEGABYTES }) : deps.translate(locale, 'apply.error.invalid');
  return { outcome: 'invalid', status: oversized ? 413 : 422, message, issues, ...returnedForm(form) };
}

/** A refusal after the body was read: with the form as sent. */
function refusedWithForm(refusal: Refusal, form: FormData): Refusal {
  return { ...refusal, ...returnedForm(form) };
}

/** Checks the Turnstile token when Turnstile is on; a refusal or undefined when it passed. */
async function checkTurnstile<L extends string>(request: Request, received: ReceivedForm, locale: L, deps: ApplicationDeps<L>, settings: ApplicationSettings): Promise<SubmissionResult | undefined> {
  if (!settings.turnstile) return undefined;
  const log = deps.log ?? writeLog;
  const token = received.form.get(TURNSTILE_FIELD);
  const verdict = await verifyTurnstileToken({
    token: typeof token === 'string' ? token : undefined,
    settings: settings.turnstile,
    requestHostname: new URL(request.url).hostname,
    remoteIp: request.headers.get('CF-Connecting-IP') ?? undefined,
    fetch: deps.fetch ?? fetch,
  });
  if (verdict.status === 'unavailable') {
    log({ level: 'error', event: 'applications.turnstile-unavailable', reason: verdict.reason });
    return unavailable(deps, locale);
  }
  if (verdict.status === 'failed') {
    if (verdict.errorCodes.some((code) => code.endsWith('-mismatch'))) log({ level: 'warn', event: 'applications.turnstile-refused', errorCodes: verdict.errorCodes });
    return invalid(deps, locale, [localizedIssue(deps, locale, TURNSTILE_FIELD, 'form.error.turnstile')], received);
  }
  return undefined;
}

/** Asks for the deliveries of a stored application and sends the applicant's confirmation; never throws. */
async function afterStored<L extends string>(deps: ApplicationDeps<L>, confirmation: ApplicantConfirmation<L>): Promise<void> {
  await notifyDelivery(deps, confirmation.reference);
  if (!deps.sendConfirmation) return;
  try {
    await deps.sendConfirmation(confirmation);
  } catch (error) {
    (deps.log ?? writeLog)({ level: 'error', event: 'applications.confirmation-failed', reference: confirmation.reference, error: errorSummary(error) });
  }
}

/** What a submission is, given what is already stored. */
type Decision = { kind: 'repeat'; application: PriorApplication } | { kind: 'key-reused' } | { kind: 'address-bound' } | { kind: 'new' };

/** The one rule for repeats (see functions/storage/applications.ts) and the bound per address. */
function decide(prior: PriorSubmissions): Decision {
  if (prior.byKey) return prior.byKey.sameContent ? { kind: 'repeat', application: prior.byKey } : { kind: 'key-reused' };
  if (prior.byContent) return { kind: 'repeat', application: prior.byContent };
  if (prior.sameAddressSince >= APPLICATIONS_PER_ADDRESS_PER_DAY) return { kind: 'address-bound' };
  return { kind: 'new' };
}

/** Rounds of look-then-store when other submissions keep racing this one. */
const SAVE_ROUNDS = 3;

/**
 * The per-client allowance of valid applications (./rateLimits.ts): a refusal, or undefined
 * once this application is counted. Repeats never get here, so they cost nothing.
 */
async function checkApplicationRate<L extends string>(request: Request, locale: L, deps: ApplicationDeps<L>, settings: ApplicationSettings): Promise<Refusal | undefined> {
  if (await isWithinRateLimit(deps.rateLimiter, request, deps.log ?? writeLog)) return undefined;
  const seconds = settings.rateLimitPeriodSeconds;
  return refuse(deps, locale, 429, 'apply.error.rateLimited', { seconds }, seconds);
}

/**
 * Validates and stores a read form for a posting already known to take applications. A
 * refusal carries the form as sent, so the form route can give it back.
 */
export async function processForm<L extends string>(request: Request, received: ReceivedForm, target: SubmissionTarget<L>, deps: ApplicationDeps<L>): Promise<SubmissionResult> {
  const result = await takeForm(request, received, target, deps);
  return result.outcome === 'refused' ? refusedWithForm(result, received.form) : result;
}

async function takeForm<L extends string>(request: Request, received: ReceivedForm, target: SubmissionTarget<L>, deps: ApplicationDeps<L>): Promise<SubmissionResult> {
  const { form } = received;
  const { locale, jobSlug } = target;
  const settings = usableSettings(deps);
  if (!settings) return unavailable(deps, locale);
  const log = deps.log ?? writeLog;

  const honeypot = form.get(HONEYPOT_FIELD);
  if (honeypot !== null && (typeof honeypot !== 'string' || honeypot !== '')) {
    return { outcome: 'accepted', reference: generateReference(jobSlug), kind: 'stored', link: { token: newApplicantToken(), status: INITIAL_STATUS } };
  }

  const clientKey = request.headers.get(IDEMPOTENCY_HEADER) ?? form.get(IDEMPOTENCY_FIELD) ?? undefined;
  if (clientKey !== undefined && (typeof clientKey !== 'string' || clientKey.length > IDEMPOTENCY_KEY_MAX_LENGTH)) {
    return refuse(deps, locale, 400, 'apply.error.malformed');
  }

  const now = deps.now();
  const input = Object.fromEntries(APPLICATION_FIELDS.map((field) => [field, form.get(field) ?? undefined]));
  const parsed = await createApplicationSchema({ now }).safeParseAsync(input);
  if (!parsed.success) {
    const issues = toFieldErrors(parsed.error.issues).map(({ field, key, params }) => localizedIssue(deps, locale, field, key, params));
    return invalid(deps, locale, issues, received);
  }
  // Over the limit, yet every field valid: the bulk was elsewhere (an unknown field).
  if (received.oversized) return refuse(deps, locale, 413, 'apply.error.tooLarge', { maxMb: CV_MAX_MEGABYTES });
  const { cv, privacy: _privacy, talentPool, [HONEYPOT_FIELD]: _honeypot, ...answers } = parsed.data;

  // The privacy notice is a content page; the build refuses content without one, so this is a
  // deployment fault, reported as such, not a storage failure.
  const privacyNoticeVersion = await deps.privacyNoticeVersion(locale);
  if (privacyNoticeVersion === undefined) {
    log({ level: 'error', event: 'applications.privacy-notice-missing', locale });
    return unavailable(deps, locale);
  }

  const store = createApplicationStore(deps.db, deps.bucket, {
    newReference: generateReference,
    onCleanupFailure: (cvKey, error) => log({ level: 'error', event: 'applications.orphan-cv', cvKey, error: errorSummary(error) }),
    deliveryChannels: deps.deliveryChannels,
  });
  try {
    const bytes = await cv.arrayBuffer();
    const cvSha256 = await sha256Hex(bytes);
    const keys = await submissionKeys({ jobSlug, answers, talentPool, cvSha256, clientKey: clientKey || undefined });
    const linkToken = newApplicantToken();
    const linkSha256 = await applicantTokenSha256(linkToken);
    const day = addressBoundDay(now);

    for (let round = 0; round < SAVE_ROUNDS; round += 1) {
      const decision = decide(await store.findPrior({ jobSlug, email: answers.email, keys, since: day.since }));
      if (decision.kind === 'key-reused') return refuse(deps, locale, 409, 'apply.error.keyReused');
      if (decision.kind === 'repeat') {
        // A double click, a refresh after POST or a client retry: the stored application, with
        // a link of its own while within bounds (see the top of this file).
        const { application } = decision;
        const linked = await addRepeatLink(deps.db, { tokenSha256: linkSha256, reference: application.reference, createdAt: now });
        return { outcome: 'accepted', reference: application.reference, kind: 'duplicate', link: linked ? { token: linkToken, status: application.status } : undefined };
      }
      // Checked once, before the first write and after recognising repeats, whose token the
      // first request already spent and which must not use up the client's allowance; and
      // before the bound per address, so that probing it costs a stranger their allowance.
      if (round === 0) {
        const refused = (await checkTurnstile(request, received, locale, deps, settings)) ?? (await checkApplicationRate(request, locale, deps, settings));
        if (refused) return refused;
      }
      if (decision.kind === 'address-bound') return refuse(deps, locale, 429, 'apply.error.tooManyForAddress', {}, day.secondsLeft);

      const saved = await store.save(
        { jobSlug, locale, answers, privacyNoticeVersion, talentPool, cv: { bytes, sha256: cvSha256 }, keys, applicantLinkSha256: linkSha256, now },
        { since: day.since, max: APPLICATIONS_PER_ADDRESS_PER_DAY },
      );
      if (saved.status === 'stored') {
        await afterStored(deps, { reference: saved.reference, kind: 'stored', linkToken, locale, jobSlug, email: answers.email });
        return { outcome: 'accepted', reference: saved.reference, kind: 'stored', link: { token: linkToken, status: INITIAL_STATUS } };
      }
      // Another submission was stored meanwhile (the same one, or one that reached the bound): look again.
    }
    throw new Error(`still racing other submissions after ${SAVE_ROUNDS} rounds`);
  } catch (error) {
    const stage = error instanceof ApplicationStorageError ? error.stage : 'lookup';
    const cause = error instanceof ApplicationStorageError ? error.cause : error;
    log({ level: 'error', event: 'applications.storage-failed', stage, error: errorSummary(cause) });
    return unavailable(deps, locale);
  }
}

/**
 * Takes one application for a posting in a locale, from a `multipart/form-data` request, and
 * says how it went. Never throws for anything a client sends; never returns internal text.
 */
export async function submitApplication<L extends string>(request: Request, target: SubmissionTarget<L>, deps: ApplicationDeps<L>): Promise<SubmissionResult> {
  const early = (await checkBeforeReading(request, target.locale, deps)) ?? (await checkPosting(target, deps));
  if (early) return early;
  const received = await readForm(request, target.locale, deps);
  if (received.outcome === 'refused') return received;
  return processForm(request, received, target, deps);
}
