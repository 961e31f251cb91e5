/**
 * Who may open the recruiters' inbox. In production Cloudflare Access stands in front of it
 * and adds a signed JWT to every request it lets through (`Cf-Access-Jwt-Assertion`); we
 * verify it with `jose` (never trusting that Access is in front: the workers.dev hostname or a
 * route without Access would otherwise let anyone in): RS256 signature from the team's key set
 * (JWKS, fetched once and cached per isolate), issuer, audience (the application's AUD tag) and
 * expiry, with a small clock tolerance. Missing token: 401; any other failure: 403.
 *
 * Locally (`npm start`), an explicit sign-in works when RECRUITER_LOCAL_SIGN_IN is configured
 * (in `.dev.vars`) AND the request's hostname is a loopback one (localhost, 127.0.0.0/8,
 * [::1]); Cloudflare only routes requests for the zone's own hostnames to a deployed Worker,
 * so the second condition never holds there, whatever the settings say.
 */
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { readCookie } from '#functions/language/negotiate.ts';
import type { AccessSettings, RecruiterSettings } from '#functions/recruiters/settings.ts';

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

/** Whether a request is let in, and if not, with which status (401: no token; 403: an invalid one). */
export type AccessVerdict = { ok: true; identity: RecruiterIdentity } | { ok: false; status: 401 | 403; reason: string };

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
export async function verifyAccessToken(token: string, access: AccessSettings, keys: JWTVerifyGetKey = accessKeySet(access.issuer)): Promise<AccessVerdict> {
  try {
    const { payload } = await jwtVerify(token, keys, {
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
    // jose's error codes say what failed (ERR_JWT_EXPIRED, ERR_JWKS_NO_MATCHING_KEY …); never the token.
    const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : 'unverifiable';
    return { ok: false, status: 403, reason: code };
  }
}

/** Whether a hostname names this machine: localhost (and its subdomains), 127.0.0.0/8 or [::1]. */
export function isLoopbackHostname(hostname: string): boolean {
  return /^(?:localhost|.+\.localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i.test(hostname);
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
export async function authenticateRecruiter(request: Request, settings: RecruiterSettings, keys?: JWTVerifyGetKey): Promise<AccessVerdict> {
  const token = request.headers.get(ACCESS_JWT_HEADER);
  if (token) {
    if (!settings.access) return { ok: false, status: 403, reason: 'Access is not configured' };
    return verifyAccessToken(token, settings.access, keys);
  }
  const local = localSignInIdentity(request, settings);
  if (local && readCookie(request.headers.get('Cookie'), LOCAL_SIGN_IN_COOKIE) === '1') return { ok: true, identity: { email: local, via: 'local' } };
  return { ok: false, status: 401, reason: 'no token' };
}
