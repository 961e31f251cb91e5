import { getCollection, getEntry, type CollectionEntry } from 'astro:content';
import { LOCALES, type Locale } from '#src/i18n/locales.ts';
import { SLUG_PATTERN } from '#src/schemas/job.ts';
import { acceptsApplications, isPublished } from '#functions/postings/lifecycle.ts';

/** A job posting entry of the content collection. */
export type JobEntry = CollectionEntry<'jobs'>;

/** Splits an entry id "en/machine-learning-intern" into its locale and slug. */
export function parseJobId(id: string): { locale: Locale; slug: string } {
  const [locale, slug] = id.split('/');
  const known = LOCALES.find((candidate) => candidate === locale);
  if (!known || !slug) {
    throw new Error(`content/jobs/${id}.md: postings live in content/jobs/<locale>/<slug>.md with <locale> one of ${LOCALES.join(', ')}`);
  }
  return { locale: known, slug };
}

/** The postings of a locale that are published: drafts only in `astro dev`. */
export async function getPublishedJobs(locale: Locale): Promise<JobEntry[]> {
  const entries = await getCollection('jobs', (entry) => parseJobId(entry.id).locale === locale && isPublished(entry.data, { includeDrafts: import.meta.env.DEV }));
  return entries.sort((a, b) => b.data.datePosted.getTime() - a.data.datePosted.getTime() || a.data.title.localeCompare(b.data.title, locale));
}

/**
 * The posting with this slug in this locale, for on-demand routes. Slugs come from strangers
 * (URLs, form fields): only well-formed ones are looked up.
 */
export async function findJobEntry(locale: Locale, slug: string): Promise<JobEntry | undefined> {
  if (!SLUG_PATTERN.test(slug)) return undefined;
  return (await getEntry('jobs', `${locale}/${slug}`)) ?? undefined;
}

/**
 * The postings of a locale that take applications at `now`, newest first: what the list page,
 * the list fragment and `/api/jobs` show. The one place that answers "which postings are open".
 */
export async function getOpenJobs(locale: Locale, now: Date): Promise<JobEntry[]> {
  return (await getPublishedJobs(locale)).filter((entry) => acceptsApplications(entry.data, now));
}
