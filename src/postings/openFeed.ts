import { LOCALE_INFO, type Locale } from '#src/i18n/locales.ts';
import { absoluteUrl, BASE } from '#src/i18n/paths.ts';
import { useTranslations } from '#src/i18n/ui.ts';
import { acceptsApplications } from '#functions/postings/lifecycle.ts';
import type { Feed } from '#src/postings/feeds.ts';
import { getPublishedJobs, parseJobId } from '#src/postings/collection.ts';

/**
 * A locale's feed of the postings open at build time, newest first. Feeds are prerendered:
 * a posting whose validThrough passes stays in them until the next build, which is why the
 * JSON Feed carries validThrough for consumers to check.
 */
export async function openPostingsFeed(locale: Locale, site: URL | undefined, file: 'feed.xml' | 'feed.json'): Promise<Feed> {
  const t = useTranslations(locale);
  const now = new Date();
  const jobs = (await getPublishedJobs(locale)).filter((entry) => acceptsApplications(entry.data, now));
  return {
    title: t('feed.title'),
    description: t('feed.description'),
    language: LOCALE_INFO[locale].tag,
    homePageUrl: absoluteUrl(site, locale),
    feedUrl: absoluteUrl(site, locale, file),
    ...(site && { iconUrl: new URL(`${BASE}favicon.svg`, site).href }),
    items: jobs.map((entry) => ({
      url: absoluteUrl(site, locale, `jobs/${parseJobId(entry.id).slug}/`),
      title: entry.data.title,
      summary: entry.data.summary,
      contentHtml: entry.rendered?.html ?? '',
      published: entry.data.datePosted,
      validThrough: entry.data.validThrough,
      team: entry.data.team,
      location: `${entry.data.location.city}, ${entry.data.location.region}`,
      employmentType: entry.data.employmentType,
      employmentTypeLabel: t(`employmentType.${entry.data.employmentType}`),
    })),
  };
}
