/**
 * Astro middleware for the two private areas, before any of their pages runs:
 * - `<base><locale>/recruiters/…`, the recruiters' inbox: only a verified recruiter gets in
 *   (src/server/recruiters.ts); the identity is handed to the pages as `Astro.locals.recruiter`.
 *   The sign-in page itself is outside the gate.
 * - `<base><locale>/application/<token>/…`, the applicant's own page.
 * In both, form posts must come from this origin (functions/security/origin.ts), and every
 * answer is private: never cached, never indexed, no referrer to other sites (functions/http.ts).
 */
import { defineMiddleware } from 'astro:middleware';
import { PRIVATE_HEADERS } from '#functions/http.ts';
import { isSameOriginRequest, isUnsafeMethod } from '#functions/security/origin.ts';
import { isLocale, type Locale } from '#src/i18n/locales.ts';
import { BASE } from '#src/i18n/paths.ts';
import { translate } from '#src/i18n/ui.ts';
import { admitRecruiter } from '#src/server/recruiters.ts';

/** Which private area a path is in, and its locale. */
function privateArea(pathname: string): { area: 'recruiters' | 'applicant'; locale: Locale; rest: string } | undefined {
  if (!`${pathname}/`.startsWith(BASE)) return undefined;
  const [locale, area, ...rest] = pathname.slice(BASE.length).split('/');
  if (!isLocale(locale)) return undefined;
  if (area === 'recruiters') return { area, locale, rest: rest.join('/') };
  if (area === 'application') return { area: 'applicant', locale, rest: rest.join('/') };
  return undefined;
}

/** A response with the private headers set (a copy when its headers are immutable). */
function privately(response: Response): Response {
  const copy = new Response(response.body, response);
  for (const [name, value] of Object.entries(PRIVATE_HEADERS)) copy.headers.set(name, value);
  return copy;
}

export const onRequest = defineMiddleware(async (context, next) => {
  const where = privateArea(context.url.pathname);
  if (!where || context.isPrerendered) return next();
  const { request } = context;
  if (isUnsafeMethod(request.method) && !isSameOriginRequest(request)) {
    return privately(new Response(translate(where.locale, 'inbox.error.origin'), { status: 403, headers: { 'Content-Type': 'text/plain; charset=utf-8' } }));
  }
  if (where.area === 'recruiters' && where.rest.replace(/\/$/, '') !== 'sign-in') {
    const admitted = await admitRecruiter(request, where.locale);
    if ('response' in admitted) return privately(admitted.response);
    context.locals.recruiter = admitted.identity;
  }
  return privately(await next());
});
