/**
 * Embedding, over HTTP: our Worker built for a host (BASE_PATH=/careers, SITE_URL on the host,
 * the host's DSD origin in EMBED_ORIGINS) behind the test host of test/host/, which mounts it
 * through a service binding (test/support/embed.ts). What a host, a crawler or a CDN sees.
 */
import { createHash } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { jobsApiResponseSchema } from '#src/schemas/jobsApi.ts';
import { applicationsFrom, fetchLocal } from '#test/support/embed.ts';
import { buildSite } from '#test/support/site.ts';
import { applicationFormData } from '#test/support/applicant.ts';

const hosts = inject('embedOrigins');
const SITE = hosts.site;
const FOREIGN = 'https://evil.example';
const JOB = 'machine-learning-intern';
const TITLE_DE = 'Praktikant Machine Learning (m/w/d)';
const get = (url: string, headers: Record<string, string> = {}) => fetchLocal(url, { headers });
const careers = (path: string) => `${SITE}/careers/${path}`;

/** The JSON-LD objects in an HTML text. */
const jsonLdOf = (html: string) => [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((match) => JSON.parse(match[1] ?? ''));
/** Every URL in href, src, action and data-api attributes. */
const urlsOf = (html: string) => [...html.matchAll(/\s(?:href|src|action|data-api)="([^"]*)"/g)].map((match) => match[1] ?? '');

/** Our private answers' headers: never stored, never indexed, no referrer to other sites. */
function expectPrivateHeaders(response: Response): void {
  expect(response.headers.get('cache-control')).toBe('private, no-store');
  expect(response.headers.get('x-robots-tag')).toBe('noindex, nofollow');
  expect(response.headers.get('referrer-policy')).toBe('strict-origin');
}

/** A complete application as a multipart body, for the form route (and, with job and locale, the API). */
async function application(extra: Record<string, string> = {}): Promise<{ body: Uint8Array; contentType: string }> {
  const encoded = new Response(applicationFormData(extra));
  return { body: new Uint8Array(await encoded.arrayBuffer()), contentType: encoded.headers.get('content-type') ?? '' };
}

/** Posts a complete application to `url` from `origin` (a browser always sends Origin on POST). */
async function post(url: string, origin: string | undefined, extra: Record<string, string> = {}, headers: Record<string, string> = {}) {
  const { body, contentType } = await application(extra);
  return fetchLocal(url, { method: 'POST', body, headers: { 'Content-Type': contentType, ...(origin ? { Origin: origin } : {}), ...headers } });
}

describe('the EMBED_ORIGINS setting', () => {
  it('stops the build when an entry is not an origin, saying which and how to write it', () => {
    expect(() => buildSite({ outDir: 'test/.tmp/refused-dist', env: { EMBED_ORIGINS: 'https://ok.example, http://www.example.com/careers' } })).toThrow(
      /EMBED_ORIGINS: "http:\/\/www\.example\.com\/careers" is not an allowed origin: write scheme and host \(and port\), nothing after them, e\.g\. https:\/\/www\.example\.com; http:\/\/ only for localhost/,
    );
  });
});

describe('way 1: mounted under the host’s /careers', () => {
  it('serves the pages below the prefix, every link and asset below it too, canonical on SITE_URL', async () => {
    const response = await get(careers(`de/jobs/${JOB}/`));
    expect(response.status).toBe(200);
    const html = await response.text();
    const rootRelative = urlsOf(html).filter((url) => url.startsWith('/'));
    expect(rootRelative.length).toBeGreaterThan(5);
    for (const url of rootRelative) expect(url).toMatch(/^\/careers\//);
    expect(html).toContain(`<link rel="canonical" href="${SITE}/careers/de/jobs/${JOB}/">`);
    expect(html).toContain(`href="${SITE}/careers/en/jobs/${JOB}/"`);
    expect(html).toContain(`href="/careers/language/en/jobs/${JOB}/"`);
    expect(html).toContain('action="/careers/de/jobs/machine-learning-intern/apply"');
    expect(html).toContain('data-api="/careers/api/applications"');
    expect((await get(careers('favicon.svg'))).status).toBe(200);
    const sitemap = await (await get(careers('sitemap.xml'))).text();
    expect(sitemap).toContain(`<loc>${SITE}/careers/en/jobs/${JOB}/</loc>`);
  });

  it('negotiates the language at /careers/ and at unprefixed paths below it', async () => {
    const root = await get(careers(''), { 'Accept-Language': 'de-DE,de;q=0.9' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/careers/de/');
    const job = await get(careers(`jobs/${JOB}/`), { 'Accept-Language': 'en' });
    expect(job.headers.get('location')).toBe(`/careers/en/jobs/${JOB}/`);
  });

  it('scopes the language cookie to the prefix', async () => {
    const response = await get(careers('language/de/'));
    expect(response.headers.get('location')).toBe('/careers/de/');
    expect(response.headers.get('set-cookie')).toMatch(/Path=\/careers\//);
  });

  it('answers localized 404s below the prefix', async () => {
    const missing = await get(careers('de/nope/'));
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('Seite nicht gefunden');
  });

  it('lets the allowed host frame the pages, static and rendered alike, and no one else', async () => {
    for (const path of [`en/jobs/${JOB}/`, 'de/', '']) {
      const csp = (await get(careers(path))).headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain(`frame-ancestors 'self' ${hosts.dsd}`);
      expect(csp, path).not.toContain(FOREIGN);
    }
  });
});

describe('the posting fragment', () => {
  const url = careers(`de/jobs/${JOB}/fragment`);

  it('answers only our markup, in a declarative shadow root that carries our styles', async () => {
    const response = await get(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    expect(html).toMatch(/^<div data-careers-fragment lang="de-DE" dir="ltr"><template shadowrootmode="open"><style>:root/);
    expect(html).toMatch(/<\/template><\/div>$/);
    expect(html).not.toMatch(/<!doctype|<html|<head|<body|<link rel="canonical"/i);
    expect(html).toContain(`<h1>${TITLE_DE}</h1>`);
    expect(html).toContain('id="application-form"');
  });

  it('makes every link, the form, its API and its script absolute on SITE_URL', async () => {
    const html = await (await get(url)).text();
    const urls = urlsOf(html).filter((value) => !value.startsWith('#'));
    expect(urls.length).toBeGreaterThan(3);
    for (const value of urls) expect(value).toMatch(/^https?:\/\//);
    expect(html).toContain(`action="${SITE}/careers/de/jobs/${JOB}/apply"`);
    expect(html).toContain(`data-api="${SITE}/careers/api/applications"`);
    const script = html.match(/<script type="module" src="([^"]+)"/)?.[1] ?? '';
    expect(script).toMatch(new RegExp(`^${SITE}/careers/_astro/`));
    // A module script from our origin on a host page is fetched in CORS mode.
    expect((await get(script, { Origin: hosts.dsd })).headers.get('access-control-allow-origin')).toBe('*');
  });

  it('can be cached by a host: ETag, Cache-Control, 304 to If-None-Match, Vary: Origin, the same bytes each time', async () => {
    const first = await get(url);
    const body = await first.text();
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(first.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    expect(first.headers.get('vary')).toMatch(/Origin/);
    const again = await get(url, { 'If-None-Match': etag });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect(await again.text()).toBe('');
    const changed = await get(url, { 'If-None-Match': '"something-else"' });
    expect(changed.status).toBe(200);
    // Served again from the Worker's copy: the same bytes.
    expect(await changed.text()).toBe(body);
  });

  it('answers CORS to the allowed host only', async () => {
    expect((await get(url, { Origin: hosts.dsd })).headers.get('access-control-allow-origin')).toBe(hosts.dsd);
    expect((await get(url, { Origin: FOREIGN })).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers 404 with a fragment, never a whole page, for an unknown posting or language', async () => {
    const response = await get(careers('de/jobs/no-such-job/fragment'));
    expect(response.status).toBe(404);
    const html = await response.text();
    expect(html).toMatch(/^<div data-careers-fragment/);
    expect(html).toContain('Diese Stelle gibt es nicht');
    for (const path of ['xx/jobs/machine-learning-intern/fragment', 'xx/fragment']) {
      const unknown = await get(careers(path));
      expect(unknown.status, path).toBe(404);
      expect(await unknown.text(), path).toMatch(/^<div data-careers-fragment lang="en" dir="ltr">/);
    }
  });
});

describe('the list fragment', () => {
  it('lists the open postings, linking to our pages, with filters that submit to the host page', async () => {
    const response = await get(careers('en/fragment'));
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toMatch(/^<div data-careers-fragment lang="en"/);
    expect(html).toContain(`<a href="${SITE}/careers/en/jobs/${JOB}/">Machine Learning Intern</a>`);
    expect(html).toMatch(/<form class="filters" method="get" aria-label="Filter positions">/);
    expect(response.headers.get('vary')).toMatch(/Origin/);
  });

  it('applies the filters of its query, and offers to clear them on the host page', async () => {
    const none = await (await get(careers('en/fragment?team=nobody'))).text();
    expect(none).toContain('No open positions match your selection');
    expect(none).toContain('<a href="?">Show all positions</a>');
  });
});

describe('posting.jsonld', () => {
  it('answers the page’s own JobPosting as application/ld+json, canonical on SITE_URL', async () => {
    const response = await get(careers(`de/jobs/${JOB}/posting.jsonld`));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/ld+json; charset=utf-8');
    expect(response.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
    const text = await response.text();
    expect(text).not.toContain('<');
    const [onPage] = jsonLdOf(await (await get(careers(`de/jobs/${JOB}/`))).text());
    expect(JSON.parse(text)).toEqual(onPage);
    expect(JSON.parse(text)).toMatchObject({ '@type': 'JobPosting', url: `${SITE}/careers/de/jobs/${JOB}/` });
  });

  it('answers 404 for an unknown posting, in its language', async () => {
    const response = await get(careers('en/jobs/no-such-job/posting.jsonld'));
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: expect.stringContaining('does not exist'), issues: [] });
  });
});

describe('GET /api/jobs', () => {
  it('lists the open postings of a language in the documented schema, with URLs on SITE_URL', async () => {
    const response = await get(careers('api/jobs?locale=de'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    const body = jobsApiResponseSchema.parse(await response.json());
    expect(body.locale).toBe('de');
    expect(body.jobs).toContainEqual(
      expect.objectContaining({
        slug: JOB,
        title: TITLE_DE,
        location: { city: 'München', region: 'Bayern', countryCode: 'DE' },
        employmentType: 'INTERN',
        workplace: 'on-site',
        datePosted: '2025-11-21',
        url: `${SITE}/careers/de/jobs/${JOB}/`,
        applyUrl: `${SITE}/careers/de/jobs/${JOB}/apply`,
        fragmentUrl: `${SITE}/careers/de/jobs/${JOB}/fragment`,
      }),
    );
    expect((await get(careers('api/jobs?locale=de&type=FULL_TIME'))).ok).toBe(true);
    expect(((await (await get(careers('api/jobs?locale=de&type=FULL_TIME'))).json()) as { jobs: unknown[] }).jobs).toEqual([]);
  });

  it('links its JSON Schema, which is served', async () => {
    const link = (await get(careers('api/jobs?locale=en'))).headers.get('link') ?? '';
    expect(link).toBe('</careers/api/jobs.schema.json>; rel="describedby"');
    const schema = await get(`${SITE}/careers/api/jobs.schema.json`);
    expect(schema.status).toBe(200);
    expect(await schema.json()).toMatchObject({ $schema: 'https://json-schema.org/draft/2020-12/schema', title: 'Open postings' });
  });

  it('lets a host’s script follow the link: the schema answers CORS to any origin, without credentials', async () => {
    const schema = await get(`${SITE}/careers/api/jobs.schema.json`, { Origin: hosts.dsd });
    expect(schema.headers.get('access-control-allow-origin')).toBe('*');
    expect(schema.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('answers HEAD like GET, without a body', async () => {
    const response = await fetchLocal(careers('api/jobs?locale=en'), { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
  });

  it('answers 304 to a matching If-None-Match', async () => {
    const etag = (await get(careers('api/jobs?locale=en'))).headers.get('etag') ?? '';
    expect(etag).not.toBe('');
    expect((await get(careers('api/jobs?locale=en'), { 'If-None-Match': etag })).status).toBe(304);
  });

  it('answers 400 with the documented problem, in the visitor’s language, to a missing or unknown locale', async () => {
    for (const query of ['', '?locale=fr']) {
      const response = await get(careers(`api/jobs${query}`), { 'Accept-Language': 'de' });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        error: 'Bitte korrigieren Sie die Parameter der Anfrage.',
        issues: [{ field: 'locale', message: 'Bitte wählen Sie eine dieser Sprachen: en, de.' }],
      });
    }
  });

  it('answers 405 with Allow to other methods', async () => {
    const response = await fetchLocal(careers('api/jobs?locale=en'), { method: 'DELETE', headers: { Origin: SITE } });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect(await response.json()).toEqual({ error: 'This address answers GET and HEAD requests only.', issues: [] });
  });

  it('answers CORS to the allowed host only, preflight included', async () => {
    const allowed = await get(careers('api/jobs?locale=en'), { Origin: hosts.dsd });
    expect(allowed.headers.get('access-control-allow-origin')).toBe(hosts.dsd);
    expect(allowed.headers.get('access-control-expose-headers')).toContain('ETag');
    expect(allowed.headers.get('vary')).toMatch(/Origin/);
    const foreign = await get(careers('api/jobs?locale=en'), { Origin: FOREIGN });
    expect(foreign.status).toBe(200);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = (origin: string) =>
      fetchLocal(careers('api/jobs'), { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'GET' } });
    const granted = await preflight(hosts.dsd);
    expect(granted.status).toBe(204);
    expect(granted.headers.get('access-control-allow-origin')).toBe(hosts.dsd);
    expect(granted.headers.get('access-control-allow-methods')).toBe('GET, HEAD');
    const refused = await preflight(FOREIGN);
    expect(refused.status).toBe(204);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('applications from a host', () => {
  const formRoute = careers(`de/jobs/${JOB}/apply`);
  const api = careers('api/applications');

  it('accepts a form post from the allowed host and redirects to the applicant’s private page', async () => {
    const response = await post(formRoute, hosts.dsd);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(/^\/careers\/de\/application\/[A-Za-z0-9_-]{43}\/\?submitted=stored$/);
  });

  it('refuses a form post from any other site with 403 and stores nothing, but shows our form again, re-filled, to send from our page', async () => {
    for (const origin of [FOREIGN, 'null', undefined]) {
      const email = `refused.${crypto.randomUUID()}@example.com`;
      const response = await post(formRoute, origin, { email, firstName: 'Ada', motivation: 'Weil <Daten> mich interessieren' });
      expect(response.status, String(origin)).toBe(403);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(response.headers.get('cache-control')).toBe('private, no-store');
      const html = await response.text();
      expect(html).toContain('<html lang="de-DE"');
      expect(html).toContain('Bitte prüfen Sie zu Ihrer Sicherheit Ihre Angaben, geben Sie Ihre E-Mail-Adresse erneut ein, hängen Sie Ihren Lebenslauf erneut an und senden Sie das Formular dann von dieser Seite ab.');
      // The typed text comes back (escaped), the file never does; the form posts same-origin now.
      expect(html).toContain('value="Ada"');
      // Never the e-mail address: another site must not choose where the private link goes.
      expect(html).not.toContain(email);
      const emailInput = html.match(/<input[^>]*\bid="email"[^>]*>/)?.[0];
      expect(emailInput).toBeDefined();
      expect(emailInput).not.toMatch(/\bvalue=/);
      expect(html).toContain('>Weil &lt;Daten&gt; mich interessieren</textarea>');
      expect(html).toContain(`action="/careers/de/jobs/${JOB}/apply"`);
      expect(await applicationsFrom(email)).toBe(0);
    }
  });

  it('takes a post from our own origin as it is, marker header or not: only the Worker’s own re-fill is shown re-filled', async () => {
    const email = `marked.${crypto.randomUUID()}@example.com`;
    const response = await post(formRoute, SITE, { email }, { 'X-Careers-Origin-Refused': '1' });
    // From our own origin the post is not refused: the page takes it as it is.
    expect(response.status).toBe(303);
    expect(await applicationsFrom(email)).toBe(1);
  });

  it('takes the API from the allowed host with CORS, after a preflight that allows the Idempotency-Key', async () => {
    const preflight = await fetchLocal(api, {
      method: 'OPTIONS',
      headers: { Origin: hosts.dsd, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'idempotency-key' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(hosts.dsd);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('Idempotency-Key');
    expect(preflight.headers.get('access-control-max-age')).toBe('86400');
    const response = await post(api, hosts.dsd, { job: JOB, locale: 'en' }, { 'Idempotency-Key': crypto.randomUUID() });
    expect(response.status).toBe(201);
    expect(response.headers.get('access-control-allow-origin')).toBe(hosts.dsd);
    expect(await response.json()).toMatchObject({
      reference: expect.stringMatching(/^ML-[2-9A-Z]{6}$/),
      outcome: 'stored',
      link: expect.stringMatching(/\/careers\/en\/application\/[A-Za-z0-9_-]{43}\/$/),
    });
  });

  it('refuses the API from any other site with 403 and the documented problem, in the visitor’s language', async () => {
    const response = await post(api, FOREIGN, { job: JOB, locale: 'en' }, { 'Accept-Language': 'en' });
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(await response.json()).toEqual({ error: expect.stringContaining('nothing was stored'), issues: [] });
  });
});

describe('what a host-facing answer depends on', () => {
  /** The SHA-256 ETag the Worker gives a body. */
  const etagOf = async (body: ArrayBuffer) => `"${createHash('sha256').update(Buffer.from(body)).digest('hex').slice(0, 32)}"`;

  it('answers a HEAD like the GET, and the GET after it still gets its body (a HEAD is never kept as the answer)', async () => {
    for (const path of [`en/jobs/${JOB}/posting.jsonld`, 'api/jobs?locale=en&location=Munich&type=INTERN']) {
      const head = await fetchLocal(careers(path), { method: 'HEAD' });
      expect(head.status, path).toBe(200);
      const length = Number(head.headers.get('content-length'));
      expect(length, path).toBeGreaterThan(100);
      const response = await get(careers(path));
      const body = await response.arrayBuffer();
      expect(body.byteLength, path).toBe(length);
      expect(response.headers.get('etag'), path).toBe(await etagOf(body));
      expect(head.headers.get('etag'), path).toBe(response.headers.get('etag'));
      expect(head.headers.get('content-type'), path).toBe(response.headers.get('content-type'));
    }
  });

  it('ignores query parameters an endpoint does not read, and keeps junk from pushing answers out of its cache', async () => {
    const list = careers('de/fragment?type=INTERN');
    const first = await get(list);
    const etag = first.headers.get('etag');
    // A kept copy's max-age counts down; a fresh render says 300 again.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    for (let junk = 0; junk < 205; junk += 1) {
      const response = await get(careers(`de/fragment?utm_source=${junk}&type=INTERN`));
      expect(response.headers.get('etag')).toBe(etag);
      await response.arrayBuffer();
    }
    for (let made = 0; made < 205; made += 1) {
      const response = await get(careers(`de/fragment?team=made-up-${made}`));
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('Keine offene Stelle entspricht Ihrer Auswahl.');
    }
    const again = await get(list);
    expect(again.headers.get('etag')).toBe(etag);
    expect(again.headers.get('cache-control')).toMatch(/^public, max-age=(\d+)$/);
    expect(Number(again.headers.get('cache-control')?.split('=')[1])).toBeLessThan(300);
  });

  it('answers the same to the same filters in any order or spelling of the query', async () => {
    const a = await get(careers('api/jobs?type=INTERN&locale=de&utm_campaign=x'));
    const b = await get(careers('api/jobs?locale=de&locale=en&type=INTERN'));
    expect(a.headers.get('etag')).toBe(b.headers.get('etag'));
    expect(((await a.json()) as { locale: string }).locale).toBe('de');
  });
});

describe('paths with empty segments', () => {
  it('send a GET or HEAD to the path without them, query kept', async () => {
    for (const [path, canonical] of [
      [`de/jobs/${JOB}//fragment`, `/careers/de/jobs/${JOB}/fragment`],
      ['de//fragment?team=x', '/careers/de/fragment?team=x'],
      [`de/jobs//${JOB}/fragment`, `/careers/de/jobs/${JOB}/fragment`],
      [`de/jobs/${JOB}//posting.jsonld`, `/careers/de/jobs/${JOB}/posting.jsonld`],
      ['api//jobs?locale=de', '/careers/api/jobs?locale=de'],
      ['/de/', '/careers/de/'],
    ] as const) {
      const response = await get(careers(path));
      expect(response.status, path).toBe(301);
      expect(response.headers.get('location'), path).toBe(canonical);
      expect(response.headers.get('etag'), path).toBeNull();
    }
    expect((await fetchLocal(careers('api//jobs?locale=de'), { method: 'HEAD' })).status).toBe(301);
    // A static page never reaches the Worker: Cloudflare's asset server does the same, with 307.
    const page = await get(careers(`de//jobs/${JOB}/`));
    expect(page.status).toBe(307);
    expect(new URL(page.headers.get('location') ?? '', SITE).pathname).toBe(`/careers/de/jobs/${JOB}/`);
  });

  it('keep the redirect of a private page’s address (a token, a reference) private, never in a shared cache', async () => {
    for (const path of ['de//application/some-token/', 'en/application//some-token/', 'de//recruiters/']) {
      const response = await get(careers(path));
      expect(response.status, path).toBe(301);
      expect(response.headers.get('cache-control'), path).toBe('private, no-store');
      expect(response.headers.get('referrer-policy'), path).toBe('strict-origin');
      expect(response.headers.get('x-robots-tag'), path).toBe('noindex, nofollow');
    }
  });

  it('answer anything else with 404 in the visitor’s language, and store nothing', async () => {
    const email = `slashes.${crypto.randomUUID()}@example.com`;
    const form = await post(careers(`de/jobs//${JOB}/apply`), SITE, { email });
    expect(form.status).toBe(404);
    expect(await form.text()).toContain('leeren Pfadabschnitt');
    const api = await post(careers('api//applications'), SITE, { job: JOB, locale: 'en', email }, { 'Accept-Language': 'en' });
    expect(api.status).toBe(404);
    expect(await api.json()).toEqual({ error: expect.stringContaining('empty path segment'), issues: [] });
    expect(await applicationsFrom(email)).toBe(0);
  });
});

describe('the host-facing endpoints’ errors', () => {
  it('posting.jsonld: an unknown language is a 404 problem in the visitor’s language', async () => {
    const response = await get(careers(`xx/jobs/${JOB}/posting.jsonld`), { 'Accept-Language': 'de' });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await response.json()).toEqual({ error: expect.stringContaining('Diese Stelle gibt es nicht'), issues: [] });
  });

  it('posting.jsonld: with a trailing slash, the same answer', async () => {
    const plain = await get(careers(`de/jobs/${JOB}/posting.jsonld`));
    const slash = await get(careers(`de/jobs/${JOB}/posting.jsonld/`));
    expect(slash.status).toBe(200);
    expect(slash.headers.get('content-type')).toBe('application/ld+json; charset=utf-8');
    expect(slash.headers.get('etag')).toBe(plain.headers.get('etag'));
  });

  it('fragments and posting.jsonld answer other methods with 405, Allow and a problem, never their content', async () => {
    for (const path of [`de/jobs/${JOB}/posting.jsonld`, `de/jobs/${JOB}/fragment`, 'de/fragment']) {
      for (const method of ['POST', 'DELETE', 'PUT']) {
        const response = await fetchLocal(careers(path), { method, headers: { Origin: SITE, 'Accept-Language': 'en' } });
        expect(response.status, `${method} ${path}`).toBe(405);
        expect(response.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
        expect(response.headers.get('cache-control')).toBe('no-store');
        expect(await response.json()).toEqual({ error: 'Diese Adresse beantwortet nur GET- und HEAD-Anfragen.', issues: [] });
      }
    }
  });
});

describe('a gateway that would pierce a private page into its host’s page', () => {
  // What web-fragments' gateway sends when it fetches a page to pierce (its SSR fetch); way 1
  // passes requests on as they are, so this reaches our Worker as from a gateway.
  const PIERCING = { 'X-Fragment-Mode': 'embedded', 'Sec-Fetch-Dest': 'empty', Accept: 'text/html' };

  it('gets a private 403 with a notice for the host’s operator, never the applicant’s page or the inbox', async () => {
    const posted = await post(careers(`de/jobs/${JOB}/apply`), SITE);
    const location = posted.headers.get('location') ?? '';
    expect(location).toMatch(/^\/careers\/de\/application\/[A-Za-z0-9_-]{43}\/\?submitted=stored$/);
    // The same page without the gateway's mark: the applicant's own page.
    expect((await get(`${SITE}${location}`)).status).toBe(200);
    for (const path of [location, `${location.replace(/\?.*$/, '')}withdraw`, '/careers/de/recruiters/', '/careers/en/recruiters/applications/ML-ABCDEF/']) {
      const response = await get(`${SITE}${path}`, PIERCING);
      expect(response.status, path).toBe(403);
      expectPrivateHeaders(response);
      const text = await response.text();
      expect(text, path).not.toMatch(/ML-[2-9A-Z]{6}|<form/);
      expect(text, path).toContain(path.startsWith('/careers/en/') ? 'This private page is not shown inside another website’s page' : 'Diese private Seite wird nicht innerhalb der Seite einer anderen Website gezeigt');
    }
  });

  it('leaves the public pages to be pierced as before', async () => {
    const list = await get(careers('de/'), PIERCING);
    expect(list.status).toBe(200);
    expect(await list.text()).toContain('Offene Stellen');
  });
});

describe('the host page as a crawler reads it (raw HTML, no browser)', () => {
  it('way 2: the Web Fragments host has our posting pierced in and its JSON-LD in its own <head>', async () => {
    const response = await get(`${hosts.webFragments}/careers/de/jobs/${JOB}/`, { Accept: 'text/html' });
    expect(response.status).toBe(200);
    const html = await response.text();
    const head = html.slice(0, html.indexOf('</head>'));
    const [posting] = jsonLdOf(head);
    expect(posting).toMatchObject({ '@type': 'JobPosting', title: TITLE_DE, url: `${SITE}/careers/de/jobs/${JOB}/` });
    expect(html).toContain('<web-fragment fragment-id="careers">');
    expect(html).toContain(`${TITLE_DE}</h1>`);
  });

  it('way 2: a refused no-JS application shows our form with its problems in the host’s private page', async () => {
    const response = await post(`${hosts.webFragments}/careers/de/jobs/${JOB}/apply`, hosts.webFragments, { email: 'keine-adresse' }, { 'Sec-Fetch-Dest': 'document', Accept: 'text/html' });
    // The page is the host's: its status is the shell's, our 422 is inside. It holds what the
    // applicant typed, so the browser must not store it (no-cache would still let it, on disk).
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    const html = await response.text();
    expect(html).toContain('<web-fragment fragment-id="careers">');
    expect(html).toContain('id="form-summary"');
    expect(html).toContain('value="keine-adresse"');
  });

  it('way 2: the host forwards the applicant’s private page to us instead of piercing it into its page: our headers, no host page around it', async () => {
    const posted = await post(`${hosts.webFragments}/careers/de/jobs/${JOB}/apply`, hosts.webFragments, {}, { 'Sec-Fetch-Dest': 'document', Accept: 'text/html' });
    expect(posted.status).toBe(303);
    const location = posted.headers.get('location') ?? '';
    expect(location).toMatch(/^\/careers\/de\/application\/[A-Za-z0-9_-]{43}\/\?submitted=stored$/);
    const response = await get(`${hosts.webFragments}${location}`, { 'Sec-Fetch-Dest': 'document', Accept: 'text/html' });
    expect(response.status).toBe(200);
    expectPrivateHeaders(response);
    expect(response.headers.get('x-web-fragment-id')).toBeNull();
    const html = await response.text();
    expect(html).toMatch(/^<!DOCTYPE html>\s*<html lang="de-DE"/i);
    expect(html).toContain('class="reference"');
    expect(html).not.toMatch(/<web-fragment|host-bar|Example GmbH/);
  });

  it('way 2: the host forwards the recruiters’ inbox to us too, and a made-up private link gets our 404, not the host’s page', async () => {
    for (const [path, status] of [['de/recruiters/', 401], [`de/application/${'x'.repeat(43)}/`, 404]] as const) {
      const response = await get(`${hosts.webFragments}/careers/${path}`, { 'Sec-Fetch-Dest': 'document', Accept: 'text/html' });
      expect(response.status, path).toBe(status);
      expectPrivateHeaders(response);
      expect(await response.text(), path).not.toMatch(/<web-fragment|host-bar/);
    }
  });

  it('way 3: the DSD host’s list passes its query on, so the list’s filters work there without JavaScript', async () => {
    const all = await (await get(`${hosts.dsd}/stellen/`)).text();
    expect(all).toContain(`<a href="${SITE}/careers/de/jobs/${JOB}/">${TITLE_DE}</a>`);
    const none = await (await get(`${hosts.dsd}/stellen/?team=niemand`)).text();
    expect(none).toContain('Keine offene Stelle entspricht Ihrer Auswahl.');
    expect(none).not.toContain(`${JOB}/">`);
  });

  it('way 3: the DSD host has our fragment in its body and the JSON-LD in its own <head>', async () => {
    const html = await (await get(`${hosts.dsd}/stellen/${JOB}/`)).text();
    const head = html.slice(0, html.indexOf('</head>'));
    expect(jsonLdOf(head)).toEqual([expect.objectContaining({ '@type': 'JobPosting', url: `${SITE}/careers/de/jobs/${JOB}/` })]);
    expect(html.slice(html.indexOf('<body>'))).toContain('<div data-careers-fragment lang="de-DE" dir="ltr"><template shadowrootmode="open">');
  });
});
