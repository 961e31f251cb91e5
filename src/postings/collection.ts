/**
 * The content collections as the build reads them (and `astro dev`, which renders every page on
 * request): the prerendered pages, feeds and sitemap, and the content index and posting bodies
 * the build writes for the Worker. The Worker itself never imports this module, so it never
 * bundles the collections' data store with every posting's text (src/server/content.ts).
 */
import { getCollection, getEntry, type CollectionEntry } from 'astro:content';
import { isPublished } from '#functions/postings/lifecycle.ts';
import { isoDay } from '#functions/time.ts';
import { LOCALES, type Locale } from '#src/i18n/locales.ts';
import type { ContentIndex, Posting } from '#src/postings/contentIndex.ts';
import { SLUG_PATTERN } from '#src/schemas/job.ts';

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

/** The posting of an entry, without its body. */
export function toPosting(entry: JobEntry): Posting {
  return { ...parseJobId(entry.id), data: entry.data };
}

/** The postings of a locale that are published: drafts only in `astro dev`. */
export async function getPublishedJobs(locale: Locale): Promise<JobEntry[]> {
  const entries = await getCollection('jobs', (entry) => parseJobId(entry.id).locale === locale && isPublished(entry.data, { includeDrafts: import.meta.env.DEV }));
  return entries.sort((a, b) => b.data.datePosted.getTime() - a.data.datePosted.getTime() || a.data.title.localeCompare(b.data.title, locale));
}

/** A locale's content index: its published postings' front matter and the privacy notice's version. */
export async function buildContentIndex(locale: Locale): Promise<ContentIndex> {
  const privacy = await getEntry('pages', `${locale}/privacy`);
  return {
    locale,
    // Without an explicit version the day of the last change identifies the text.
    privacyNoticeVersion: privacy && (privacy.data.version ?? isoDay(privacy.data.updated)),
    postings: (await getPublishedJobs(locale)).map(toPosting),
  };
}

/** The rendered body of a published posting, or undefined if there is none such. */
export async function postingBodyHtml(locale: Locale, slug: string): Promise<string | undefined> {
  if (!SLUG_PATTERN.test(slug)) return undefined;
  const entry = await getEntry('jobs', `${locale}/${slug}`);
  return entry && isPublished(entry.data, { includeDrafts: import.meta.env.DEV }) ? (entry.rendered?.html ?? '') : undefined;
}
