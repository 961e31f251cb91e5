import type { APIRoute, GetStaticPaths } from 'astro';
import { LOCALES, type Locale } from '#src/i18n/locales.ts';
import { openPostingsFeed } from '#src/postings/openFeed.ts';
import { renderRss } from '#src/postings/feeds.ts';

export const prerender = true;

export const getStaticPaths = (() => LOCALES.map((locale) => ({ params: { locale }, props: { locale } }))) satisfies GetStaticPaths;

/** RSS 2.0 feed of a locale's open postings, `/<locale>/feed.xml`. */
export const GET: APIRoute<{ locale: Locale }> = async ({ props, site }) =>
  new Response(renderRss(await openPostingsFeed(props.locale, site, 'feed.xml')), {
    headers: { 'Content-Type': 'application/rss+xml; charset=utf-8' },
  });
