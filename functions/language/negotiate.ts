/**
 * Language negotiation as a pure function: the visitor's remembered choice (a cookie) first,
 * then `Accept-Language` (q-values, RFC 4647 "lookup"), else the fallback locale.
 *
 * Headers come from strangers, so parsing is bounded and forgiving: malformed entries are
 * skipped, never thrown on, and only the first MAX_LANGUAGE_RANGES ranges are considered.
 */

/** Most characters of an Accept-Language header we read; browsers send well under 200. */
export const MAX_ACCEPT_LANGUAGE_LENGTH = 1024;
/** Most language ranges we consider from one Accept-Language header. */
export const MAX_LANGUAGE_RANGES = 32;
/** Name of the cookie that remembers a visitor's explicit language choice. */
export const LANGUAGE_COOKIE = 'lang';

/** One weighted language range from an Accept-Language header, lower-cased. */
export interface LanguageRange {
  range: string;
  q: number;
}

// RFC 4647 language-range: "*" or 1–8 letters followed by subtags of 1–8 alphanumerics.
const LANGUAGE_RANGE = /^(?:\*|[a-z]{1,8}(?:-[a-z0-9]{1,8})*)$/;
// RFC 9110 qvalue: 0, 0.x, 0.xx, 0.xxx, 1, 1.0, 1.00, 1.000
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

/** Parses an Accept-Language header into ranges sorted by preference (stable for equal q). */
export function parseAcceptLanguage(header: string | null | undefined): LanguageRange[] {
  if (!header) return [];
  const ranges: LanguageRange[] = [];
  const entries = header.slice(0, MAX_ACCEPT_LANGUAGE_LENGTH).split(',');
  for (const entry of entries.slice(0, MAX_LANGUAGE_RANGES)) {
    const [rawRange = '', ...params] = entry.split(';');
    const range = rawRange.trim().toLowerCase();
    if (!LANGUAGE_RANGE.test(range)) continue;
    let q = 1;
    let valid = true;
    for (const param of params) {
      const [name = '', value = ''] = param.split('=').map((part) => part.trim());
      if (name.toLowerCase() !== 'q') continue;
      if (!QVALUE.test(value)) {
        valid = false;
        break;
      }
      q = Number(value);
    }
    if (valid) ranges.push({ range, q });
  }
  // Array.prototype.sort is stable, so equal weights keep the visitor's order.
  return ranges.sort((a, b) => b.q - a.q);
}

/**
 * RFC 4647 §3.4 lookup of one range against the supported locales: try the range, then
 * drop subtags from the end ("de-ch-1996" → "de-ch" → "de") until one matches.
 */
export function lookupLocale<L extends string>(range: string, supported: readonly L[]): L | undefined {
  const subtags = range.toLowerCase().split('-');
  while (subtags.length > 0) {
    const candidate = subtags.join('-');
    const match = supported.find((locale) => locale.toLowerCase() === candidate);
    if (match) return match;
    subtags.pop();
    // A single-letter subtag (such as "x" of a private use) may not end a truncated range.
    if (subtags.at(-1)?.length === 1) subtags.pop();
  }
  return undefined;
}

/** Reads one cookie's value from a Cookie header; undefined when absent or malformed. */
export function readCookie(header: string | null | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const pair of header.slice(0, 4096).split(';')) {
    const index = pair.indexOf('=');
    if (index === -1) continue;
    if (pair.slice(0, index).trim() === name) return pair.slice(index + 1).trim();
  }
  return undefined;
}

/** What the negotiation looks at: the raw request headers, absent ones as null. */
export interface NegotiationInput {
  cookie: string | null;
  acceptLanguage: string | null;
}

/** Picks the best supported locale for a visitor: remembered choice, Accept-Language, fallback. */
export function pickLocale<L extends string>(
  input: NegotiationInput,
  supported: readonly L[],
  fallback: L,
): L {
  const remembered = readCookie(input.cookie, LANGUAGE_COOKIE);
  const rememberedLocale = supported.find((locale) => locale === remembered);
  if (rememberedLocale) return rememberedLocale;

  for (const { range, q } of parseAcceptLanguage(input.acceptLanguage)) {
    if (q === 0 || range === '*') continue;
    const match = lookupLocale(range, supported);
    if (match) return match;
  }
  return fallback;
}

/** The best supported locale for a request, from its `Cookie` and `Accept-Language` headers. */
export function negotiateLocale<L extends string>(request: Request, supported: readonly L[], fallback: L): L {
  return pickLocale({ cookie: request.headers.get('Cookie'), acceptLanguage: request.headers.get('Accept-Language') }, supported, fallback);
}
