/**
 * The machine-readable views of the postings: RSS 2.0 and JSON Feed 1.1 per locale, and the
 * sitemap with hreflang alternates. Pure functions from plain data to text, so they are
 * tested without a build; the endpoints in src/pages/ feed them.
 */
import { isoDay } from '#functions/time.ts';

/** One posting as the feeds show it. */
export interface FeedItem {
  /** Absolute URL of the posting page; also its stable id. */
  url: string;
  title: string;
  /** The one-paragraph summary. */
  summary: string;
  /** The rendered Markdown body. */
  contentHtml: string;
  /** datePosted. */
  published: Date;
  /** Last day applications are accepted, if the posting has one. */
  validThrough?: Date | undefined;
  team: string;
  /** Human-readable location in the feed's language, e.g. "München, Bayern". */
  location: string;
  /** schema.org employment type, e.g. "INTERN". */
  employmentType: string;
  /** Employment type in the feed's language, e.g. "Praktikum". */
  employmentTypeLabel: string;
}

/** One locale's feed. */
export interface Feed {
  title: string;
  description: string;
  /** BCP 47 language tag, e.g. "de-DE". */
  language: string;
  /** Absolute URL of the list page. */
  homePageUrl: string;
  /** Absolute URL of this feed. */
  feedUrl: string;
  /** Absolute URL of the site icon. */
  iconUrl?: string;
  items: readonly FeedItem[];
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text for XML element content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => XML_ESCAPES[character] ?? character);
}

/** RSS 2.0, newest posting first; the feed links itself (atom:link) as validators ask. */
export function renderRss(feed: Feed): string {
  const newest = feed.items[0]?.published;
  const items = feed.items.map((item) =>
    [
      '    <item>',
      `      <title>${escapeXml(item.title)}</title>`,
      `      <link>${escapeXml(item.url)}</link>`,
      `      <guid isPermaLink="true">${escapeXml(item.url)}</guid>`,
      `      <pubDate>${item.published.toUTCString()}</pubDate>`,
      `      <description>${escapeXml(item.summary)}</description>`,
      `      <category>${escapeXml(item.team)}</category>`,
      `      <category>${escapeXml(item.employmentTypeLabel)}</category>`,
      '    </item>',
    ].join('\n'),
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
    '  <channel>',
    `    <title>${escapeXml(feed.title)}</title>`,
    `    <link>${escapeXml(feed.homePageUrl)}</link>`,
    `    <description>${escapeXml(feed.description)}</description>`,
    `    <language>${escapeXml(feed.language)}</language>`,
    `    <atom:link href="${escapeXml(feed.feedUrl)}" rel="self" type="application/rss+xml"/>`,
    ...(newest ? [`    <lastBuildDate>${newest.toUTCString()}</lastBuildDate>`] : []),
    ...items,
    '  </channel>',
    '</rss>',
    '',
  ].join('\n');
}

/**
 * JSON Feed 1.1 (https://jsonfeed.org/version/1.1). The `_job` extension carries what a host
 * site needs to show and expire a posting itself: validThrough, type, team and location.
 */
export function renderJsonFeed(feed: Feed): string {
  const document = {
    version: 'https://jsonfeed.org/version/1.1',
    title: feed.title,
    description: feed.description,
    home_page_url: feed.homePageUrl,
    feed_url: feed.feedUrl,
    language: feed.language,
    ...(feed.iconUrl && { favicon: feed.iconUrl }),
    items: feed.items.map((item) => ({
      id: item.url,
      url: item.url,
      title: item.title,
      summary: item.summary,
      content_html: item.contentHtml,
      date_published: item.published.toISOString(),
      tags: [item.team, item.employmentTypeLabel],
      _job: {
        about: 'https://schema.org/JobPosting',
        employmentType: item.employmentType,
        team: item.team,
        location: item.location,
        ...(item.validThrough && { validThrough: isoDay(item.validThrough) }),
      },
    })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** One page of the sitemap, in every language it exists in. */
export interface SitemapPage {
  /** Absolute URL per language tag (hreflang), e.g. { en: "…/en/", de: "…/de/" }. */
  alternates: Readonly<Record<string, string>>;
  /** The language whose URL is x-default. */
  defaultLanguage: string;
  /** Day the page last changed, if known. */
  lastModified?: Date | undefined;
}

/** A sitemap: one <url> per language version, each listing all versions (xhtml:link). */
export function renderSitemap(pages: readonly SitemapPage[]): string {
  const urls = pages.flatMap((page) => {
    const links = Object.entries(page.alternates).map(([hreflang, href]) => `    <xhtml:link rel="alternate" hreflang="${escapeXml(hreflang)}" href="${escapeXml(href)}"/>`);
    const fallback = page.alternates[page.defaultLanguage];
    if (fallback) links.push(`    <xhtml:link rel="alternate" hreflang="x-default" href="${escapeXml(fallback)}"/>`);
    return Object.values(page.alternates).map((loc) =>
      ['  <url>', `    <loc>${escapeXml(loc)}</loc>`, ...(page.lastModified ? [`    <lastmod>${isoDay(page.lastModified)}</lastmod>`] : []), ...links, '  </url>'].join('\n'),
    );
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ...urls,
    '</urlset>',
    '',
  ].join('\n');
}
