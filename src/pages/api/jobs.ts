/**
 * `GET <base>/api/jobs?locale=de`: the open postings of a language as JSON, for host sites
 * (schema: src/schemas/jobsApi.ts, served as `<base>/api/jobs.schema.json`). Optional filters as
 * on the list page: `team`, `location`, `type`. Cached like the list, never past a listed
 * posting's deadline; the Worker renders it with a GET of the canonical query, answers HEAD and
 * other methods (405), and adds ETag/304 and CORS for EMBED_ORIGINS (src/server/embed.ts).
 */
import type { APIRoute } from 'astro';
import { JOBS_SCHEMA_PATH } from '#functions/embed/routes.ts';
import { json, problem } from '#functions/http.ts';
import { negotiateLocale } from '#functions/language/negotiate.ts';
import { isoDay } from '#functions/time.ts';
import { DEFAULT_LOCALE, LOCALES } from '#src/i18n/locales.ts';
import { absoluteUrl, BASE } from '#src/i18n/paths.ts';
import { useTranslations } from '#src/i18n/ui.ts';
import { postingsCacheControl } from '#src/postings/caching.ts';
import { getOpenJobs, parseJobId } from '#src/postings/collection.ts';
import { applyJobFilters } from '#src/postings/listing.ts';
import { jobsApiQuerySchema, type JobsApiResponse } from '#src/schemas/jobsApi.ts';

export const prerender = false;


export const GET: APIRoute = async ({ request, url, site }) => {
  const query = jobsApiQuerySchema.safeParse(Object.fromEntries(url.searchParams));
  if (!query.success) {
    // The visitor's language, for errors: the query's locale is what is wrong.
    const t = useTranslations(negotiateLocale(request, LOCALES, DEFAULT_LOCALE));
    return problem(400, t('api.error.query'), [{ field: 'locale', message: t('apply.error.locale', { locales: LOCALES.join(', ') }) }]);
  }
  const { locale, ...filters } = query.data;
  const now = new Date();
  const shown = applyJobFilters(await getOpenJobs(locale, now), filters);
  const jobs = shown.map((entry) => {
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
      datePosted: isoDay(job.datePosted),
      validThrough: job.validThrough ? isoDay(job.validThrough) : null,
      summary: job.summary,
      url: page(),
      applyUrl: page('apply'),
      fragmentUrl: page('fragment'),
    };
  });
  const body: JobsApiResponse = { locale, jobs };
  return json(body, {
    headers: { 'Cache-Control': postingsCacheControl(shown.map((entry) => entry.data), now), Link: `<${BASE}${JOBS_SCHEMA_PATH}>; rel="describedby"` },
  });
};
