/**
 * Astro middleware for the two private areas (src/server/private.ts), before any of their
 * pages runs:
 * - the recruiters' inbox: only a verified recruiter gets in (src/server/recruiters.ts); the
 *   identity is handed to the pages as `Astro.locals.recruiter`. The sign-in page itself is
 *   outside the gate.
 * - the applicant's own page.
 * In both, a Web Fragments gateway that would pierce a page into its host's page gets a notice
 * instead (README, "Embedding"), form posts must come from this origin
 * (functions/security/origin.ts; a post from a host allowed to embed the public pages passes
 * the Worker's check and is refused here) and be forms (415 otherwise, so no page meets a body
 * it cannot parse), and every answer is private: never cached, never indexed, no referrer to
 * other sites.
 */
import { defineMiddleware } from 'astro:middleware';
import { isPiercingFetch } from '#functions/embed/fragment.ts';
import { isFormBody } from '#functions/http.ts';
import { isSameOriginRequest, isUnsafeMethod } from '#functions/security/origin.ts';
import { translate } from '#src/i18n/ui.ts';
import type { UiKey } from '#src/schemas/ui.ts';
import { ORIGIN_REFUSAL_KEYS, privateAreaOf, type PrivateArea, UNREADABLE_KEYS, withPrivateHeaders } from '#src/server/private.ts';
import { admitRecruiter } from '#src/server/recruiters.ts';

/** Why a request to a private area is refused before any of its pages runs, if it is. */
function refusalOf(request: Request, area: PrivateArea): { status: number; key: UiKey } | undefined {
  // A host's Web Fragments gateway fetching the page to pierce it into the host's page, where
  // the host's scripts could read the link's token and the answers: the host must forward these
  // paths to us instead (README, "Embedding"); one that does not shows this notice, no data.
  if (isPiercingFetch(request)) return { status: 403, key: 'private.error.embedded' };
  if (!isUnsafeMethod(request.method)) return undefined;
  if (!isSameOriginRequest(request)) return { status: 403, key: ORIGIN_REFUSAL_KEYS[area] };
  // The pages read posts as forms; anything else is refused before any of them runs (other
  // methods reach the pages, which answer 405).
  if (request.method === 'POST' && !isFormBody(request)) return { status: 415, key: UNREADABLE_KEYS[area] };
  return undefined;
}

export const onRequest = defineMiddleware(async (context, next) => {
  const where = privateAreaOf(context.url.pathname);
  if (!where || context.isPrerendered) return next();
  const { request } = context;
  const refusal = refusalOf(request, where.area);
  if (refusal) return withPrivateHeaders(new Response(translate(where.locale, refusal.key), { status: refusal.status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } }));
  if (where.area === 'recruiters' && where.rest.replace(/\/$/, '') !== 'sign-in') {
    const admitted = await admitRecruiter(request, where.locale);
    if ('response' in admitted) return withPrivateHeaders(admitted.response);
    context.locals.recruiter = admitted.identity;
  }
  return withPrivateHeaders(await next());
});
