/**
 * `<locale>/jobs/<slug>/posting.jsonld`: the posting's schema.org JobPosting on its own, for a
 * host that embeds the posting (a fragment's JSON-LD sits in a shadow root, where search
 * engines do not count it) and puts this into its page's `<head>`. Same generator as the
 * posting page; `url` is the canonical page on SITE_URL. A posting that no longer takes
 * applications answers 410 (Google wants expired postings' data removed), an unknown one 404.
 * Answered by the Worker from the content index and the posting's body, without Astro.
 */
import { site } from 'astro:config/client';
import { problem } from '#functions/http.ts';
import { negotiateLocale } from '#functions/language/negotiate.ts';
import { acceptsApplications } from '#functions/postings/lifecycle.ts';
import { DEFAULT_LOCALE, isLocale, LOCALES } from '#src/i18n/locales.ts';
import { absoluteUrl } from '#src/i18n/paths.ts';
import { translate, useTranslations } from '#src/i18n/ui.ts';
import { postingsCacheControl } from '#src/postings/caching.ts';
import { jobPostingJsonLd, serializeJsonLd } from '#src/postings/jobPostingJsonLd.ts';
import { findPosting, postingBody } from '#src/server/content.ts';

/** The public origin of our pages (SITE_URL), where the JobPosting's `url` leads. */
const SITE = site ? new URL(site) : undefined;

/**
 * Answers a GET of `<locale>/jobs/<slug>/posting.jsonld` (the Worker answers HEAD and other
 * methods, src/server/embed.ts); `path` is below the base, without leading slash.
 */
export async function handlePostingJsonLdRequest(request: Request, path: string): Promise<Response> {
  const [locale, , slug = ''] = path.split('/');
  // An unknown language: the same problem, in the visitor's language.
  if (!isLocale(locale)) return problem(404, translate(negotiateLocale(request, LOCALES, DEFAULT_LOCALE), 'apply.error.notFound'));
  const t = useTranslations(locale);
  const posting = await findPosting(locale, slug);
  if (!posting || posting.data.status === 'draft') return problem(404, t('apply.error.notFound'));
  const now = new Date();
  if (!acceptsApplications(posting.data, now)) return problem(410, t('job.closed'));
  const jsonLd = jobPostingJsonLd(posting, await postingBody(posting), absoluteUrl(SITE, locale, `jobs/${slug}/`));
  return new Response(serializeJsonLd(jsonLd), {
    headers: {
      'Content-Type': 'application/ld+json; charset=utf-8',
      'Cache-Control': postingsCacheControl([posting.data], now),
    },
  });
}
