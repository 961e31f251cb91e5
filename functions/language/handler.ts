import { LANGUAGE_COOKIE, negotiateLocale } from '#functions/language/negotiate.ts';

/** What the language handlers need from the composition root. */
export interface LanguageDeps<L extends string> {
  /** The supported locales, in the order of preference for ties. */
  locales: readonly L[];
  /** The locale for visitors who express no usable preference. */
  defaultLocale: L;
  /** The site's base path, with leading and trailing slash ("/" or "/careers/"). */
  base: string;
}

/** Seconds a remembered language choice lasts: one year. */
export const LANGUAGE_COOKIE_MAX_AGE = 60 * 60 * 24 * 365;

// A redirect chosen from Accept-Language and Cookie must never be served from a shared cache
// to another visitor: it varies on both, and is private and not stored.
const NEGOTIATED_HEADERS = {
  Vary: 'Accept-Language, Cookie',
  'Cache-Control': 'private, no-store',
} as const;

/**
 * Answers a request for an unprefixed path (`/`, `/jobs/<slug>/`) with a 302 to the same
 * path under the visitor's best locale. `path` is the request path below the base, without
 * its leading slash.
 */
export function handleNegotiationRedirect<L extends string>(
  request: Request,
  path: string,
  deps: LanguageDeps<L>,
): Response {
  const locale = negotiateLocale(request, deps.locales, deps.defaultLocale);
  const { search } = new URL(request.url);
  return new Response(null, {
    status: 302,
    headers: { Location: `${deps.base}${locale}/${path}${search}`, ...NEGOTIATED_HEADERS },
  });
}

/**
 * Handles the language switch, `GET <base>language/<locale>/<path>`: remembers the choice in
 * a cookie and answers 303 to `<base><locale>/<path>`. The target is built from the path,
 * never taken from a parameter, so the switch cannot be used as an open redirect.
 */
export function handleLanguageSwitch<L extends string>(
  request: Request,
  path: string,
  deps: LanguageDeps<L>,
): Response | undefined {
  const [requested = '', ...rest] = path.split('/');
  const locale = deps.locales.find((candidate) => candidate === requested);
  if (!locale) return undefined;
  const url = new URL(request.url);
  const cookie = [
    `${LANGUAGE_COOKIE}=${locale}`,
    `Path=${deps.base}`,
    `Max-Age=${LANGUAGE_COOKIE_MAX_AGE}`,
    'SameSite=Lax',
    'HttpOnly',
    ...(url.protocol === 'https:' ? ['Secure'] : []),
  ].join('; ');
  return new Response(null, {
    status: 303,
    headers: {
      Location: `${deps.base}${locale}/${rest.join('/')}${url.search}`,
      'Set-Cookie': cookie,
      'Cache-Control': 'private, no-store',
    },
  });
}
