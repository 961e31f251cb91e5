import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSite, type RunningSite } from '#test/support/site.ts';

// A deployment configured for a host site: the whole site mounted under /careers/ (one
// setting, BASE_PATH, moves every page, link, asset, redirect, cookie and header rule),
// framed by the host (FRAME_ANCESTORS), with Turnstile (Cloudflare's always-passing test key).
const HOST = 'https://www.example.com';
const TURNSTILE_TEST_SITE_KEY = '1x00000000000000000000AA';
let site: RunningSite;
const origin = () => new URL(site.url).origin;
const get = (path: string, init: RequestInit = {}) => fetch(new URL(path, origin()), { redirect: 'manual', ...init });

beforeAll(async () => {
  site = await startSite({
    outDir: 'test/.tmp/deployment-dist',
    env: { BASE_PATH: '/careers', FRAME_ANCESTORS: `'self' ${HOST}`, TURNSTILE_SITE_KEY: TURNSTILE_TEST_SITE_KEY },
  });
});
afterAll(async () => {
  await site?.stop();
});

describe('under a path prefix', () => {
  it('serves the pages below the prefix, with every link and asset below it too', async () => {
    const response = await get('/careers/de/jobs/machine-learning-intern/');
    expect(response.status).toBe(200);
    const html = await response.text();
    const urls = [...html.matchAll(/\s(?:href|src|action)="([^"]+)"/g)].map((match) => match[1] ?? '');
    expect(urls.length).toBeGreaterThan(5);
    for (const url of urls.filter((value) => value.startsWith('/'))) expect(url).toMatch(/^\/careers\//);
    expect(html).toContain('href="http://localhost:4321/careers/en/jobs/machine-learning-intern/"');
    expect(html).toContain('href="/careers/language/en/jobs/machine-learning-intern/"');
    expect(html).toContain('href="/careers/favicon.svg"');
    expect((await get('/careers/favicon.svg')).status).toBe(200);
  });

  it('negotiates the language for the prefix root and unprefixed paths below it', async () => {
    const root = await get('/careers/', { headers: { 'Accept-Language': 'de' } });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/careers/de/');
    const job = await get('/careers/jobs/machine-learning-intern/', { headers: { 'Accept-Language': 'en' } });
    expect(job.headers.get('location')).toBe('/careers/en/jobs/machine-learning-intern/');
  });

  it('scopes the language cookie to the prefix', async () => {
    const response = await get('/careers/language/de/');
    expect(response.headers.get('location')).toBe('/careers/de/');
    expect(response.headers.get('set-cookie')).toMatch(/Path=\/careers\//);
  });

  it('answers localized 404s and puts the security headers on static pages', async () => {
    const missing = await get('/careers/de/nope/');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('Seite nicht gefunden');
    const page = await get('/careers/en/');
    expect(page.headers.get('content-security-policy')).toMatch(/frame-ancestors/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('does not answer outside the prefix', async () => {
    expect((await get('/en/')).status).toBe(404);
  });
});

describe('for a host site', () => {
  it('lets the configured host frame the pages, static and rendered alike', async () => {
    for (const path of ['/careers/en/jobs/machine-learning-intern/', '/careers/de/', '/careers/']) {
      const csp = (await get(path)).headers.get('content-security-policy') ?? '';
      expect(csp, path).toMatch(new RegExp(`frame-ancestors 'self' ${HOST.replace(/\./g, '\\.')}(;|$)`));
    }
  });

  it('shows the Turnstile widget in the form and allows its script and frame, nothing else', async () => {
    const response = await get('/careers/de/jobs/machine-learning-intern/');
    const html = await response.text();
    expect(html).toContain(`<div class="cf-turnstile" data-sitekey="${TURNSTILE_TEST_SITE_KEY}" data-action="apply" data-language="de" data-response-field-name="cf-turnstile-response">`);
    expect(html).toContain('<script src="https://challenges.cloudflare.com/turnstile/v0/api.js" async defer></script>');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self' https:\/\/challenges\.cloudflare\.com;/);
    expect(csp).toMatch(/frame-src https:\/\/challenges\.cloudflare\.com;/);
    expect(html).toContain('action="/careers/de/jobs/machine-learning-intern/apply"');
    expect(html).toContain('data-api="/careers/api/applications"');
  });
});

describe('a deployment whose Turnstile secret is missing', () => {
  // This build has TURNSTILE_SITE_KEY but the server was given no TURNSTILE_SECRET_KEY.
  it('refuses applications with 503 in the visitor’s language instead of skipping the check, and says why once in the log', async () => {
    const form = () => {
      const body = new FormData();
      body.set('job', 'machine-learning-intern');
      body.set('locale', 'de');
      return body;
    };
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const response = await get('/careers/api/applications', { method: 'POST', body: form(), headers: { Origin: origin(), 'Accept-Language': 'de' } });
      statuses.push(response.status);
      expect(await response.json()).toEqual({ error: expect.stringContaining('nicht speichern'), issues: [] });
    }
    const page = await get('/careers/en/jobs/machine-learning-intern/apply', { method: 'POST', body: form(), headers: { Origin: origin() } });

    expect(statuses).toEqual([503, 503, 503]);
    expect(page.status).toBe(503);
    await expect.poll(() => site.output()).toContain('"event":"config.invalid"');
    const lines = site.output().split('\n').filter((line) => line.includes('"event":"config.invalid"'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('TURNSTILE_SECRET_KEY');
    expect(lines[0]).toContain('wrangler secret put TURNSTILE_SECRET_KEY');
  });
});

