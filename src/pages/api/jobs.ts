/**
 * `GET <base>/api/jobs?locale=de`: the open postings of a language as JSON, for host sites
 * (schema: src/schemas/jobsApi.ts, served as `<base>/api/jobs.schema.json`). Optional filters as
 * on the list page: `team`, `location`, `type`. Cached like the list; the Worker adds ETag/304
 * and CORS for EMBED_ORIGINS (src/server/embed.ts).
 */
import type { APIRoute } from 'astro';
import { json, problem } from '../../../functions/http';
import { pickLocale } from '../../../functions/language/negotiate';
import { DEFAULT_LOCALE, LOCALES } from '../../i18n/locales';
import { absoluteUrl, BASE } from '../../i18n/paths';
import { isoDate, useTranslations } from '../../i18n/ui';
import { SHARED_CACHE_CONTROL } from '../../lib/caching';
import { getOpenJobs, parseJobId } from '../../lib/jobs';
import { applyJobFilters } from '../../lib/listing';
import { jobsApiQuerySchema, type JobsApiResponse } from '../../schemas/jobsApi';

export const prerender = false;

/** The visitor's language, for errors: the query's locale is what is wrong. */
const negotiated = (request: Request) =>
  pickLocale({ cookie: request.headers.get('Cookie'), acceptLanguage: request.headers.get('Accept-Language') }, LOCALES, DEFAULT_LOCALE);

export const GET: APIRoute = async ({ request, url, site }) => {
  const query = jobsApiQuerySchema.safeParse(Object.fromEntries(url.searchParams));
  if (!query.success) {
    const t = useTranslations(negotiated(request));
    return problem(400, t('api.error.query'), [{ field: 'locale', message: t('apply.error.locale', { locales: LOCALES.join(', ') }) }]);
  }
  const { locale, ...filters } = query.data;
  const jobs = applyJobFilters(await getOpenJobs(locale, new Date()), filters).map((entry) => {
    const job = entry.data;
    const { slug } = parseJobId(entry.id);
    const page = (path = '') => absoluteUrl(site, locale, `jobs/${slug}/${path}`);
    return {
      slug,
      title: job.title,
      team: job.team,
      location: { city: job.location.city, region: job.location.region, countryCode: job.location.countryCode },
      employmentType: job.employmentType,
      workplace: job.workplace,
      datePosted: isoDate(job.datePosted),
      validThrough: job.validThrough ? isoDate(job.validThrough) : null,
      summary: job.summary,
      url: page(),
      applyUrl: page('apply'),
      fragmentUrl: page('fragment'),
    };
  });
  const body: JobsApiResponse = { locale, jobs };
  return json(body, {
    headers: { 'Cache-Control': SHARED_CACHE_CONTROL, Link: `<${BASE}api/jobs.schema.json>; rel="describedby"` },
  });
};

/** Any other method: 405 with the ones that work, in the visitor's language. */
export const ALL: APIRoute = ({ request }) =>
  problem(405, useTranslations(negotiated(request))('api.error.method'), [], { headers: { Allow: 'GET, HEAD, OPTIONS' } });
