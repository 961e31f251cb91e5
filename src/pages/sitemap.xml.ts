import type { APIRoute } from 'astro';
import { getCollection } from 'astro:content';
import { DEFAULT_LOCALE, LOCALES, isLocale, type Locale } from '#src/i18n/locales.ts';
import { absoluteUrl } from '#src/i18n/paths.ts';
import { renderSitemap, type SitemapPage } from '#src/postings/feeds.ts';
import { getPublishedJobs, parseJobId } from '#src/postings/collection.ts';
import { acceptsApplications } from '#functions/postings/lifecycle.ts';

export const prerender = true;

/** Every language version of a locale-relative path, keyed by hreflang (as in the pages' head). */
function alternates(site: URL | undefined, path: string): Record<string, string> {
  return Object.fromEntries(LOCALES.map((locale) => [locale, absoluteUrl(site, locale, path)]));
}

/**
 * `/sitemap.xml`: the list pages, the postings open at build time and the editor-managed
 * pages, each with its hreflang alternates. The content checks guarantee every posting and
 * page exists in every locale under the same path.
 */
export const GET: APIRoute = async ({ site }) => {
  const now = new Date();
  const postings = new Map<string, Date>();
  for (const entry of await getPublishedJobs(DEFAULT_LOCALE)) {
    if (acceptsApplications(entry.data, now)) postings.set(parseJobId(entry.id).slug, entry.data.datePosted);
  }
  const pages = new Map<string, Date>();
  for (const entry of await getCollection('pages')) {
    const [locale, name] = entry.id.split('/');
    if (isLocale(locale) && locale === DEFAULT_LOCALE && name) pages.set(name, entry.data.updated);
  }
  const defaultLanguage: Locale = DEFAULT_LOCALE;
  const entries: SitemapPage[] = [
    { alternates: alternates(site, ''), defaultLanguage },
    ...[...postings].map(([slug, posted]) => ({ alternates: alternates(site, `jobs/${slug}/`), defaultLanguage, lastModified: posted })),
    ...[...pages].map(([name, updated]) => ({ alternates: alternates(site, `${name}/`), defaultLanguage, lastModified: updated })),
  ];
  return new Response(renderSitemap(entries), { headers: { 'Content-Type': 'application/xml; charset=utf-8' } });
};
