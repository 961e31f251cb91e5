/**
 * `POST /api/applications`: the JSON API for applications (multipart, the form's fields plus
 * `job` and `locale`). Rendered on demand; Astro's origin check (CSRF) applies to it.
 */
import type { APIRoute } from 'astro';
import { handleApplicationApiRequest } from '#functions/applications/handler.ts';
import { problem } from '#functions/http.ts';
import { pickLocale } from '#functions/language/negotiate.ts';
import { DEFAULT_LOCALE, LOCALES } from '#src/i18n/locales.ts';
import { useTranslations } from '#src/i18n/ui.ts';
import { applicationDeps } from '#src/server/applications.ts';

export const prerender = false;

export const POST: APIRoute = ({ request }) => handleApplicationApiRequest(request, applicationDeps());

/** Any other method: 405 with the one that works, in the visitor's language. */
export const ALL: APIRoute = ({ request }) => {
  const locale = pickLocale({ cookie: request.headers.get('Cookie'), acceptLanguage: request.headers.get('Accept-Language') }, LOCALES, DEFAULT_LOCALE);
  return problem(405, useTranslations(locale)('apply.error.method'), [], { headers: { Allow: 'POST' } });
};
