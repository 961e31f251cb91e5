/**
 * How often one client may apply, in two limits (Workers Rate Limiting), each answered with 429
 * and Retry-After:
 *
 * - attempts (`APPLICATION_ATTEMPT_RATE_LIMITER`): every submission counts, valid or not,
 *   before the body is read; high enough that typos never reach it, low enough to bound what a
 *   script can make us read;
 * - applications (`APPLICATION_RATE_LIMITER`): only submissions that passed validation count,
 *   so fixing a typo never costs the allowance.
 *
 * A client is its IPv4 address, or the /64 network of its IPv6 address: that is one
 * subscriber's allocation, and rotating addresses within it must not escape the limits.
 *
 * And one bound that no change of client escapes: at most APPLICATIONS_PER_ADDRESS_PER_DAY
 * applications to one posting with one e-mail address per Munich calendar day, answered with
 * a 429 until midnight in Munich. It is checked only after validation, Turnstile and the
 * client's own allowance, so finding out costs a stranger a valid application; and what it
 * can tell them is at most that this address was used that many times for the posting today —
 * never whether, when or under which reference anybody applied before (storage never tells).
 * Someone who knows an address can use up its allowance for a day; the applications they sent
 * stay in the inbox, where recruiters see them beside the others with the same address.
 */
import { errorSummary, type Logger } from '#functions/log.ts';
import { endOfMunichDay, todayInMunich } from '#functions/time.ts';
import type { ApplicationLogEntry } from '#functions/applications/submission.ts';

/** Most applications to one posting with one e-mail address per Munich day, from any client. */
export const APPLICATIONS_PER_ADDRESS_PER_DAY = 5;

/**
 * The Munich calendar day of `now` as the bound per address counts it: when it started and
 * how many whole seconds are left of it (the 429's Retry-After).
 */
export function addressBoundDay(now: Date): { since: Date; secondsLeft: number } {
  const today = todayInMunich(now);
  const [year, month, day] = today.split('-').map(Number) as [number, number, number];
  const yesterday = new Date(Date.UTC(year, month - 1, day - 1)).toISOString().slice(0, 10);
  const end = endOfMunichDay(today);
  return { since: endOfMunichDay(yesterday), secondsLeft: Math.max(1, Math.ceil((end.getTime() - now.getTime()) / 1000)) };
}

/** The key of a client whose address is missing or unreadable: such clients share one allowance. */
export const UNKNOWN_CLIENT_KEY = 'unknown-client';

/** The hextets of an IPv6 address in full (`::` expanded, an embedded IPv4 as two hextets), or undefined. */
function ipv6Hextets(address: string): number[] | undefined {
  const embedded = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  let text = address;
  if (embedded) {
    const octets = embedded.slice(1).map(Number);
    if (octets.some((octet) => octet > 255)) return undefined;
    const [a = 0, b = 0, c = 0, d = 0] = octets;
    text = `${address.slice(0, embedded.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parse = (part: string | undefined) => (part ? part.split(':') : []);
  const head = parse(halves[0]);
  const tail = parse(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 1 ? 0 : missing).fill('0'), ...tail];
  if (!groups.every((group) => /^[0-9a-f]{1,4}$/i.test(group))) return undefined;
  return groups.map((group) => Number.parseInt(group, 16));
}

/**
 * The key the rate limiters count a client under (its `CF-Connecting-IP`): `ip4:<address>`, or
 * `ip6:<first 64 bits>::/64`. An IPv4-mapped IPv6 address counts as its IPv4 address.
 */
export function clientRateLimitKey(address: string | null): string {
  const value = address?.trim() ?? '';
  if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(value)) return `ip4:${value}`;
  const hextets = value.includes(':') ? ipv6Hextets(value) : undefined;
  if (!hextets) return UNKNOWN_CLIENT_KEY;
  if (hextets.slice(0, 5).every((hextet) => hextet === 0) && hextets[5] === 0xffff) {
    const [high = 0, low = 0] = hextets.slice(6);
    return `ip4:${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
  }
  return `ip6:${hextets
    .slice(0, 4)
    .map((hextet) => hextet.toString(16))
    .join(':')}::/64`;
}

/**
 * Whether a rate limiter lets the request's client through (counting it). A broken limiter
 * lets it through and is reported: it must not turn applicants away.
 */
export async function isWithinRateLimit(limiter: Pick<RateLimit, 'limit'> | undefined, request: Request, log: Logger<ApplicationLogEntry>): Promise<boolean> {
  if (!limiter) return true;
  try {
    const { success } = await limiter.limit({ key: clientRateLimitKey(request.headers.get('CF-Connecting-IP')) });
    return success;
  } catch (error) {
    log({ level: 'error', event: 'applications.rate-limiter-failed', error: errorSummary(error) });
    return true;
  }
}
