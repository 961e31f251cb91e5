import type { APIRoute, GetStaticPaths } from 'astro';
import { LOCALES, type Locale } from '../../i18n/locales';
import { openPostingsFeed } from '../../lib/feedData';
import { renderJsonFeed } from '../../lib/feeds';

export const prerender = true;

export const getStaticPaths = (() => LOCALES.map((locale) => ({ params: { locale }, props: { locale } }))) satisfies GetStaticPaths;

/** JSON Feed 1.1 of a locale's open postings, `/<locale>/feed.json`. */
export const GET: APIRoute<{ locale: Locale }> = async ({ props, site }) =>
  new Response(renderJsonFeed(await openPostingsFeed(props.locale, site, 'feed.json')), {
    headers: { 'Content-Type': 'application/feed+json; charset=utf-8' },
  });
