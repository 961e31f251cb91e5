/**
 * `/<locale>/jobs/<slug>/body.json`: a posting's rendered text, `{ "html": "…" }`, written by the
 * build for the Worker, which reads it when it renders that one posting (its fragment for hosts,
 * its `posting.jsonld`) instead of bundling every posting's text. Public like the posting page.
 */
import type { APIRoute, GetStaticPaths } from 'astro';
import { LOCALES } from '#src/i18n/locales.ts';
import { getPublishedJobs, parseJobId, type JobEntry } from '#src/postings/collection.ts';

export const prerender = true;

export const getStaticPaths = (async () => {
  const perLocale = await Promise.all(LOCALES.map((locale) => getPublishedJobs(locale)));
  return perLocale.flat().map((entry) => ({ params: parseJobId(entry.id), props: { entry } }));
}) satisfies GetStaticPaths;

export const GET: APIRoute<{ entry: JobEntry }> = ({ props }) =>
  new Response(JSON.stringify({ html: props.entry.rendered?.html ?? '' }), {
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
  });
