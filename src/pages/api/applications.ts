/**
 * `POST /api/applications`: the JSON API for applications (multipart, the form's fields plus
 * `job` and `locale`). Rendered on demand; Astro's origin check (CSRF) applies to it.
 */
import type { APIRoute } from 'astro';
import { handleApplicationApiRequest } from '../../../functions/applications/handler';
import { problem } from '../../../functions/http';
import { pickLocale } from '../../../functions/language/negotiate';
import { DEFAULT_LOCALE, LOCALES } from '../../i18n/locales';
import { useTranslations } from '../../i18n/ui';
import { applicationDeps } from '../../server/applications';

export const prerender = false;

export const POST: APIRoute = ({ request }) => handleApplicationApiRequest(request, applicationDeps());

/** Any other method: 405 with the one that works, in the visitor's language. */
export const ALL: APIRoute = ({ request }) => {
  const locale = pickLocale({ cookie: request.headers.get('Cookie'), acceptLanguage: request.headers.get('Accept-Language') }, LOCALES, DEFAULT_LOCALE);
  return problem(405, useTranslations(locale)('apply.error.method'), [], { headers: { Allow: 'POST' } });
};
