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

/** The answer: the postings that take applications now, newest first. */
export const jobsApiResponseSchema = z
  .object({
    locale: z.enum(LOCALES).describe('The language of the postings.'),
    jobs: z.array(jobsApiPostingSchema).describe('Open postings, newest first.'),
  })
  .meta({ title: 'Open postings', description: 'The answer of GET <base>/api/jobs?locale=<locale>.' });

/** One posting of the answer. */
export type JobsApiPosting = z.infer<typeof jobsApiPostingSchema>;
/** The answer of `/api/jobs`. */
export type JobsApiResponse = z.infer<typeof jobsApiResponseSchema>;
