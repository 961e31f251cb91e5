/**
 * `<locale>/jobs/<slug>/posting.jsonld`: the posting's schema.org JobPosting on its own, for a
 * host that embeds the posting (a fragment's JSON-LD sits in a shadow root, where search
 * engines do not count it) and puts this into its page's `<head>`. Same generator as the
 * posting page; `url` is the canonical page on SITE_URL. A posting that no longer takes
 * applications answers 410 (Google wants expired postings' data removed), an unknown one 404.
 */
import type { APIRoute } from 'astro';
import { problem } from '#functions/http.ts';
import { acceptsApplications } from '#functions/postings/lifecycle.ts';
import { negotiateLocale } from '#functions/language/negotiate.ts';
import { DEFAULT_LOCALE, isLocale, LOCALES } from '#src/i18n/locales.ts';
import { absoluteUrl } from '#src/i18n/paths.ts';
import { translate, useTranslations } from '#src/i18n/ui.ts';
import { postingsCacheControl } from '#src/postings/caching.ts';
import { findJobEntry } from '#src/postings/collection.ts';
import { jobPostingJsonLd, serializeJsonLd } from '#src/postings/jobPostingJsonLd.ts';

export const prerender = false;

export const GET: APIRoute = async ({ params, request, site }) => {
  const { locale, slug = '' } = params;
  // An unknown language: the same problem, in the visitor's language.
  if (!isLocale(locale)) return problem(404, translate(negotiateLocale(request, LOCALES, DEFAULT_LOCALE), 'apply.error.notFound'));
  const t = useTranslations(locale);
  const entry = await findJobEntry(locale, slug);
  if (!entry || entry.data.status === 'draft') return problem(404, t('apply.error.notFound'));
  const now = new Date();
  if (!acceptsApplications(entry.data, now)) return problem(410, t('job.closed'));
  return new Response(serializeJsonLd(jobPostingJsonLd(entry, absoluteUrl(site, locale, `jobs/${slug}/`))), {
    headers: {
      'Content-Type': 'application/ld+json; charset=utf-8',
      'Cache-Control': postingsCacheControl([entry.data], now),
    },
  });
};
