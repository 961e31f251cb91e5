import { base } from 'astro:config/client';
import type { Locale } from './locales.ts';

/**
 * The base path with leading and trailing slash, e.g. "/" or "/careers/". Read from Astro's
 * config module, which (unlike import.meta.env.BASE_URL) is also right in the Worker entry;
 * its client variant is plain constants, where `astro:config/server` would make every module
 * that needs the base load Astro's whole server manifest at startup.
 */
export const BASE = base.endsWith('/') ? base : `${base}/`;

/** Path of a page in a locale; `path` is locale-relative, e.g. "jobs/machine-learning-intern/". */
export function localizedPath(locale: Locale, path = ''): string {
  return `${BASE}${locale}/${path}`;
}

/** Path of the language switch that remembers `locale` and leads to the same page in it. */
export function languageSwitchPath(locale: Locale, path = ''): string {
  return `${BASE}language/${locale}/${path}`;
}

/** Absolute URL of a locale-relative page, for canonical, hreflang and structured data. */
export function absoluteUrl(site: URL | undefined, locale: Locale, path = ''): string {
  if (!site) throw new Error('astro.config.mjs: site is not set; set SITE_URL to the public origin');
  return new URL(localizedPath(locale, path), site).href;
}

/**
 * Path of a page of the recruiters' inbox, e.g. inboxPath('de', 'jobs/x/'). Without a locale,
 * the address that picks the recruiter's language (the Worker redirects unprefixed paths to the
 * visitor's language, as for every page): the one e-mails and bookmarks use.
 */
export function inboxPath(locale: Locale | undefined, path = ''): string {
  return `${BASE}${locale ? `${locale}/` : ''}recruiters/${path}`;
}

/** Path of the applicant's own page behind a private link token, e.g. `/en/application/<token>/`. */
export function applicantPath(locale: Locale, token: string, path = ''): string {
  return localizedPath(locale, `application/${token}/${path}`);
}
