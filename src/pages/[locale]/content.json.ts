/**
 * `/<locale>/content.json`: the locale's content index for the Worker (src/postings/contentIndex.ts),
 * written by the build from the content collection. The Worker renders its lists and forms from
 * it instead of bundling every posting's text; the file is public like the pages it comes from.
 */
import type { APIRoute, GetStaticPaths } from 'astro';
import { LOCALES, type Locale } from '#src/i18n/locales.ts';
import { buildContentIndex } from '#src/postings/collection.ts';
import { serializeContentIndex } from '#src/postings/contentIndex.ts';

export const prerender = true;

export const getStaticPaths = (() => LOCALES.map((locale) => ({ params: { locale }, props: { locale } }))) satisfies GetStaticPaths;

export const GET: APIRoute<{ locale: Locale }> = async ({ props }) =>
  new Response(serializeContentIndex(await buildContentIndex(props.locale)), {
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
  });
