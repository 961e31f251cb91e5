import { createLocalJWKSet, createRemoteJWKSet, customFetch, exportJWK, generateKeyPair, SignJWT, type JWK, type JWTVerifyGetKey } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ACCESS_JWT_HEADER,
  authenticateRecruiter,
  KEYS_UNAVAILABLE_LOG_INTERVAL_MS,
  LOCAL_SIGN_IN_COOKIE,
  signInReturnPath,
  verifyAccessToken,
  type AccessLogEntry,
} from '#functions/recruiters/access.ts';
import { isLoopbackHostname } from '#functions/security/loopback.ts';
import { parseRecruiterSettings, type RecruiterSettings } from '#functions/recruiters/settings.ts';

// A test key pair and a local key set standing in for https://acme.cloudflareaccess.com/cdn-cgi/access/certs.
const ISSUER = 'https://acme.cloudflareaccess.com';
const AUDIENCE = 'a'.repeat(64);
const ACCESS = { issuer: ISSUER, audience: AUDIENCE };
const NOW_SECONDS = Math.floor(Date.now() / 1000);

let keys: JWTVerifyGetKey;
let privateKey: CryptoKey;
let otherPrivateKey: CryptoKey;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  const other = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  otherPrivateKey = other.privateKey;
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'access-key-1', alg: 'RS256', use: 'sig' };
  keys = createLocalJWKSet({ keys: [jwk] });
});

/** A token as Cloudflare Access issues one, with anything replaced per test. */
function token(options: { kid?: string; key?: CryptoKey; issuer?: string; audience?: string; expires?: number; claims?: Record<string, unknown> } = {}): Promise<string> {
  return new SignJWT({ email: 'rita@example.com', type: 'app', ...options.claims })
    .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? 'access-key-1' })
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setSubject('7335d417-61da-459d-899c-0a01c76a2f94')
    .setIssuedAt(NOW_SECONDS - 60)
    .setExpirationTime(options.expires ?? NOW_SECONDS + 3600)
    .sign(options.key ?? privateKey);
}

/** base64url of a JSON value, to build tokens by hand. */
const part = (value: unknown) => btoa(JSON.stringify(value)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

function request(headers: Record<string, string> = {}, url = 'https://careers.example/en/recruiters/'): Request {
  return new Request(url, { headers });
}

describe('a Cloudflare Access token', () => {
  it('that is valid lets the recruiter in with the Access identity', async () => {
    expect(await verifyAccessToken(await token(), ACCESS, keys)).toEqual({ ok: true, identity: { email: 'rita@example.com', via: 'access' } });
  });

  it('of a service token (no e-mail) names the service token', async () => {
    const verdict = await verifyAccessToken(await token({ claims: { email: undefined, common_name: 'ats.example.access' } }), ACCESS, keys);
    expect(verdict).toEqual({ ok: true, identity: { email: 'ats.example.access', via: 'access' } });
  });

  it('that has expired is refused with 403 (beyond the small clock tolerance)', async () => {
    expect(await verifyAccessToken(await token({ expires: NOW_SECONDS - 120 }), ACCESS, keys)).toMatchObject({ ok: false, status: 403, reason: 'ERR_JWT_EXPIRED' });
  });

  it('for another Access application (wrong audience) is refused with 403', async () => {
    expect(await verifyAccessToken(await token({ audience: 'b'.repeat(64) }), ACCESS, keys)).toMatchObject({ ok: false, status: 403, reason: 'ERR_JWT_CLAIM_VALIDATION_FAILED' });
  });

  it('from another team (wrong issuer) is refused with 403', async () => {
    expect(await verifyAccessToken(await token({ issuer: 'https://evil.cloudflareaccess.com' }), ACCESS, keys)).toMatchObject({ ok: false, status: 403, reason: 'ERR_JWT_CLAIM_VALIDATION_FAILED' });
  });

  it('naming a key the team does not have (unknown kid) is refused with 403', async () => {
    expect(await verifyAccessToken(await token({ kid: 'unknown-key', key: otherPrivateKey }), ACCESS, keys)).toMatchObject({ ok: false, status: 403, reason: 'ERR_JWKS_NO_MATCHING_KEY' });
  });

  it('signed by another key under the team’s kid is refused with 403', async () => {
    expect(await verifyAccessToken(await token({ key: otherPrivateKey }), ACCESS, keys)).toMatchObject({ ok: false, status: 403, reason: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
  });

  it('with `alg: none` (no signature) is refused with 403', async () => {
    const unsigned = `${part({ alg: 'none', typ: 'JWT', kid: 'access-key-1' })}.${part({ email: 'rita@example.com', iss: ISSUER, aud: AUDIENCE, iat: NOW_SECONDS, exp: NOW_SECONDS + 3600 })}.`;
    expect(await verifyAccessToken(unsigned, ACCESS, keys)).toMatchObject({ ok: false, status: 403 });
  });

  it('signed with HS256 under the public key (algorithm confusion) is refused with 403', async () => {
    const header = part({ alg: 'HS256', kid: 'access-key-1' });
    const payload = part({ email: 'rita@example.com', iss: ISSUER, aud: AUDIENCE, iat: NOW_SECONDS, exp: NOW_SECONDS + 3600 });
    expect(await verifyAccessToken(`${header}.${payload}.c2lnbmF0dXJl`, ACCESS, keys)).toMatchObject({ ok: false, status: 403, reason: 'ERR_JOSE_ALG_NOT_ALLOWED' });
  });

  it('that is not a JWT at all is refused with 403', async () => {
    expect(await verifyAccessToken('not-a-token', ACCESS, keys)).toMatchObject({ ok: false, status: 403 });
  });

  it('without an identity is refused with 403', async () => {
    expect(await verifyAccessToken(await token({ claims: { email: undefined } }), ACCESS, keys)).toEqual({ ok: false, status: 403, reason: 'token without an identity' });
  });
});

describe('the team’s key set, when it cannot be had', () => {
  /** A key set as production builds it, over a fetch that answers as given. */
  const remoteKeys = (answer: () => Promise<Response>) => createRemoteJWKSet(new URL('https://acme.cloudflareaccess.com/cdn-cgi/access/certs'), { [customFetch]: answer });

  it('refuses the token with 403 as any other failure, and logs access.keys-unavailable without the token, once a minute per team', async () => {
    const logged: AccessLogEntry[] = [];
    let now = 1_000_000;
    const logging = { log: (entry: AccessLogEntry) => logged.push(entry), now: () => now };
    const access = { ...ACCESS, issuer: 'https://down.cloudflareaccess.com' };
    const unreachable = remoteKeys(() => Promise.reject(new TypeError('fetch failed: connect ECONNREFUSED 192.0.2.1:443')));
    const jwt = await token({ issuer: access.issuer });

    expect(await verifyAccessToken(jwt, access, unreachable, logging)).toEqual({ ok: false, status: 403, reason: 'keys-unavailable' });
    expect(await verifyAccessToken(jwt, access, unreachable, logging)).toMatchObject({ ok: false, status: 403 });
    now += KEYS_UNAVAILABLE_LOG_INTERVAL_MS;
    await verifyAccessToken(jwt, access, remoteKeys(async () => new Response('Bad gateway', { status: 502 })), logging);

    expect(logged).toEqual([
      { level: 'error', event: 'access.keys-unavailable', issuer: access.issuer, error: 'TypeError: fetch failed: connect ECONNREFUSED <ip>:443' },
      { level: 'error', event: 'access.keys-unavailable', issuer: access.issuer, error: 'JOSEError: Expected 200 OK from the JSON Web Key Set HTTP response' },
    ]);
    expect(JSON.stringify(logged)).not.toContain(jwt.split('.')[1]);
  });

  it('is told from a token that names no key of the team, which is refused without a log line', async () => {
    const logged: AccessLogEntry[] = [];
    const keySet = { keys: [{ ...(await exportJWK((await generateKeyPair('RS256')).publicKey)), kid: 'other-key', alg: 'RS256' }] };
    const reachable = remoteKeys(async () => Response.json(keySet));
    const access = { ...ACCESS, issuer: 'https://up.cloudflareaccess.com' };

    expect(await verifyAccessToken(await token({ issuer: access.issuer }), access, reachable, { log: (entry) => logged.push(entry) })).toMatchObject({ ok: false, status: 403, reason: 'ERR_JWKS_NO_MATCHING_KEY' });
    expect(logged).toEqual([]);
  });
});

describe('a request to the inbox', () => {
  const settings: RecruiterSettings = { access: ACCESS };

  it('with a valid token in Cf-Access-Jwt-Assertion is let in', async () => {
    expect(await authenticateRecruiter(request({ [ACCESS_JWT_HEADER]: await token() }), settings, keys)).toMatchObject({ ok: true });
  });

  it('without a token is refused with 401', async () => {
    expect(await authenticateRecruiter(request(), settings, keys)).toEqual({ ok: false, status: 401, reason: 'no token' });
  });

  it('with a token while Access is not configured is refused with 403', async () => {
    expect(await authenticateRecruiter(request({ [ACCESS_JWT_HEADER]: await token() }), {}, keys)).toMatchObject({ ok: false, status: 403 });
  });

  it('with an invalid token is refused with 403 even where the local sign-in would let it in', async () => {
    const local = request({ [ACCESS_JWT_HEADER]: 'forged', Cookie: `${LOCAL_SIGN_IN_COOKIE}=1` }, 'http://localhost:4321/en/recruiters/');
    expect(await authenticateRecruiter(local, { ...settings, localSignIn: 'dev@example.com' }, keys)).toMatchObject({ ok: false, status: 403 });
  });
});

describe('the local sign-in', () => {
  const settings: RecruiterSettings = { localSignIn: 'dev@example.com' };
  const signedIn = { Cookie: `theme=dark; ${LOCAL_SIGN_IN_COOKIE}=1` };

  it('lets a signed-in request to a loopback hostname in as the configured identity', async () => {
    for (const url of ['http://localhost:4321/en/recruiters/', 'http://127.0.0.1:8787/de/recruiters/', 'http://[::1]:4321/en/recruiters/']) {
      expect(await authenticateRecruiter(request(signedIn, url), settings)).toEqual({ ok: true, identity: { email: 'dev@example.com', via: 'local' } });
    }
  });

  it('refuses a request to a real hostname with 401, whatever its cookie says', async () => {
    for (const url of ['https://careers.example/en/recruiters/', 'https://localhost.evil.example/en/recruiters/', 'https://careers.workers.dev/en/recruiters/']) {
      expect(await authenticateRecruiter(request(signedIn, url), settings)).toEqual({ ok: false, status: 401, reason: 'no token' });
    }
  });

  it('refuses a loopback request without the sign-in cookie with 401', async () => {
    expect(await authenticateRecruiter(request({}, 'http://localhost:4321/en/recruiters/'), settings)).toMatchObject({ ok: false, status: 401 });
  });

  it('refuses everything when it is not configured (a build without .dev.vars, any deployment)', async () => {
    const { value } = parseRecruiterSettings({});
    expect(value).toEqual({ access: undefined, localSignIn: undefined });
    expect(await authenticateRecruiter(request(signedIn, 'http://localhost:4321/en/recruiters/'), value)).toMatchObject({ ok: false, status: 401 });
  });

  it('returns to the inbox page asked for, and only to a page of the inbox on this site (no open redirect)', () => {
    const roots = ['/en/recruiters/', '/de/recruiters/'];
    expect(signInReturnPath('/de/recruiters/jobs/machine-learning-intern/?status=new', roots)).toBe('/de/recruiters/jobs/machine-learning-intern/?status=new');
    expect(signInReturnPath('/en/recruiters/applications/ML-ABCDEF/', roots)).toBe('/en/recruiters/applications/ML-ABCDEF/');
    for (const hostile of [
      'https://evil.example/en/recruiters/',
      '//evil.example/en/recruiters/',
      '/\\evil.example/en/recruiters/',
      '/\t/evil.example/en/recruiters/',
      'javascript:alert(1)',
      '/en/jobs/machine-learning-intern/',
      '/en/recruiters/sign-in',
      '/en/recruiters/../../evil',
      'en/recruiters/',
      '',
      undefined,
      42,
    ]) {
      expect(signInReturnPath(hostile, roots), String(hostile)).toBeUndefined();
    }
    // What reaches the Location header is the parser's form: line breaks dropped, spaces encoded.
    expect(signInReturnPath('/en/recruiters/?a=b\r\nSet-Cookie: x', roots)).toBe('/en/recruiters/?a=bSet-Cookie:%20x');
  });

  it('counts only this machine’s names as loopback', () => {
    expect(['localhost', 'inbox.localhost', '127.0.0.1', '127.1.2.3', '[::1]'].every(isLoopbackHostname)).toBe(true);
    expect(['careers.example', 'localhost.example', '127.0.0.1.nip.io', '10.0.0.1', '[::2]', '0.0.0.0'].some(isLoopbackHostname)).toBe(false);
  });
});
