/**
 * The contract of `GET <base>/api/jobs`: its query and its answer, as zod schemas. The answer's
 * JSON Schema, generated from this file, is committed and served as
 * `public/api/jobs.schema.json` (test/unit/jobsApiSchema.test.ts keeps the two in step).
 */
import { z } from 'astro/zod';
import { LOCALES } from '#src/i18n/locales.ts';
import { jobFiltersSchema } from '#src/postings/listing.ts';
import { EMPLOYMENT_TYPES, SLUG_PATTERN, WORKPLACES } from '#src/schemas/job.ts';

/** The query: a locale, and optionally the list page's filters (unknown values are ignored). */
export const jobsApiQuerySchema = jobFiltersSchema.extend({
  /** The language of the postings, e.g. `de`. */
  locale: z.enum(LOCALES),
});

/** Postings per page of `/api/jobs` when the query names no `perPage`. */
export const JOBS_API_PER_PAGE = 50;
/** Most postings per page of `/api/jobs`. */
export const JOBS_API_MAX_PER_PAGE = 100;

/** A positive whole number in a query; empty counts as not given. */
const queryInteger = (max: number) =>
  z.preprocess((value) => (value === '' ? undefined : value), z.coerce.number().int().min(1).max(max).optional());

/** The query's paging: which page, and how many postings per page. */
export const jobsApiPagingSchema = z.object({
  /** The page, from 1 (default 1); past the last page the answer is 404. */
  page: queryInteger(100_000).transform((page) => page ?? 1),
  /** Postings per page, 1 to JOBS_API_MAX_PER_PAGE (default JOBS_API_PER_PAGE). */
  perPage: queryInteger(JOBS_API_MAX_PER_PAGE).transform((size) => size ?? JOBS_API_PER_PAGE),
});

/** One open posting, as the list shows it. */
export const jobsApiPostingSchema = z
  .object({
    slug: z.string().regex(SLUG_PATTERN).describe('Stable identifier of the posting, the same in every language.'),
    title: z.string().describe('Title in the requested language.'),
    team: z.string().describe('The hiring team.'),
    location: z
      .object({
        city: z.string().describe('City, as written in the requested language.'),
        region: z.string().describe('Region or state.'),
        countryCode: z.string().length(2).describe('ISO 3166-1 alpha-2 country code.'),
      })
      .describe('Where the work happens.'),
    employmentType: z.enum(EMPLOYMENT_TYPES).describe('schema.org employment type.'),
    workplace: z.enum(WORKPLACES).describe('On site, hybrid or remote.'),
    datePosted: z.iso.date().describe('Day the posting was published, YYYY-MM-DD.'),
    validThrough: z.iso.date().nullable().describe('Last day applications are taken (Munich time), YYYY-MM-DD; null when open-ended.'),
    summary: z.string().describe('One or two sentences about the role.'),
    url: z.url().describe('The posting page (canonical, on SITE_URL).'),
    applyUrl: z.url().describe('The application form on its own page.'),
    fragmentUrl: z.url().describe('The posting as an HTML fragment for host pages.'),
  })
  .describe('One open posting.');

/** The answer: one page of the postings that take applications now, newest first. */
export const jobsApiResponseSchema = z
  .object({
    locale: z.enum(LOCALES).describe('The language of the postings.'),
    page: z.int().min(1).describe('This page, from 1 (query parameter `page`).'),
    pageCount: z
      .int()
      .min(1)
      .describe(`How many pages there are at this page size (query parameter perPage, default ${JOBS_API_PER_PAGE}, at most ${JOBS_API_MAX_PER_PAGE}); the next and previous pages are linked in the Link header (rel="next", rel="prev").`),
    total: z.int().min(0).describe('How many open postings match, on all pages.'),
    jobs: z.array(jobsApiPostingSchema).describe('The open postings of this page, newest first.'),
  })
  .meta({ title: 'Open postings', description: 'The answer of GET <base>/api/jobs?locale=<locale>[&page=<n>][&perPage=<n>]: one page of the open postings.' });

/** One posting of the answer. */
export type JobsApiPosting = z.infer<typeof jobsApiPostingSchema>;
/** The answer of `/api/jobs`. */
export type JobsApiResponse = z.infer<typeof jobsApiResponseSchema>;
