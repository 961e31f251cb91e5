/**
 * The two private areas of the site, the one place that knows where they are and what every
 * answer in them carries:
 * - `<base><locale>/recruiters/…`, the recruiters' inbox;
 * - `<base><locale>/application/<token>/…`, the applicant's own page behind the private link.
 * Every answer under them — a page, a download, a 401/403/404/405, the Worker's refusal of a
 * cross-site post — is private: never cached, never indexed, no referrer to other sites (their
 * addresses hold references and private link tokens). The middleware (src/middleware.ts) sets
 * that on what Astro answers; the Worker entry on what it answers itself (a refusal before
 * Astro runs, the not-found page that replaces Astro's 404).
 */
import { collapseEmptySegments, PRIVATE_HEADERS } from '#functions/http.ts';
import { isLocale, type Locale } from '#src/i18n/locales.ts';
import { BASE } from '#src/i18n/paths.ts';
import type { UiKey } from '#src/schemas/ui.ts';

/** A private area of the site. */
export type PrivateArea = 'recruiters' | 'applicant';

/**
 * Which private area a path (`/…`, with the base path) is in, its locale and the rest of the
 * path; undefined outside them. Empty segments count for nothing (`/de//application/…` is the
 * applicant's area too: the redirect to its collapsed path carries the token).
 */
export function privateAreaOf(pathname: string): { area: PrivateArea; locale: Locale; rest: string } | undefined {
  const path = collapseEmptySegments(pathname);
  if (!`${path}/`.startsWith(BASE)) return undefined;
  const [locale, area, ...rest] = path.slice(BASE.length).split('/');
  if (!isLocale(locale)) return undefined;
  if (area === 'recruiters') return { area, locale, rest: rest.join('/') };
  if (area === 'application') return { area: 'applicant', locale, rest: rest.join('/') };
  return undefined;
}

/** What a state-changing request from another site is told, in words that fit the area's action. */
export const ORIGIN_REFUSAL_KEYS: Readonly<Record<PrivateArea, UiKey>> = {
  recruiters: 'inbox.error.origin',
  applicant: 'applicant.error.origin',
};

/** What a post that is no form (a body the pages cannot read) is told, in the area's words. */
export const UNREADABLE_KEYS: Readonly<Record<PrivateArea, UiKey>> = {
  recruiters: 'inbox.error.invalid',
  applicant: 'applicant.error.invalid',
};

/** The response with the private headers set (a copy: a fetched response's headers are immutable). */
export function withPrivateHeaders(response: Response): Response {
  const copy = new Response(response.body, response);
  for (const [name, value] of Object.entries(PRIVATE_HEADERS)) copy.headers.set(name, value);
  return copy;
}

/**
 * The response made private when `request` is for a private area, or when it redirects into
 * one (the form's 303 to the applicant's page names the private link); otherwise as it is.
 */
export function privateWhereDue(request: Request, response: Response): Response {
  const location = response.headers.get('Location');
  const intoPrivate = location !== null && privateAreaOf(new URL(location, request.url).pathname) !== undefined;
  return intoPrivate || privateAreaOf(new URL(request.url).pathname) ? withPrivateHeaders(response) : response;
}
