/**
 * What the Worker knows of one locale's content: every published posting's front matter
 * (newest first) and the privacy notice's version, never a posting's body. The build writes it
 * from the content collection, whose zod schema parsed every field
 * (`<locale>/content.json`, src/pages/[locale]/content.json.ts); the Worker reads that file once
 * per isolate (src/server/content.ts) and renders the list, the fragments, `/api/jobs` and the
 * forms from it. So the Worker's code stays the same size however many postings there are, and
 * a request costs about the same whether the site has 30 postings or 1,000.
 */
import { acceptsApplicationsOn } from '#functions/postings/lifecycle.ts';
import type { Locale } from '#src/i18n/locales.ts';
import type { Job } from '#src/schemas/job.ts';

/** A posting without its body: where it lives and its front matter as the schema parsed it. */
export interface Posting {
  locale: Locale;
  /** Its file name and web address, the same in every locale, e.g. "machine-learning-intern". */
  slug: string;
  data: Job;
}

/** One locale's content as the Worker needs it. */
export interface ContentIndex {
  locale: Locale;
  /**
   * Version of `content/pages/<locale>/privacy.md`, stored with every consent; undefined when
   * the page is missing (the content checks refuse to build without it).
   */
  privacyNoticeVersion: string | undefined;
  /** The published postings, newest first (drafts only in `astro dev`). */
  postings: Posting[];
}

/** The file's shape: JSON has no dates, so the two dates of a posting travel as ISO strings. */
interface StoredIndex extends Omit<ContentIndex, 'postings'> {
  postings: Array<Omit<Posting, 'data'> & { data: Omit<Job, 'datePosted' | 'validThrough'> & { datePosted: string; validThrough?: string } }>;
}

/** The index as the build writes it. */
export function serializeContentIndex(index: ContentIndex): string {
  return JSON.stringify(index);
}

/**
 * Reads the file the build wrote from this same code. It is not parsed again by the zod
 * schema: the build did that for every field, and re-checking 1,000 postings would cost the
 * Worker more than everything else it does for a list; only the dates are restored.
 */
export function parseContentIndex(text: string): ContentIndex {
  const stored = JSON.parse(text) as StoredIndex;
  return {
    ...stored,
    postings: stored.postings.map(({ data: { datePosted, validThrough, ...rest }, ...posting }) => ({
      ...posting,
      data: { ...rest, datePosted: new Date(datePosted), ...(validThrough !== undefined && { validThrough: new Date(validThrough) }) },
    })),
  };
}

/** The postings of the index that take applications on a Munich calendar day, newest first. */
export function openPostings(postings: readonly Posting[], munichDay: string): Posting[] {
  return postings.filter((posting) => acceptsApplicationsOn(posting.data, munichDay));
}
