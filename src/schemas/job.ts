import { z } from 'astro/zod';
import { POSTING_STATUSES } from '#functions/postings/lifecycle.ts';
import { isoDay } from '#functions/time.ts';

/** A posting's slug (its file name and web address): lowercase letters, digits, hyphens. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** schema.org employment types accepted by Google for JobPosting. */
export const EMPLOYMENT_TYPES = [
  'FULL_TIME',
  'PART_TIME',
  'CONTRACTOR',
  'TEMPORARY',
  'INTERN',
  'VOLUNTEER',
  'PER_DIEM',
  'OTHER',
] as const;

/** Where the work happens. */
export const WORKPLACES = ['on-site', 'hybrid', 'remote'] as const;

const contentDate = () => z.coerce.date({ error: 'must be a date written as YYYY-MM-DD, e.g. 2025-11-21' });

/** A day as YYYY-MM-DD, for messages that name a date. */
const day = (value: unknown) => (value instanceof Date && !Number.isNaN(value.getTime()) ? isoDay(value) : String(value));

/** Short hash of a source text, as written by `npm run content:reviewed`. */
export const SOURCE_HASH_PATTERN = /^[0-9a-f]{8}$/;

/** Where the job is; the street address feeds the JobPosting structured data. */
export const jobLocationSchema = z.strictObject({
  /** Street and number, e.g. "Karlstraße 77". */
  streetAddress: z.string({ error: 'add the street address, e.g. "Karlstraße 77"' }).min(1),
  /** Postal code, e.g. "80335". */
  postalCode: z.string({ error: 'add the postal code, e.g. "80335"' }).min(1),
  /** City in the posting's language, e.g. "Munich" or "München". */
  city: z.string({ error: 'add the city, e.g. "Munich"' }).min(1),
  /** Region or state in the posting's language, e.g. "Bavaria". */
  region: z.string({ error: 'add the region, e.g. "Bavaria"' }).min(1),
  /** ISO 3166-1 alpha-2 country code, e.g. "DE". */
  countryCode: z
    .string({ error: 'add the two-letter country code, e.g. "DE"' })
    .regex(/^[A-Z]{2}$/, 'use the two capital letters of ISO 3166-1, e.g. "DE"'),
});

/** The company that hires. */
export const hiringOrganizationSchema = z.strictObject({
  /** Legal or brand name, e.g. "Apple". */
  name: z.string({ error: 'add the company name, e.g. "Apple"' }).min(1),
  /** The company's website, e.g. "https://www.apple.com". */
  url: z.url({ error: 'use a full web address starting with https://, e.g. "https://www.apple.com"' }),
});

/** Pay, when the posting lists it; omitted when no salary is listed. */
export const salarySchema = z.strictObject({
  /** ISO 4217 currency, e.g. "EUR". */
  currency: z.string().regex(/^[A-Z]{3}$/, 'use the three capital letters of ISO 4217, e.g. "EUR"'),
  /** Lowest amount per unit. */
  min: z.number().positive(),
  /** Highest amount per unit; equal to min for a fixed amount. */
  max: z.number().positive(),
  /** What the amount is paid per. */
  unit: z.enum(['HOUR', 'DAY', 'WEEK', 'MONTH', 'YEAR']),
});

/** Frontmatter of a job posting, `content/jobs/<locale>/<slug>.md`. Unknown keys are errors. */
export const jobSchema = z
  .strictObject({
    /** The job title as shown, in the posting's language; German titles carry "(m/w/d)". */
    title: z.string({ error: 'add a title, e.g. "Machine Learning Intern"' }).min(1).max(120),
    /** The team that hires, e.g. "Video Computer Vision (VCV)". */
    team: z.string({ error: 'add the hiring team, e.g. "Video Computer Vision (VCV)"' }).min(1),
    /** Where the job is. */
    location: jobLocationSchema,
    /** schema.org employment type, e.g. INTERN or FULL_TIME. */
    employmentType: z.enum(EMPLOYMENT_TYPES, { error: `use one of ${EMPLOYMENT_TYPES.join(', ')}` }),
    /** on-site, hybrid or remote. */
    workplace: z.enum(WORKPLACES, { error: `use one of ${WORKPLACES.join(', ')}` }),
    /** Day the posting was first published, YYYY-MM-DD. */
    datePosted: contentDate(),
    /** Last day applications are accepted, YYYY-MM-DD; after it the posting counts as closed. */
    validThrough: contentDate().optional(),
    /** draft (never published), open (listed, takes applications) or closed. */
    status: z.enum(POSTING_STATUSES, { error: `use one of ${POSTING_STATUSES.join(', ')}` }),
    /** The company that hires. */
    hiringOrganization: hiringOrganizationSchema,
    /** Pay; leave out when the posting lists no salary. */
    salary: salarySchema.optional(),
    /** One paragraph (at most 300 characters) for lists, search results and link previews. */
    summary: z
      .string({ error: 'add a one-paragraph summary of at most 300 characters' })
      .min(1)
      .max(300, 'shorten the summary to at most 300 characters; the full text belongs in the body'),
    /**
     * Translations only: which revision of the English source this text translates, a short
     * hash written by `npm run content:reviewed -- <locale> <slug>`. Never edit it by hand.
     */
    sourceHash: z
      .string({ error: 'run `npm run content:reviewed -- <locale> <slug>` to write it' })
      .regex(SOURCE_HASH_PATTERN, 'must be 8 characters 0-9/a-f; run `npm run content:reviewed -- <locale> <slug>` to write it')
      .optional(),
  })
  .refine((job) => !job.validThrough || job.validThrough > job.datePosted, {
    path: ['validThrough'],
    error: (issue) => {
      const input: unknown = issue.input;
      const posted = typeof input === 'object' && input !== null && 'datePosted' in input ? input.datePosted : undefined;
      return `must be after datePosted (${day(posted)})`;
    },
  });

/** A job posting's frontmatter, as validated. */
export type Job = z.infer<typeof jobSchema>;
