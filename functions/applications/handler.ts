/**
 * Taking an application at the edge, framework-free. `submitApplication` is the core that both
 * the HTML route (`POST /<locale>/jobs/<slug>/apply`, which re-renders or redirects) and the
 * JSON API (`handleApplicationApiRequest`, `POST /api/applications`) use.
 *
 * Order of checks, cheapest first and nothing read that need not be:
 *   415 not multipart → 413 Content-Length too big → 429 rate limit → 404/410 posting
 *   → read the body (413 again if it grows past the limit) → honeypot → schema (422)
 *   → duplicate? (first reference back) → Turnstile → store (503 if a write fails).
 *
 * Honeypot: a filled `website` field is answered exactly like a success, with a made-up
 * reference, and nothing is stored or verified. Telling bots they were caught only teaches
 * them to skip the field; a person never sees it, so no applicant is misled.
 */
import { pickLocale } from '#functions/language/negotiate.ts';
import { json, problem, type FieldIssue } from '#functions/http.ts';
import type { ApplicationMessageKey, Translate } from './messages.ts';
import {
  APPLICATION_FIELDS,
  CV_MAX_BYTES,
  CV_MAX_MEGABYTES,
  berlinToday,
  createApplicationSchema,
  HONEYPOT_FIELD,
  toFieldErrors,
  type ApplicationField,
  type FieldErrorKey,
  type MessageParams,
} from './schema.ts';
import { generateReference } from './reference.ts';
import {
  ApplicationStorageError,
  createApplicationStore,
  sha256Hex,
  submissionKeys,
  type ApplicationDatabase,
  type CvBucket,
  type DeliveryChannel,
} from './store.ts';
import { TURNSTILE_FIELD, verifyTurnstileToken } from './turnstile.ts';

/** Largest request body: the biggest CV plus room for the text fields and multipart framing. */
export const MAX_REQUEST_BYTES = CV_MAX_BYTES + 64 * 1024;
/** Header a client sends to make retries safe; the form may send the field instead. */
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
/** Form field carrying a per-form token, for clients that cannot set headers. */
export const IDEMPOTENCY_FIELD = 'idempotencyKey';
/** Longest accepted idempotency key. */
export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;
/** Seconds a client is told to wait after a storage failure. */
export const STORAGE_RETRY_AFTER_SECONDS = 30;
/** Seconds a rate-limited client is told to wait when the period is not configured. */
export const DEFAULT_RATE_LIMIT_PERIOD_SECONDS = 60;

/** What the handler needs to know about a posting. */
export interface JobFacts {
  /** draft (unpublished: answered as unknown), open, or closed. */
  status: 'draft' | 'open' | 'closed';
  /** Last day applications are taken (a Date at UTC midnight, or `YYYY-MM-DD`), Berlin time. */
  validThrough?: Date | string | undefined;
  /** The posting's title in the requested locale. */
  title: string;
}

/** Everything the handlers need, given by the composition root (or a test). */
export interface ApplicationDeps<L extends string> {
  /** D1 binding `DB` (or any object with its prepare and batch). */
  db: ApplicationDatabase;
  /** R2 binding `CV_BUCKET` (or any object with its put/delete). */
  bucket: CvBucket;
  /** Workers Rate Limiting binding; without it, no per-client limit applies. */
  rateLimiter?: Pick<RateLimit, 'limit'> | undefined;
  /** The limiter's period in seconds (wrangler.toml), sent as Retry-After. Default 60. */
  rateLimitPeriodSeconds?: number | undefined;
  /** Turnstile secret; when set, every submission needs a valid, unspent token. */
  turnstileSecretKey?: string | undefined;
  /** fetch for siteverify (the global one in production, a fake in tests). */
  fetch?: typeof fetch | undefined;
  /** The current instant. */
  now: () => Date;
  /** The posting with this slug in this locale, or undefined when there is none. */
  findJob: (slug: string, locale: L) => JobFacts | undefined | Promise<JobFacts | undefined>;
  /** Localizes a message key. */
  translate: Translate<L>;
  /** Version of the privacy notice shown in this locale (stored with the consent). */
  privacyNoticeVersion: (locale: L) => string | Promise<string>;
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
  /** Where internal failures are reported (default console.error); never sent to clients. */
  logError?: ((event: string, details: Record<string, unknown>) => void) | undefined;
}

/** One field problem, localized: `field` is a form control's name. */
export interface ApplicationIssue extends FieldIssue {
  field: ApplicationField | typeof TURNSTILE_FIELD | 'job' | 'locale';
  /** The UI-string key behind `message`, for clients that localize themselves. */
  key: ApplicationMessageKey;
}

/** HTTP statuses a submission can be refused with. */
export type RefusalStatus = 400 | 404 | 409 | 410 | 413 | 415 | 429 | 503;

/** How a submission ended. */
export type SubmissionResult =
  /** Stored (or already stored: `duplicate`), or a honeypot hit answered the same way. */
  | { outcome: 'accepted'; reference: string; duplicate: boolean }
  /**
   * Invalid answers: `message` for the error summary, one issue per field in form order, and
   * every submitted text value (not the file, honeypot or Turnstile token) to re-fill the form.
   */
  | { outcome: 'invalid'; message: string; issues: ApplicationIssue[]; values: Record<string, string> }
  /** Refused as a whole; `retryAfter` in seconds for 429 and 503. */
  | { outcome: 'refused'; status: RefusalStatus; message: string; retryAfter?: number };

/** Where a submission goes: the posting and the locale to answer in. */
export interface SubmissionTarget<L extends string> {
  locale: L;
  jobSlug: string;
}

type Refusal = Extract<SubmissionResult, { outcome: 'refused' }>;

function refuse<L extends string>(
  deps: ApplicationDeps<L>,
  locale: L,
  status: RefusalStatus,
  key: ApplicationMessageKey,
  params: MessageParams = {},
  retryAfter?: number,
): Refusal {
  const message = deps.translate(locale, key, params);
  return retryAfter === undefined ? { outcome: 'refused', status, message } : { outcome: 'refused', status, message, retryAfter };
}

function logError<L extends string>(deps: ApplicationDeps<L>, event: string, details: Record<string, unknown>): void {
  if (deps.logError) deps.logError(event, details);
  else console.error(JSON.stringify({ event, ...details }));
}

/** Asks for the deliveries of a stored application; never throws (the sweep is the safety net). */
async function notifyDelivery<L extends string>(deps: ApplicationDeps<L>, reference: string): Promise<void> {
  if (!deps.notifyDelivery || !deps.deliveryChannels?.length) return;
  try {
    await deps.notifyDelivery(reference);
  } catch (error) {
    logError(deps, 'applications.delivery-enqueue-failed', { reference, error: String(error) });
  }
}

function isMultipart(request: Request): boolean {
  const type = request.headers.get('Content-Type') ?? '';
  return /^multipart\/form-data\s*;.*\bboundary=/i.test(type);
}

/** Checks that need no body: media type, declared size, the client's rate. */
async function checkBeforeReading<L extends string>(
  request: Request,
  locale: L,
  deps: ApplicationDeps<L>,
): Promise<Refusal | undefined> {
  if (!isMultipart(request)) return refuse(deps, locale, 415, 'apply.error.unsupportedMediaType');
  const declared = Number(request.headers.get('Content-Length') ?? '0');
  if (declared > MAX_REQUEST_BYTES) return refuse(deps, locale, 413, 'apply.error.tooLarge', { maxMb: CV_MAX_MEGABYTES });

  if (deps.rateLimiter) {
    const key = request.headers.get('CF-Connecting-IP') ?? 'unknown-client';
    try {
      const { success } = await deps.rateLimiter.limit({ key });
      if (!success) {
        const seconds = deps.rateLimitPeriodSeconds ?? DEFAULT_RATE_LIMIT_PERIOD_SECONDS;
        return refuse(deps, locale, 429, 'apply.error.rateLimited', { seconds }, seconds);
      }
    } catch (error) {
      // A broken limiter must not turn applicants away; it is reported instead.
      logError(deps, 'applications.rate-limiter-failed', { error: String(error) });
    }
  }
  return undefined;
}

/** 404 for unknown or unpublished postings, 410 for closed or expired ones. */
async function checkPosting<L extends string>(
  target: SubmissionTarget<L>,
  deps: ApplicationDeps<L>,
): Promise<Refusal | undefined> {
  const job = await deps.findJob(target.jobSlug, target.locale);
  if (!job || job.status === 'draft') return refuse(deps, target.locale, 404, 'apply.error.notFound');
  if (job.status === 'closed') return refuse(deps, target.locale, 410, 'apply.error.closed');
  if (job.validThrough !== undefined) {
    const lastDay = typeof job.validThrough === 'string' ? job.validThrough : job.validThrough.toISOString().slice(0, 10);
    if (berlinToday(deps.now()) > lastDay) return refuse(deps, target.locale, 410, 'apply.error.closed');
  }
  return undefined;
}

/** Reads the multipart body, counting bytes as they arrive so a body without (or with a false) Content-Length cannot exceed the limit. */
async function readForm<L extends string>(
  request: Request,
  locale: L,
  deps: ApplicationDeps<L>,
): Promise<FormData | Refusal> {
  if (!request.body) return refuse(deps, locale, 400, 'apply.error.malformed');
  let received = 0;
  let tooLarge = false;
  const counted = request.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        received += chunk.byteLength;
        if (received > MAX_REQUEST_BYTES) {
          tooLarge = true;
          controller.error(new RangeError('request body too large'));
          return;
        }
        controller.enqueue(chunk);
      },
    }),
  );
  try {
    return await new Response(counted, { headers: { 'Content-Type': request.headers.get('Content-Type') ?? '' } }).formData();
  } catch {
    // The parser's own message says nothing the client could use: the status says it all.
    return tooLarge
      ? refuse(deps, locale, 413, 'apply.error.tooLarge', { maxMb: CV_MAX_MEGABYTES })
      : refuse(deps, locale, 400, 'apply.error.malformed');
  }
}

/** The submitted text values of the form's fields, to re-fill it (no file, honeypot or token). */
function submittedValues(form: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const field of APPLICATION_FIELDS) {
    if (field === 'cv' || field === HONEYPOT_FIELD) continue;
    const value = form.get(field);
    if (typeof value === 'string') values[field] = value;
  }
  return values;
}

function localizedIssue<L extends string>(
  deps: ApplicationDeps<L>,
  locale: L,
  field: ApplicationIssue['field'],
  key: FieldErrorKey | ApplicationMessageKey,
  params: MessageParams = {},
): ApplicationIssue {
  return { field, message: deps.translate(locale, key, params), key };
}

function invalid<L extends string>(
  deps: ApplicationDeps<L>,
  locale: L,
  issues: ApplicationIssue[],
  form: FormData,
): SubmissionResult {
  return { outcome: 'invalid', message: deps.translate(locale, 'apply.error.invalid'), issues, values: submittedValues(form) };
}

/** Validates and stores a read form for a posting already known to take applications. */
async function processForm<L extends string>(
  request: Request,
  form: FormData,
  target: SubmissionTarget<L>,
  deps: ApplicationDeps<L>,
): Promise<SubmissionResult> {
  const { locale, jobSlug } = target;

  const honeypot = form.get(HONEYPOT_FIELD);
  if (honeypot !== null && (typeof honeypot !== 'string' || honeypot !== '')) {
    return { outcome: 'accepted', reference: generateReference(jobSlug), duplicate: false };
  }

  const clientKey = request.headers.get(IDEMPOTENCY_HEADER) ?? form.get(IDEMPOTENCY_FIELD) ?? undefined;
  if (clientKey !== undefined && (typeof clientKey !== 'string' || clientKey.length > IDEMPOTENCY_KEY_MAX_LENGTH)) {
    return refuse(deps, locale, 400, 'apply.error.malformed');
  }

  const now = deps.now();
  const input = Object.fromEntries(APPLICATION_FIELDS.map((field) => [field, form.get(field) ?? undefined]));
  const parsed = await createApplicationSchema({ now }).safeParseAsync(input);
  if (!parsed.success) {
    const issues = toFieldErrors(parsed.error.issues).map(({ field, key, params }) =>
      localizedIssue(deps, locale, field, key, params),
    );
    return invalid(deps, locale, issues, form);
  }
  const { cv, privacy: _privacy, talentPool, [HONEYPOT_FIELD]: _honeypot, ...answers } = parsed.data;

  const store = createApplicationStore(deps.db, deps.bucket, {
    onCleanupFailure: (cvKey, error) => logError(deps, 'applications.orphan-cv', { cvKey, error: String(error) }),
    deliveryChannels: deps.deliveryChannels,
  });
  try {
    const bytes = await cv.arrayBuffer();
    const cvSha256 = await sha256Hex(bytes);
    const keys = await submissionKeys({ jobSlug, email: answers.email, cvSha256, clientKey: clientKey || undefined });

    // A double click, a refresh after POST or a client retry: the first reference, nothing new.
    // Checked before Turnstile, whose token the first request already spent.
    const match = await store.findMatch(keys);
    if (match?.keyReused) return refuse(deps, locale, 409, 'apply.error.keyReused');
    if (match) return { outcome: 'accepted', reference: match.reference, duplicate: true };

    if (deps.turnstileSecretKey) {
      const token = form.get(TURNSTILE_FIELD);
      const verdict = await verifyTurnstileToken({
        token: typeof token === 'string' ? token : undefined,
        secretKey: deps.turnstileSecretKey,
        remoteIp: request.headers.get('CF-Connecting-IP') ?? undefined,
        fetch: deps.fetch ?? fetch,
      });
      if (verdict.status === 'unavailable') {
        logError(deps, 'applications.turnstile-unavailable', { reason: verdict.reason });
        return refuse(deps, locale, 503, 'apply.error.unavailable', {}, STORAGE_RETRY_AFTER_SECONDS);
      }
      if (verdict.status === 'failed') {
        return invalid(deps, locale, [localizedIssue(deps, locale, TURNSTILE_FIELD, 'form.error.turnstile')], form);
      }
    }

    const saved = await store.save({
      jobSlug,
      locale,
      answers,
      privacyNoticeVersion: await deps.privacyNoticeVersion(locale),
      talentPool,
      cv: { bytes, sha256: cvSha256 },
      keys,
      now,
    });
    if (saved.status === 'stored') {
      await notifyDelivery(deps, saved.reference);
      return { outcome: 'accepted', reference: saved.reference, duplicate: false };
    }
    if (saved.match.keyReused) return refuse(deps, locale, 409, 'apply.error.keyReused');
    return { outcome: 'accepted', reference: saved.match.reference, duplicate: true };
  } catch (error) {
    const stage = error instanceof ApplicationStorageError ? error.stage : 'lookup';
    const cause = error instanceof ApplicationStorageError ? error.cause : error;
    logError(deps, 'applications.storage-failed', { stage, error: String(cause) });
    return refuse(deps, locale, 503, 'apply.error.unavailable', {}, STORAGE_RETRY_AFTER_SECONDS);
  }
}

/**
 * Takes one application for a posting in a locale, from a `multipart/form-data` request, and
 * says how it went. Never throws for anything a client sends; never returns internal text.
 */
export async function submitApplication<L extends string>(
  request: Request,
  target: SubmissionTarget<L>,
  deps: ApplicationDeps<L>,
): Promise<SubmissionResult> {
  const early = (await checkBeforeReading(request, target.locale, deps)) ?? (await checkPosting(target, deps));
  if (early) return early;
  const form = await readForm(request, target.locale, deps);
  if (!(form instanceof FormData)) return form;
  return processForm(request, form, target, deps);
}

/** The HTTP answer to a refusal, as JSON `{ error, issues: [] }` with Retry-After when given. */
export function refusalResponse(result: Refusal): Response {
  const headers = new Headers();
  if (result.retryAfter !== undefined) headers.set('Retry-After', String(result.retryAfter));
  if (result.status === 415) headers.set('Accept-Post', 'multipart/form-data');
  return problem(result.status, result.message, [], { headers });
}

/**
 * `POST /api/applications`: the same fields as the form plus `job` (the posting's slug) and
 * `locale`. 201 `{ reference }` (also for a repeated submission, marked `Idempotent-Replayed`)
 * · 422 `{ error, issues }` in the requested locale · 400 · 404 · 409 · 410 · 413 · 415 · 429 · 503.
 * Answers before the body is read come in the locale negotiated from Accept-Language.
 */
export async function handleApplicationApiRequest<L extends string>(request: Request, deps: ApplicationDeps<L>): Promise<Response> {
  const negotiated = pickLocale(
    { cookie: request.headers.get('Cookie'), acceptLanguage: request.headers.get('Accept-Language') },
    deps.locales,
    deps.defaultLocale,
  );
  if (request.method !== 'POST') {
    return problem(405, deps.translate(negotiated, 'apply.error.malformed'), [], { headers: { Allow: 'POST' } });
  }
  const early = await checkBeforeReading(request, negotiated, deps);
  if (early) return refusalResponse(early);
  const form = await readForm(request, negotiated, deps);
  if (!(form instanceof FormData)) return refusalResponse(form);

  const requestedLocale = form.get('locale');
  const locale = requestedLocale === null || requestedLocale === '' ? negotiated : deps.locales.find((candidate) => candidate === requestedLocale);
  if (locale === undefined) {
    const issue = localizedIssue(deps, negotiated, 'locale', 'apply.error.locale', { locales: deps.locales.join(', ') });
    return problem(422, deps.translate(negotiated, 'apply.error.invalid'), [{ field: issue.field, message: issue.message }]);
  }
  const jobSlug = form.get('job');
  if (typeof jobSlug !== 'string' || jobSlug.trim() === '') {
    const issue = localizedIssue(deps, locale, 'job', 'form.error.required');
    return problem(422, deps.translate(locale, 'apply.error.invalid'), [{ field: issue.field, message: issue.message }]);
  }

  const target = { locale, jobSlug: jobSlug.trim() };
  const closed = await checkPosting(target, deps);
  if (closed) return refusalResponse(closed);

  const result = await processForm(request, form, target, deps);
  switch (result.outcome) {
    case 'accepted':
      return json(
        { reference: result.reference },
        { status: 201, headers: result.duplicate ? { 'Idempotent-Replayed': 'true' } : {} },
      );
    case 'invalid':
      return problem(
        422,
        result.message,
        result.issues.map(({ field, message }) => ({ field, message })),
      );
    case 'refused':
      return refusalResponse(result);
  }
}
