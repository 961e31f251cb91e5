import { describe, expect, it } from 'vitest';
import { createRenderedCache, matchesETag, publicMaxAge, type CanonicalRequest } from '#functions/embed/cache.ts';
import { appendVary, preflightResponse, withCors } from '#functions/embed/cors.ts';
import { isAllowedOrigin, isOriginRefusedRefill, needsOriginCheck, ORIGIN_REFUSED_HEADER, REFILL_CONTENT_TYPE, splitEmbedOrigins } from '#functions/embed/origins.ts';
import { parseEmbedOrigins } from '#functions/embed/originsSetting.ts';
import { APPLICATION_FORM_ROUTE, embedEndpointOf } from '#functions/embed/routes.ts';
import { collapseEmptySegments } from '#functions/http.ts';
import { contentSecurityPolicy, renderHeadersFile } from '#functions/security/headers.ts';

const HOST = 'https://www.example.com';
const request = (url: string, headers: Record<string, string> = {}, method = 'GET') => new Request(url, { method, headers });

describe('EMBED_ORIGINS', () => {
  it('reads https origins separated by commas and/or spaces, normalized and without repeats', () => {
    expect(parseEmbedOrigins(' https://www.Example.com, https://shop.example.com:8443  https://www.example.com/ ')).toEqual([
      HOST,
      'https://shop.example.com:8443',
    ]);
  });

  it('is empty when unset or blank', () => {
    expect(parseEmbedOrigins(undefined)).toEqual([]);
    expect(parseEmbedOrigins('  ')).toEqual([]);
  });

  it('allows plain http only on this machine', () => {
    expect(parseEmbedOrigins('http://localhost:8080 http://dsd.localhost:4321 http://127.0.0.1:1 http://[::1]:2')).toHaveLength(4);
    expect(() => parseEmbedOrigins('http://www.example.com')).toThrow(/"http:\/\/www\.example\.com" is not an allowed origin.*http:\/\/ only for localhost/);
  });

  it('refuses anything but a bare origin, naming each bad entry and how to write it', () => {
    for (const bad of ['https://www.example.com/careers', 'www.example.com', '*', 'https://*.example.com', 'https://user@example.com', 'https://example.com?x', 'ftp://example.com']) {
      expect(() => parseEmbedOrigins(bad), bad).toThrow(/^EMBED_ORIGINS: .* e\.g\. https:\/\/www\.example\.com/);
    }
    expect(() => parseEmbedOrigins('https://ok.example, nope, https://x.example/path')).toThrow(/"nope".*; "https:\/\/x\.example\/path"/);
  });

  it('reaches the Worker as the build parsed it, split again without a second parser', () => {
    for (const value of ['', ' https://www.Example.com, https://shop.example.com:8443 ', 'http://localhost:8080']) {
      const parsed = parseEmbedOrigins(value);
      expect(splitEmbedOrigins(parsed.join(' ')), value).toEqual(parsed);
    }
  });
});

describe('the origin check on state-changing requests', () => {
  const allowed = [HOST];
  it('accepts our own origin and the allowed hosts', () => {
    expect(isAllowedOrigin('https://jobs.example.com', 'https://jobs.example.com/en/jobs/x/apply', allowed)).toBe(true);
    expect(isAllowedOrigin(HOST, 'https://jobs.example.com/en/jobs/x/apply', allowed)).toBe(true);
  });

  it('refuses other, opaque and missing origins', () => {
    expect(isAllowedOrigin('https://evil.example', 'https://jobs.example.com/api/applications', allowed)).toBe(false);
    expect(isAllowedOrigin('null', 'https://jobs.example.com/api/applications', allowed)).toBe(false);
    expect(isAllowedOrigin(null, 'https://jobs.example.com/api/applications', allowed)).toBe(false);
    // An origin differs by scheme and port too.
    expect(isAllowedOrigin('http://www.example.com', 'https://jobs.example.com/', allowed)).toBe(false);
  });

  it('knows the Worker’s re-fill of a refused form post by its marker on a urlencoded body, never on an application', () => {
    const post = (headers: Record<string, string>) => request('https://jobs.example.com/de/jobs/x/apply', headers, 'POST');
    expect(isOriginRefusedRefill(post({ [ORIGIN_REFUSED_HEADER]: '1', 'Content-Type': REFILL_CONTENT_TYPE }))).toBe(true);
    expect(isOriginRefusedRefill(post({ [ORIGIN_REFUSED_HEADER]: '1', 'Content-Type': 'multipart/form-data; boundary=x' }))).toBe(false);
    expect(isOriginRefusedRefill(post({ 'Content-Type': REFILL_CONTENT_TYPE }))).toBe(false);
    expect(isOriginRefusedRefill(request('https://jobs.example.com/de/jobs/x/apply', { [ORIGIN_REFUSED_HEADER]: '1' }))).toBe(false);
  });

  it('applies to every state-changing method, not to reads', () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) expect(needsOriginCheck(request('https://x.example/', {}, method))).toBe(true);
    for (const method of ['GET', 'HEAD', 'OPTIONS']) expect(needsOriginCheck(request('https://x.example/', {}, method))).toBe(false);
  });
});

describe('CORS', () => {
  const allowed = [HOST];
  it('grants an allowed origin, and always says the answer varies by Origin', () => {
    const granted = withCors(request('https://jobs.example.com/api/jobs', { Origin: HOST }), new Response('{}', { headers: { Vary: 'Accept-Encoding' } }), allowed);
    expect(granted.headers.get('access-control-allow-origin')).toBe(HOST);
    expect(granted.headers.get('access-control-allow-credentials')).toBeNull();
    expect(granted.headers.get('vary')).toBe('Accept-Encoding, Origin');
    const refused = withCors(request('https://jobs.example.com/api/jobs', { Origin: 'https://evil.example' }), new Response('{}'), allowed);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect(refused.headers.get('vary')).toBe('Origin');
  });

  it('answers a preflight with the grant only for an allowed origin asking for a method the endpoint has', () => {
    const policy = { methods: ['POST'], allowHeaders: ['Content-Type', 'Idempotency-Key'] };
    const ask = (origin: string, method: string) =>
      preflightResponse(request('https://jobs.example.com/api/applications', { Origin: origin, 'Access-Control-Request-Method': method }, 'OPTIONS'), allowed, policy);
    const granted = ask(HOST, 'POST');
    expect(granted.status).toBe(204);
    expect(Object.fromEntries(granted.headers)).toMatchObject({
      allow: 'POST, OPTIONS',
      'access-control-allow-origin': HOST,
      'access-control-allow-methods': 'POST',
      'access-control-allow-headers': 'Content-Type, Idempotency-Key',
      'access-control-max-age': '86400',
      vary: 'Origin',
    });
    for (const refused of [ask('https://evil.example', 'POST'), ask(HOST, 'DELETE')]) {
      expect(refused.status).toBe(204);
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();
      expect(refused.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('adds to Vary without repeating a value', () => {
    const headers = new Headers({ Vary: 'origin' });
    appendVary(headers, 'Origin');
    expect(headers.get('vary')).toBe('origin');
  });
});

describe('validators', () => {
  it('compares ETags weakly, lists and * included', () => {
    expect(matchesETag('"a"', '"a"')).toBe(true);
    expect(matchesETag('W/"a"', '"a"')).toBe(true);
    expect(matchesETag('"b", "a"', '"a"')).toBe(true);
    expect(matchesETag('*', '"a"')).toBe(true);
    expect(matchesETag('"b"', '"a"')).toBe(false);
    expect(matchesETag(null, '"a"')).toBe(false);
  });

  it('reads the public max-age that a shared cache may use', () => {
    expect(publicMaxAge('public, max-age=300')).toBe(300);
    expect(publicMaxAge('max-age=300')).toBe(0);
    expect(publicMaxAge('public, max-age=0')).toBe(0);
    expect(publicMaxAge('private, no-store')).toBe(0);
    expect(publicMaxAge(null)).toBe(0);
  });
});

describe('the cache of rendered answers', () => {
  /**
   * A cache on a fake clock, with a renderer that records what it was asked for and, like
   * Astro and workerd, sends no body to a HEAD.
   */
  function setup({ maxEntries = 10, cacheControl = 'public, max-age=300', status = 200, numbered = true } = {}) {
    let time = 1_000_000;
    const renders: string[] = [];
    const cached = createRenderedCache({ maxEntries, now: () => time });
    const render = async (forwarded: Request) => {
      renders.push(forwarded.method === 'GET' ? forwarded.url : `${forwarded.method} ${forwarded.url}`);
      const body = forwarded.method === 'HEAD' ? null : `body of ${forwarded.url}${numbered ? ` #${renders.length}` : ''}`;
      return new Response(body, { status, headers: { 'Cache-Control': cacheControl, 'Content-Type': 'text/html; charset=utf-8' } });
    };
    const get = (url: string, headers: Record<string, string> = {}, method = 'GET', canonical?: CanonicalRequest) => cached(request(url, headers, method), render, canonical);
    return { get, renders, tick: (seconds: number) => (time += seconds * 1000) };
  }

  it('renders a URL once, then serves the same bytes with a strong ETag and a max-age that counts down', async () => {
    const { get, renders, tick } = setup();
    const first = await get('https://x.example/de/fragment');
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(first.headers.get('cache-control')).toBe('public, max-age=300');
    expect(await first.text()).toBe('body of https://x.example/de/fragment #1');
    tick(100);
    const second = await get('https://x.example/de/fragment');
    expect(await second.text()).toBe('body of https://x.example/de/fragment #1');
    expect(second.headers.get('etag')).toBe(etag);
    expect(second.headers.get('cache-control')).toBe('public, max-age=200');
    expect(second.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(renders).toHaveLength(1);
  });

  it('says the full max-age on a fresh render even when the clock moves while it is kept, and counts down by whole seconds of age', async () => {
    // A clock that moves a millisecond each time it is read, as workerd's does around I/O.
    let time = 1_000_000;
    const cached = createRenderedCache({ maxEntries: 10, now: () => (time += 1) });
    const render = async () => new Response('body', { headers: { 'Cache-Control': 'public, max-age=300' } });
    const get = () => cached(request('https://x.example/de/fragment', {}, 'GET'), render);
    expect((await get()).headers.get('cache-control')).toBe('public, max-age=300');
    time += 1500;
    expect((await get()).headers.get('cache-control')).toBe('public, max-age=299');
  });

  it('answers 304 without a body to a matching If-None-Match, keeping the other headers', async () => {
    const { get } = setup();
    const etag = (await get('https://x.example/api/jobs?locale=de')).headers.get('etag') ?? '';
    const again = await get('https://x.example/api/jobs?locale=de', { 'If-None-Match': `W/${etag}` });
    expect(again.status).toBe(304);
    expect(again.body).toBeNull();
    expect(again.headers.get('etag')).toBe(etag);
    expect(again.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect((await get('https://x.example/api/jobs?locale=de', { 'If-None-Match': '"other"' })).status).toBe(200);
  });

  it('renders again once the copy is stale, and keeps each query apart', async () => {
    const { get, renders, tick } = setup();
    await get('https://x.example/de/fragment?team=a');
    await get('https://x.example/de/fragment?team=b');
    tick(301);
    expect(await (await get('https://x.example/de/fragment?team=a')).text()).toBe('body of https://x.example/de/fragment?team=a #3');
    expect(renders).toHaveLength(3);
  });

  it('keeps no error, no private answer, and nothing for other methods', async () => {
    for (const options of [{ status: 404 }, { cacheControl: 'private, no-store' }]) {
      const { get, renders } = setup(options);
      await get('https://x.example/a');
      const again = await get('https://x.example/a');
      expect(again.headers.get('etag')).toBeNull();
      expect(renders).toHaveLength(2);
    }
    const { get, renders } = setup();
    await get('https://x.example/a', {}, 'POST');
    await get('https://x.example/a', {}, 'POST');
    expect(renders).toEqual(['POST https://x.example/a', 'POST https://x.example/a']);
  });

  it('renders a HEAD as a GET and keeps that: the next GET gets the body, a HEAD the same headers without it', async () => {
    const { get, renders } = setup();
    const head = await get('https://x.example/api/jobs?locale=de', {}, 'HEAD');
    expect(renders).toEqual(['https://x.example/api/jobs?locale=de']);
    expect(head.status).toBe(200);
    expect(head.body).toBeNull();
    const body = 'body of https://x.example/api/jobs?locale=de #1';
    const etag = head.headers.get('etag');
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(head.headers.get('content-length')).toBe(String(new TextEncoder().encode(body).byteLength));
    const getAfter = await get('https://x.example/api/jobs?locale=de');
    expect(await getAfter.text()).toBe(body);
    expect(getAfter.headers.get('etag')).toBe(etag);
    expect(renders).toHaveLength(1);
  });

  it('answers a HEAD of an answer it does not keep without a body, from a GET', async () => {
    const { get, renders } = setup({ status: 404 });
    const head = await get('https://x.example/a', {}, 'HEAD');
    expect(head.status).toBe(404);
    expect(head.body).toBeNull();
    expect(renders).toEqual(['https://x.example/a']);
  });

  it('renders afresh for a request with Cache-Control: no-cache, and keeps the new copy', async () => {
    const { get, renders } = setup();
    await get('https://x.example/de/fragment');
    const reloaded = await get('https://x.example/de/fragment', { 'Cache-Control': 'max-age=0, No-Cache' });
    expect(await reloaded.text()).toBe('body of https://x.example/de/fragment #2');
    expect(reloaded.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
    expect(await (await get('https://x.example/de/fragment')).text()).toBe('body of https://x.example/de/fragment #2');
    // Other directives (a browser's ordinary reload sends max-age=0) use the kept copy.
    await get('https://x.example/de/fragment', { 'Cache-Control': 'max-age=0' });
    expect(renders).toHaveLength(2);
  });

  it('forgets the least recently used beyond its size', async () => {
    const { get, renders } = setup({ maxEntries: 2 });
    await get('https://x.example/a');
    await get('https://x.example/b');
    await get('https://x.example/a');
    await get('https://x.example/c');
    expect(renders).toEqual(['https://x.example/a', 'https://x.example/b', 'https://x.example/c']);
    await get('https://x.example/b');
    expect(renders).toHaveLength(4);
  });

  it('renders with the canonical URL and keeps under it, so parameters the endpoint ignores make no entries', async () => {
    const { get, renders } = setup({ maxEntries: 2 });
    const canonical = { url: 'https://x.example/de/fragment?team=a' };
    await get('https://x.example/de/fragment?team=a');
    for (let junk = 0; junk < 5; junk += 1) {
      const response = await get(`https://x.example/de/fragment?utm=${junk}&team=a`, {}, 'GET', canonical);
      expect(await response.text()).toBe('body of https://x.example/de/fragment?team=a #1');
    }
    expect(renders).toEqual(['https://x.example/de/fragment?team=a']);
  });

  it('answers what it may not keep fresh each time, with an ETag, and pushes nothing out', async () => {
    const { get, renders } = setup({ maxEntries: 2, numbered: false });
    await get('https://x.example/a');
    await get('https://x.example/b');
    for (let made = 0; made < 3; made += 1) {
      const response = await get(`https://x.example/de/fragment?team=made-up-${made}`, {}, 'GET', { keepable: () => false });
      expect(response.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
      const etag = response.headers.get('etag') ?? '';
      const revalidated = await get(`https://x.example/de/fragment?team=made-up-${made}`, { 'If-None-Match': etag }, 'GET', { keepable: () => false });
      expect(revalidated.status).toBe(304);
    }
    await get('https://x.example/a');
    await get('https://x.example/b');
    expect(renders.filter((url) => !url.includes('made-up'))).toEqual(['https://x.example/a', 'https://x.example/b']);
    expect(renders.filter((url) => url.includes('made-up'))).toHaveLength(6);
  });
});

describe('the host-facing endpoints', () => {
  it('are known by their path below the base', () => {
    expect(embedEndpointOf('api/jobs')?.name).toBe('jobs-api');
    expect(embedEndpointOf('api/applications')?.name).toBe('applications-api');
    expect(embedEndpointOf('de/fragment')?.name).toBe('list-fragment');
    expect(embedEndpointOf('de/fragment/')?.name).toBe('list-fragment');
    expect(embedEndpointOf('de/jobs/machine-learning-intern/fragment')?.name).toBe('posting-fragment');
    expect(embedEndpointOf('de/jobs/machine-learning-intern/posting.jsonld')?.name).toBe('posting-jsonld');
    expect(embedEndpointOf('de/jobs/machine-learning-intern/posting.jsonld/')?.name).toBe('posting-jsonld');
    for (const other of ['de/', 'de/jobs/x/', 'de/jobs/x/apply', 'api/other', 'de/jobs/fragment/x', 'api/jobs.schema.json']) expect(embedEndpointOf(other), other).toBeUndefined();
  });

  it('know the form route an application posts to without JavaScript', () => {
    expect('de/jobs/machine-learning-intern/apply'.match(APPLICATION_FORM_ROUTE)?.slice(1)).toEqual(['de', 'machine-learning-intern']);
    expect(APPLICATION_FORM_ROUTE.test('de/jobs/x/apply/')).toBe(true);
    for (const other of ['api/applications', 'de/jobs/x/', 'de/jobs/x/applied']) expect(APPLICATION_FORM_ROUTE.test(other), other).toBe(false);
  });
});

describe('paths with empty segments', () => {
  it('collapse to the path they were meant to be', () => {
    expect(collapseEmptySegments('/careers/de//jobs///x/fragment')).toBe('/careers/de/jobs/x/fragment');
    // A leading "//" would read as another host in a Location header; collapsed, it cannot.
    expect(collapseEmptySegments('//evil.example/x')).toBe('/evil.example/x');
    expect(collapseEmptySegments('/careers/de/')).toBe('/careers/de/');
  });
});

describe('the security headers for hosts', () => {
  it('let ourselves and the allowed hosts frame our pages', () => {
    expect(contentSecurityPolicy({ embedOrigins: [] })).toMatch(/frame-ancestors 'self'$/);
    expect(contentSecurityPolicy({ embedOrigins: [HOST, 'https://b.example'] })).toMatch(/frame-ancestors 'self' https:\/\/www\.example\.com https:\/\/b\.example$/);
  });

  it('let any page load our built scripts, which are public and immutable', () => {
    expect(renderHeadersFile({ embedOrigins: [] }, '/careers/')).toContain('\n/careers/_astro/*\n  Access-Control-Allow-Origin: *\n');
  });

  it('let any page’s script read the JSON Schema that /api/jobs links to', () => {
    expect(renderHeadersFile({ embedOrigins: [] }, '/careers/')).toMatch(/\n\/careers\/api\/jobs\.schema\.json\n {2}Access-Control-Allow-Origin: \*\n$/);
  });
});
