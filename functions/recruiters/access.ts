/**
 * Who may open the recruiters' inbox. In production Cloudflare Access stands in front of it
 * and adds a signed JWT to every request it lets through (`Cf-Access-Jwt-Assertion`); we
 * verify it with `jose` (never trusting that Access is in front: the workers.dev hostname or a
 * route without Access would otherwise let anyone in): RS256 signature from the team's key set
 * (JWKS, fetched once and cached per isolate), issuer, audience (the application's AUD tag) and
 * expiry, with a small clock tolerance. Missing token: 401; any other failure: 403. When the
 * key set cannot be had (Access unreachable, a timeout, an answer that is no key set), the
 * client still gets 403, and the log says so — `access.keys-unavailable`, at most once a minute
 * per isolate — so an outage is not mistaken for bad tokens.
 *
 * Locally (`npm start`), an explicit sign-in works when RECRUITER_LOCAL_SIGN_IN is configured
 * (in `.dev.vars`) AND the request's hostname is a loopback one (localhost, 127.0.0.0/8,
 * [::1]); Cloudflare only routes requests for the zone's own hostnames to a deployed Worker,
 * so the second condition never holds there, whatever the settings say. `request.cf` cannot
 * tell a deployment either: `wrangler dev` fills it with a placeholder (colo "DFW") offline, or
 * with a real edge's object fetched from workers.cloudflare.com/cf.json (cached for 30 days in
 * node_modules/.mf/cf.json) online, so it is not consulted.
 */
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { readCookie } from '#functions/language/negotiate.ts';
import { errorSummary, writeLog, type Logger } from '#functions/log.ts';
import type { AccessSettings, RecruiterSettings } from '#functions/recruiters/settings.ts';
import { isLoopbackHostname } from '#functions/security/loopback.ts';

/** The header Cloudflare Access adds to every request it lets through. */
export const ACCESS_JWT_HEADER = 'Cf-Access-Jwt-Assertion';
/** The only algorithm Cloudflare Access signs with. */
export const ACCESS_ALGORITHMS = ['RS256'];
/** Seconds of clock difference tolerated between Cloudflare and this Worker. */
export const ACCESS_CLOCK_TOLERANCE_SECONDS = 30;
/** The cookie the local sign-in sets (loopback only, see above). */
export const LOCAL_SIGN_IN_COOKIE = 'careers_recruiter_local';

/** A recruiter the inbox let in: the identity the audit log records. */
export interface RecruiterIdentity {
  /** The Access identity's e-mail (or the service token's name), or the local sign-in's. */
  email: string;
  /** How the recruiter signed in. */
  via: 'access' | 'local';
}

/** Whether a request is let in, and if not, with which status (401: no token; 403: an invalid one, or no keys to check it with). */
export type AccessVerdict = { ok: true; identity: RecruiterIdentity } | { ok: false; status: 401 | 403; reason: string };

/** One line for the logs: the team whose keys could not be had, and why; never a token. */
export type AccessLogEntry = { level: 'error'; event: 'access.keys-unavailable'; issuer: string; error: string };

/** Where the verification reports that the key set could not be had, and the clock that spaces those lines. */
export interface AccessLogging {
  log?: Logger<AccessLogEntry> | undefined;
  now?: (() => number) | undefined;
}

/** At most one `access.keys-unavailable` line per team and isolate in this many milliseconds. */
export const KEYS_UNAVAILABLE_LOG_INTERVAL_MS = 60_000;
const keysUnavailableLoggedAt = new Map<string, number>();

/**
 * Whether an error thrown by the key set means the keys could not be had (the fetch failed or
 * timed out, Access answered other than 200, the answer is no key set), rather than that the
 * token names no key the team has (a bad or stale token).
 */
function isKeySetUnavailable(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
  return code === undefined || code === 'ERR_JWKS_TIMEOUT' || code === 'ERR_JWKS_INVALID' || code === 'ERR_JOSE_GENERIC';
}

/** Logs that the key set could not be had, once per interval and team in this isolate. */
function reportKeysUnavailable(issuer: string, error: unknown, logging: AccessLogging): void {
  const now = (logging.now ?? Date.now)();
  const last = keysUnavailableLoggedAt.get(issuer);
  if (last !== undefined && now - last < KEYS_UNAVAILABLE_LOG_INTERVAL_MS) return;
  keysUnavailableLoggedAt.set(issuer, now);
  (logging.log ?? writeLog)({ level: 'error', event: 'access.keys-unavailable', issuer, error: errorSummary(error) });
}

// One key set per team and isolate: jose fetches it on first use, caches the keys and refetches
// (rate-limited) when a token names a key it does not know, as after Access rotates its keys.
const keySets = new Map<string, JWTVerifyGetKey>();

/** The team's key set, `https://<team>.cloudflareaccess.com/cdn-cgi/access/certs`, cached per isolate. */
export function accessKeySet(issuer: string): JWTVerifyGetKey {
  let keys = keySets.get(issuer);
  if (!keys) {
    keys = createRemoteJWKSet(new URL('/cdn-cgi/access/certs', issuer));
    keySets.set(issuer, keys);
  }
  return keys;
}

/** Verifies an Access token; `keys` defaults to the team's key set (tests pass a local one). */
export async function verifyAccessToken(
  token: string,
  access: AccessSettings,
  keys: JWTVerifyGetKey = accessKeySet(access.issuer),
  logging: AccessLogging = {},
): Promise<AccessVerdict> {
  // What the key set threw, to tell "no keys to check with" from "a token that does not check".
  let keySetError: unknown;
  const tracked: JWTVerifyGetKey = async (header, input) => {
    try {
      return await keys(header, input);
    } catch (error) {
      keySetError = error;
      throw error;
    }
  };
  try {
    const { payload } = await jwtVerify(token, tracked, {
      issuer: access.issuer,
      audience: access.audience,
      algorithms: ACCESS_ALGORITHMS,
      clockTolerance: ACCESS_CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['exp', 'iat'],
    });
    // People carry `email`; service tokens carry `common_name` instead.
    const email = typeof payload['email'] === 'string' ? payload['email'] : typeof payload['common_name'] === 'string' ? payload['common_name'] : undefined;
    if (!email) return { ok: false, status: 403, reason: 'token without an identity' };
    return { ok: true, identity: { email, via: 'access' } };
  } catch (error) {
    if (error === keySetError && isKeySetUnavailable(error)) {
      reportKeysUnavailable(access.issuer, error, logging);
      return { ok: false, status: 403, reason: 'keys-unavailable' };
    }
    // jose's error codes say what failed (ERR_JWT_EXPIRED, ERR_JWKS_NO_MATCHING_KEY …); never the token.
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unverifiable';
    return { ok: false, status: 403, reason: code };
  }
}

/**
 * Where to return after the local sign-in: `value` when it is a path of this site (no scheme,
 * no host, no `//` or `\\`) under one of the inbox's roots (`/<locale>/recruiters/` under the
 * base path) and not the sign-in page itself, as the URL parser normalizes it (so nothing
 * unusual reaches a Location header); otherwise undefined (go to the inbox's start).
 */
export function signInReturnPath(value: unknown, inboxRoots: readonly string[]): string | undefined {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return undefined;
  const origin = 'http://return.invalid';
  let url: URL;
  try {
    url = new URL(value, origin);
  } catch {
    return undefined;
  }
  if (url.origin !== origin || url.username || url.password) return undefined;
  const root = inboxRoots.find((candidate) => url.pathname.startsWith(candidate));
  if (root === undefined || url.pathname.replace(/\/$/, '') === `${root}sign-in`) return undefined;
  return `${url.pathname}${url.search}`;
}

/** Whether the local sign-in may be used for this request: configured, and a loopback hostname. */
export function localSignInIdentity(request: Request, settings: RecruiterSettings): string | undefined {
  if (!settings.localSignIn) return undefined;
  return isLoopbackHostname(new URL(request.url).hostname) ? settings.localSignIn : undefined;
}

/**
 * Decides whether a request may open the inbox: a valid Access token, or (on loopback, when
 * configured) the local sign-in's cookie. A request carrying a token is judged by the token
 * alone.
 */
export async function authenticateRecruiter(request: Request, settings: RecruiterSettings, keys?: JWTVerifyGetKey, logging?: AccessLogging): Promise<AccessVerdict> {
  const token = request.headers.get(ACCESS_JWT_HEADER);
  if (token) {
    if (!settings.access) return { ok: false, status: 403, reason: 'Access is not configured' };
    return verifyAccessToken(token, settings.access, keys, logging);
  }
  const local = localSignInIdentity(request, settings);
  if (local && readCookie(request.headers.get('Cookie'), LOCAL_SIGN_IN_COOKIE) === '1') return { ok: true, identity: { email: local, via: 'local' } };
  return { ok: false, status: 401, reason: 'no token' };
}
