import type { APIRoute, GetStaticPaths } from 'astro';
import { LOCALES, type Locale } from '#src/i18n/locales.ts';
import { openPostingsFeed } from '#src/postings/openFeed.ts';
import { renderJsonFeed } from '#src/postings/feeds.ts';

export const prerender = true;

export const getStaticPaths = (() => LOCALES.map((locale) => ({ params: { locale }, props: { locale } }))) satisfies GetStaticPaths;

/** JSON Feed 1.1 of a locale's open postings, `/<locale>/feed.json`. */
export const GET: APIRoute<{ locale: Locale }> = async ({ props, site }) =>
  new Response(renderJsonFeed(await openPostingsFeed(props.locale, site, 'feed.json')), {
    headers: { 'Content-Type': 'application/feed+json; charset=utf-8' },
  });
