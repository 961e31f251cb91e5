/**
 * The application form's limits and the rules built on them, in one zod-free module: the
 * server's schema (./schema.ts), the form's HTML constraints (./fields.ts) and the browser
 * script (src/scripts/applicationForm.ts) import them, so the three cannot drift apart. Keep it
 * free of dependencies: it is bundled into the page's small script.
 */

/** Most characters of a first or last name. */
export const NAME_MAX_LENGTH = 100;
/** Most characters of an e-mail address (RFC 5321 path limit). */
export const EMAIL_MAX_LENGTH = 254;
/** Most characters of a phone number as typed (spaces, brackets and dashes included). */
export const PHONE_MAX_LENGTH = 30;
/** Fewest digits a phone number has (short national numbers included). */
export const PHONE_MIN_DIGITS = 5;
/**
 * A lenient international phone number: optional leading "+", then digits, spaces, dots,
 * slashes, brackets and dashes. Written so it is valid both as a JS `v` regex and as an HTML
 * `pattern` attribute (which browsers compile with the `v` flag).
 */
export const PHONE_PATTERN = '\\+?[0-9 .\\(\\)\\/\\-]{5,30}';
/** Most characters of the university's name. */
export const UNIVERSITY_MAX_LENGTH = 200;
/** The degrees one can choose, in the order the form lists them. */
export const DEGREES = ['bachelor', 'master', 'phd', 'other'] as const;
/** `YYYY-MM`, months 01–12, years 1900–2199. */
export const MONTH_PATTERN = '(?:19|20|21)[0-9]{2}-(?:0[1-9]|1[0-2])';
/** Shortest internship, in months. */
export const DURATION_MIN_MONTHS = 3;
/** Longest internship, in months. */
export const DURATION_MAX_MONTHS = 12;
/** The duration the postings prefer (the form says so; not enforced). */
export const DURATION_PREFERRED_MIN_MONTHS = 6;
/** Most links, one per line. */
export const LINKS_MAX_COUNT = 5;
/** Most characters of the links field altogether (five long URLs fit). */
export const LINKS_MAX_LENGTH = 2_500;
/** Most characters of the motivation (newlines count once, as in the browser). */
export const MOTIVATION_MAX_LENGTH = 4_000;
/** Largest CV in bytes: 10 MB. */
export const CV_MAX_BYTES = 10 * 1024 * 1024;
/** The CV's size limit in MB, for messages. */
export const CV_MAX_MEGABYTES = CV_MAX_BYTES / (1024 * 1024);
/** A PDF starts with these bytes, whatever its name or declared type says. */
export const PDF_MAGIC = '%PDF-';
/** What the file picker offers: PDFs. */
export const CV_ACCEPT = 'application/pdf,.pdf';

const phoneRegExp = new RegExp(`^(?:${PHONE_PATTERN})$`, 'v');
const monthRegExp = new RegExp(`^(?:${MONTH_PATTERN})$`, 'v');
// A registrable domain name: labels of letters, digits and hyphens, ending in a 2–63 letter TLD.
const domainRegExp = /^(?=.{1,253}$)(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}$/;

/** Whether the bytes start with `%PDF-`. */
export function hasPdfMagic(bytes: Uint8Array): boolean {
  if (bytes.length < PDF_MAGIC.length) return false;
  for (let index = 0; index < PDF_MAGIC.length; index += 1) {
    if (bytes[index] !== PDF_MAGIC.charCodeAt(index)) return false;
  }
  return true;
}

/** Whether a trimmed value is a phone number: the pattern, with at least PHONE_MIN_DIGITS digits. */
export function isPhoneNumber(value: string): boolean {
  return phoneRegExp.test(value) && (value.match(/\d/g)?.length ?? 0) >= PHONE_MIN_DIGITS;
}

/** Whether a trimmed value is a month, `YYYY-MM`. */
export function isMonth(value: string): boolean {
  return monthRegExp.test(value);
}

/** Whether a trimmed value is a whole number of months within the limits. */
export function isDurationMonths(value: string): boolean {
  return /^\d{1,2}$/.test(value) && Number(value) >= DURATION_MIN_MONTHS && Number(value) <= DURATION_MAX_MONTHS;
}

/** Text with CRLF and CR line breaks as LF: browsers submit CRLF but count a newline once. */
export function normalizeNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/** The links field's lines: one link per line, trimmed, empty lines dropped. */
export function splitLinks(text: string): string[] {
  return normalizeNewlines(text)
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

/** Why a line of the links field is not a link we store; its UI-string key. */
export type LinkProblem = 'form.error.links' | 'form.error.linkSpaces' | 'form.error.linkCredentials';

/**
 * A trimmed line of the links field as stored: the URL parser's normalized form of an
 * `http(s)://` link to a domain name, without user name or password and without whitespace
 * (the parser would quietly encode or drop it); otherwise the problem with it.
 */
export function parseWebLink(value: string): { href: string } | { problem: LinkProblem } {
  if (!/^https?:\/\//i.test(value)) return { problem: 'form.error.links' };
  if (/\s/.test(value)) return { problem: 'form.error.linkSpaces' };
  let url: URL;
  try {
    // Not URL.parse: the browser script shares this, and older browsers lack it.
    url = new URL(value);
  } catch {
    return { problem: 'form.error.links' };
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !domainRegExp.test(url.hostname)) return { problem: 'form.error.links' };
  if (url.username !== '' || url.password !== '') return { problem: 'form.error.linkCredentials' };
  return { href: url.href };
}
