/**
 * `POST /api/applications`, the JSON API: maps the HTTP request onto the submission core
 * (./submission.ts) and its result onto JSON answers. The same fields as the form plus `job`
 * (the posting's slug) and `locale`.
 */
import { json, problem } from '#functions/http.ts';
import { negotiateLocale } from '#functions/language/negotiate.ts';
import {
  acceptedMessage,
  checkBeforeReading,
  checkPosting,
  localizedIssue,
  processForm,
  readForm,
  type ApplicationDeps,
  type Refusal,
} from '#functions/applications/submission.ts';

/** The HTTP answer to a refusal, as JSON `{ error, issues: [] }` with Retry-After when given. */
export function refusalResponse(result: Refusal): Response {
  const headers = new Headers();
  if (result.retryAfter !== undefined) headers.set('Retry-After', String(result.retryAfter));
  if (result.status === 415) headers.set('Accept-Post', 'multipart/form-data');
  return problem(result.status, result.message, [], { headers });
}

/**
 * Answers the JSON API: 201 `{ reference, outcome, message, link, status }` — `outcome` is
 * `stored` (an application of its own) or `duplicate` (a repeat of a stored one: marked
 * `Idempotent-Replayed`), `message` says which in the applicant's language, `link` is the
 * applicant's private page (absolute) and `status` the application's status on it, both null
 * for a repeat given no link (functions/storage/applicantLinks.ts) · 422 `{ error, issues }` in the requested locale ·
 * 400 · 404 · 405 · 409 (a key reused with other content) · 410 · 413 · 415 · 429 · 503.
 * Answers before the body is read come in the locale negotiated from the request (cookie,
 * Accept-Language).
 */
export async function handleApplicationApiRequest<L extends string>(request: Request, deps: ApplicationDeps<L>): Promise<Response> {
  const negotiated = negotiateLocale(request, deps.locales, deps.defaultLocale);
  if (request.method !== 'POST') {
    return problem(405, deps.translate(negotiated, 'apply.error.method'), [], { headers: { Allow: 'POST' } });
  }
  const early = await checkBeforeReading(request, negotiated, deps);
  if (early) return refusalResponse(early);
  const received = await readForm(request, negotiated, deps);
  if (received.outcome === 'refused') return refusalResponse(received);
  const { form } = received;

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

  const result = await processForm(request, received, target, deps);
  switch (result.outcome) {
    case 'accepted':
      return json(
        {
          reference: result.reference,
          outcome: result.kind,
          message: acceptedMessage(deps, locale, { ...result, linked: result.link !== undefined }),
          link: result.link ? new URL(deps.applicantPath(locale, result.link.token), request.url).href : null,
          status: result.link?.status ?? null,
        },
        { status: 201, headers: result.kind === 'duplicate' ? { 'Idempotent-Replayed': 'true' } : {} },
      );
    case 'invalid':
      return problem(result.status, result.message, result.issues.map(({ field, message }) => ({ field, message })));
    case 'refused':
      return refusalResponse(result);
  }
}
