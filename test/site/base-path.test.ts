import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSite, type RunningSite } from '../support/site';

// The whole site mounted under /careers/, as a host site would embed it: one setting
// (BASE_PATH) moves every page, link, asset, redirect, cookie and header rule.
let site: RunningSite;
const origin = () => new URL(site.url).origin;
const get = (path: string, init: RequestInit = {}) => fetch(new URL(path, origin()), { redirect: 'manual', ...init });

beforeAll(async () => {
  site = await startSite({ outDir: 'test/.tmp/base-path-dist', env: { BASE_PATH: '/careers' } });
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
