/**
 * Composition root of the content for on-demand routes: the Worker renders the list, the
 * fragments, `/api/jobs`, `posting.jsonld` and the forms from the content index and the posting
 * bodies that the build wrote as static files (src/postings/contentIndex.ts), read through the
 * `ASSETS` binding. The index is read once per isolate and locale; which postings are open is
 * worked out once per Munich calendar day. Nothing here bundles the content collections, so the
 * Worker's code does not grow with the postings (`astro dev`, which writes no files, reads the
 * collections directly).
 */
import { env } from 'cloudflare:workers';
import { todayInMunich } from '#functions/time.ts';
import type { Locale } from '#src/i18n/locales.ts';
import { BASE } from '#src/i18n/paths.ts';
import { openPostings, parseContentIndex, type ContentIndex, type Posting } from '#src/postings/contentIndex.ts';
import { SLUG_PATTERN } from '#src/schemas/job.ts';

/** A content index with its postings by slug. */
interface LoadedIndex extends ContentIndex {
  bySlug: ReadonlyMap<string, Posting>;
  /** The open postings of the last Munich day asked for. */
  open?: { day: string; postings: readonly Posting[] };
}

/** Only the path of an assets request counts; the origin is a placeholder. */
const ASSETS_ORIGIN = 'https://assets.invalid';

/** Reads a static file the build wrote, by its path below the base ("en/content.json"). */
async function readBuiltFile(path: string): Promise<Response> {
  const response = await env.ASSETS.fetch(new URL(`${BASE}${path}`, ASSETS_ORIGIN));
  if (response.status !== 200 && response.status !== 404) {
    throw new Error(`${BASE}${path}: the static assets answered ${response.status}`);
  }
  return response;
}

async function loadIndex(locale: Locale): Promise<LoadedIndex> {
  let index: ContentIndex;
  if (import.meta.env.DEV) {
    index = await (await import('#src/postings/collection.ts')).buildContentIndex(locale);
  } else {
    const response = await readBuiltFile(`${locale}/content.json`);
    // The build writes one per locale (src/pages/[locale]/content.json.ts): missing is a broken build.
    if (!response.ok) throw new Error(`${BASE}${locale}/content.json is missing from the static assets; rebuild the site`);
    index = parseContentIndex(await response.text());
  }
  return { ...index, bySlug: new Map(index.postings.map((posting) => [posting.slug, posting])) };
}

const indexes = new Map<Locale, Promise<LoadedIndex>>();

/** The locale's content index, read once per isolate (in `astro dev`, on every call: edits show at once). */
export function contentIndex(locale: Locale): Promise<LoadedIndex> {
  if (import.meta.env.DEV) return loadIndex(locale);
  let index = indexes.get(locale);
  if (!index) {
    index = loadIndex(locale);
    indexes.set(locale, index);
    // A failed read is not kept: the next request tries again.
    index.catch(() => indexes.delete(locale));
  }
  return index;
}

/**
 * The postings of a locale that take applications at `now`, newest first: what the list page,
 * the list fragment and `/api/jobs` show. The one place that answers "which postings are open".
 */
export async function getOpenJobs(locale: Locale, now: Date): Promise<readonly Posting[]> {
  const index = await contentIndex(locale);
  const day = todayInMunich(now);
  if (index.open?.day !== day) index.open = { day, postings: openPostings(index.postings, day) };
  return index.open.postings;
}

/**
 * The published posting with this slug in this locale, for on-demand routes. Slugs come from
 * strangers (URLs, form fields): only well-formed ones are looked up.
 */
export async function findPosting(locale: Locale, slug: string): Promise<Posting | undefined> {
  if (!SLUG_PATTERN.test(slug)) return undefined;
  return (await contentIndex(locale)).bySlug.get(slug);
}

/** The rendered body (HTML) of a published posting, from the file the build wrote for it. */
export async function postingBody(posting: Posting): Promise<string> {
  if (import.meta.env.DEV) return (await (await import('#src/postings/collection.ts')).postingBodyHtml(posting.locale, posting.slug)) ?? '';
  const response = await readBuiltFile(`${posting.locale}/jobs/${posting.slug}/body.json`);
  if (!response.ok) throw new Error(`${BASE}${posting.locale}/jobs/${posting.slug}/body.json is missing from the static assets; rebuild the site`);
  const { html } = (await response.json()) as { html: string };
  return html;
}
