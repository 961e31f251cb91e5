/**
 * `GET <base>/api/jobs?locale=de`: the open postings of a language as JSON for host sites, a page
 * at a time (schema: src/schemas/jobsApi.ts, served as `<base>/api/jobs.schema.json`). Optional
 * filters as on the list page (`team`, `location`, `type`), and `page` and `perPage`. Answered by
 * the Worker from the content index, without Astro. Cached like the list, never past a matching
 * posting's deadline; the Worker renders it with a GET of the canonical query, answers HEAD and
 * other methods (405), and adds ETag/304 and CORS for EMBED_ORIGINS (src/server/embed.ts).
 */
import { site } from 'astro:config/client';
import { JOBS_SCHEMA_PATH } from '#functions/embed/routes.ts';
import { json, problem, type FieldIssue } from '#functions/http.ts';
import { negotiateLocale } from '#functions/language/negotiate.ts';
import { isoDay } from '#functions/time.ts';
import { DEFAULT_LOCALE, LOCALES } from '#src/i18n/locales.ts';
import { absoluteUrl, BASE } from '#src/i18n/paths.ts';
import { useTranslations } from '#src/i18n/ui.ts';
import { postingsCacheControl } from '#src/postings/caching.ts';
import { applyJobFilters, pageOf } from '#src/postings/listing.ts';
import { JOBS_API_MAX_PER_PAGE, jobsApiPagingSchema, jobsApiQuerySchema, type JobsApiResponse } from '#src/schemas/jobsApi.ts';
import { getOpenJobs } from '#src/server/content.ts';

/** The public origin of our pages (SITE_URL), where the answer's URLs lead. */
const SITE = site ? new URL(site) : undefined;

/** Answers a GET of `/api/jobs`: a page of postings, or 400/404 with `{ error, issues }`. */
export async function handleJobsApiRequest(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const parameters = Object.fromEntries(url.searchParams);
  const query = jobsApiQuerySchema.safeParse(parameters);
  const paging = jobsApiPagingSchema.safeParse(parameters);
  if (!query.success || !paging.success) {
    // Errors in the visitor's language: the query's locale may be what is wrong.
    const t = useTranslations(negotiateLocale(request, LOCALES, DEFAULT_LOCALE));
    const issues: FieldIssue[] = [];
    if (!query.success) issues.push({ field: 'locale', message: t('apply.error.locale', { locales: LOCALES.join(', ') }) });
    for (const issue of paging.error?.issues ?? []) {
      if (issue.path[0] === 'page') issues.push({ field: 'page', message: t('api.error.page') });
      if (issue.path[0] === 'perPage') issues.push({ field: 'perPage', message: t('api.error.perPage', { max: JOBS_API_MAX_PER_PAGE }) });
    }
    return problem(400, t('api.error.query'), issues);
  }
  const { locale, ...filters } = query.data;
  const { page, perPage } = paging.data;
  const now = new Date();
  const matches = applyJobFilters(await getOpenJobs(locale, now), filters);
  const current = pageOf(matches, page, perPage);
  if (!current) {
    const pageCount = Math.max(1, Math.ceil(matches.length / perPage));
    return problem(404, useTranslations(locale)('api.error.pageMissing', { page, pageCount }));
  }
  const body: JobsApiResponse = {
    locale,
    page: current.page,
    pageCount: current.pageCount,
    total: current.total,
    jobs: current.items.map(({ slug, data: job }) => {
      const page = (path = '') => absoluteUrl(SITE, locale, `jobs/${slug}/${path}`);
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
    }),
  };
  // The next and previous pages keep the query as it came (filters, page size), RFC 8288 links.
  const pageLink = (number: number, rel: string) => {
    const search = new URLSearchParams(url.searchParams);
    search.set('page', String(number));
    return `<${BASE}api/jobs?${search}>; rel="${rel}"`;
  };
  const links = [`<${BASE}${JOBS_SCHEMA_PATH}>; rel="describedby"`];
  if (current.page < current.pageCount) links.push(pageLink(current.page + 1, 'next'));
  if (current.page > 1) links.push(pageLink(current.page - 1, 'prev'));
  // Never cached past the deadline of a matching posting: the pages and the total change with it.
  const cacheControl = postingsCacheControl(matches.map((posting) => posting.data), now);
  return json(body, { headers: { 'Cache-Control': cacheControl, Link: links.join(', ') } });
}
