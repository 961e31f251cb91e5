/**
 * The list page, the life cycle and the feeds on the 30+ posting fixture set
 * (test/fixtures/many), built into its own folder and served by the production Worker; the
 * same build has Turnstile on (Cloudflare's always-passing test site key) but is served without
 * its secret, an invalid setting.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readContentTree } from '#src/content-tools/files.ts';
import { validateJob } from '#src/content-tools/validate.ts';
import { acceptsApplications } from '#functions/postings/lifecycle.ts';
import { ROOT, startSite, type RunningSite } from '#test/support/site.ts';

const OUT_DIR = 'test/.tmp/many-dist';
const CONTENT_DIR = 'test/fixtures/many';
const TURNSTILE_TEST_SITE_KEY = '1x00000000000000000000AA';
let site: RunningSite;

beforeAll(async () => {
  // Vitest sets NODE_ENV=test and DEV=1 (for import.meta.env); a child `astro build` inheriting
  // them compiles import.meta.env.DEV to true and publishes drafts. The build must be production.
  for (const name of ['DEV', 'PROD', 'MODE', 'SSR', 'BASE_URL']) delete process.env[name];
  site = await startSite({ outDir: OUT_DIR, env: { CONTENT_DIR, NODE_ENV: 'production', TURNSTILE_SITE_KEY: TURNSTILE_TEST_SITE_KEY } });
});
afterAll(async () => {
  await site?.stop();
});

const get = (pathname: string) => fetch(new URL(pathname, site.url), { redirect: 'manual' });
const text = async (pathname: string) => (await get(pathname)).text();

/** The fixture postings as parsed from their files, independent of the build. */
const tree = await readContentTree(ROOT, CONTENT_DIR);
const postings = tree.documents
  .filter((document) => document.collection === 'jobs')
  .map((document) => {
    const { job } = validateJob(document.file, document.frontmatter);
    if (!job) throw new Error(`${document.file} is invalid`);
    return { locale: document.locale, slug: document.slug, job };
  });
const open = (locale: string) => postings.filter((posting) => posting.locale === locale && acceptsApplications(posting.job, new Date()));
const slugsOf = (items: ReadonlyArray<{ slug: string }>) => items.map(({ slug }) => slug).sort();

/** The posting slugs a list page links to. */
function listedSlugs(html: string, locale: string): string[] {
  return [...html.matchAll(new RegExp(`href="/${locale}/jobs/([^/"]+)/"`, 'g'))].map((match) => match[1] ?? '').sort();
}

describe('the fixture set', () => {
  it('has at least 30 postings in each language, with closed, expired and draft ones among them', () => {
    for (const locale of ['en', 'de']) expect(postings.filter((posting) => posting.locale === locale).length).toBeGreaterThanOrEqual(30);
    expect(slugsOf(open('en'))).not.toContain('closed-posting');
    expect(slugsOf(open('en'))).not.toContain('expired-posting');
    expect(slugsOf(open('en'))).toContain('open-with-deadline');
  });
});

describe('the list page', () => {
  it('is rendered by the Worker on each request, not served as a prebuilt file', () => {
    expect(existsSync(path.join(ROOT, OUT_DIR, 'client/en/index.html'))).toBe(false);
    expect(existsSync(path.join(ROOT, OUT_DIR, 'client/en/jobs/open-with-deadline/index.html'))).toBe(true);
  });

  for (const locale of ['en', 'de']) {
    it(`lists exactly the open postings in ${locale}, grouped under one heading per team`, async () => {
      const html = await text(`${locale}/`);
      expect(listedSlugs(html, locale)).toEqual(slugsOf(open(locale)));
      const teams = new Set(open(locale).map(({ job }) => job.team));
      expect([...html.matchAll(/<section class="team"[^>]*><h2[^>]*>([^<]+)<\/h2>/g)].map((match) => match[1])).toHaveLength(teams.size);
    });
  }

  it('filters by team, location and employment type through query parameters alone', async () => {
    const cases: Array<[string, (job: (typeof postings)[number]['job']) => boolean]> = [
      ['team=Finance', (job) => job.team === 'Finance'],
      ['location=Cologne', (job) => job.location.city === 'Cologne'],
      ['type=INTERN', (job) => job.employmentType === 'INTERN'],
      ['team=Design&location=Vienna&type=', (job) => job.team === 'Design' && job.location.city === 'Vienna'],
    ];
    for (const [query, keep] of cases) {
      const expected = slugsOf(open('en').filter(({ job }) => keep(job)));
      expect(expected.length, query).toBeGreaterThan(0);
      expect(listedSlugs(await text(`en/?${query}`), 'en'), query).toEqual(expected);
    }
  });

  it('filters German teams and cities by their German names', async () => {
    const expected = slugsOf(open('de').filter(({ job }) => job.team === 'Kundensupport' && job.location.city === 'München'));
    expect(expected.length).toBeGreaterThan(0);
    expect(listedSlugs(await text(`de/?team=Kundensupport&location=M%C3%BCnchen`), 'de')).toEqual(expected);
  });

  it('shows a plain GET form that keeps the chosen filters selected', async () => {
    const html = await text('en/?team=Finance&type=INTERN');
    expect(html).toMatch(/<form class="filters"[^>]* method="get" action="\/en\/"/);
    expect(html).toMatch(/<option value="Finance" selected[^>]*>Finance<\/option>/);
    expect(html).toMatch(/<option value="INTERN" selected[^>]*>Internship<\/option>/);
    expect(html).toContain('<meta name="robots" content="noindex"');
  });

  it('shows a friendly empty state with a way back when nothing matches', async () => {
    const response = await get('de/?team=Finanzen&location=Wien&type=CONTRACTOR');
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(listedSlugs(html, 'de')).toEqual([]);
    expect(html).toContain('Keine offene Stelle entspricht Ihrer Auswahl.');
    expect(html).toMatch(/<div class="notice empty" role="status"[^>]*>.*<a href="\/de\/"[^>]*>Alle Stellen anzeigen<\/a>/);
  });

  it('ignores filter values it does not know instead of failing', async () => {
    const response = await get('en/?type=ASTRONAUT');
    expect(response.status).toBe(200);
    expect(listedSlugs(await response.text(), 'en')).toEqual(slugsOf(open('en')));
  });
});

describe('the life cycle of a posting', () => {
  it('keeps a closed posting’s page, with the notice, without JobPosting markup, off the list', async () => {
    const response = await get('en/jobs/closed-posting/');
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toMatch(/<p class="notice" role="status" data-closed-notice>This position is no longer accepting applications.<\/p>/);
    expect(html).not.toContain('application/ld+json');
    expect(listedSlugs(await text('en/'), 'en')).not.toContain('closed-posting');
  });

  it('treats a posting whose validThrough has passed as closed', async () => {
    const html = await text('de/jobs/expired-posting/');
    expect(html).toMatch(/<p class="notice" role="status" data-closed-notice>Für diese Stelle werden keine Bewerbungen mehr angenommen.<\/p>/);
    expect(html).not.toContain('application/ld+json');
    expect(listedSlugs(await text('de/'), 'de')).not.toContain('expired-posting');
  });

  it('gives an open posting with a deadline the hidden notice, its deadline and the script that reveals it', async () => {
    const html = await text('en/jobs/open-with-deadline/');
    expect(html).toContain('<article data-valid-through="2099-12-31T23:00:00.000Z">');
    expect(html).toMatch(/<p class="notice" role="status" data-closed-notice hidden>/);
    expect(html).toContain('application/ld+json');
    // No inline script: the CSP allows only script files from the site itself.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)(?![^>]*type="application\/ld\+json")[^>]*>/);
    const sources = [...html.matchAll(/<script type="module" src="(\/_astro\/[^"]+\.js)"><\/script>/g)].map((match) => match[1] ?? '');
    const scripts = await Promise.all(sources.map(async (src) => (await get(src)).text()));
    const closer = scripts.find((code) => code.includes('data-valid-through'));
    expect(closer).toBeDefined();
    expect(closer).toContain('apply');
    expect(closer?.length).toBeLessThan(1024);
  });

  it('closes a posting’s fragment and structured data for hosts at once: the notice instead of the form, 410', async () => {
    for (const [path, notice] of [
      ['en/jobs/closed-posting/', 'This position is no longer accepting applications.'],
      ['de/jobs/expired-posting/', 'Für diese Stelle werden keine Bewerbungen mehr angenommen.'],
    ] as const) {
      const fragment = await get(`${path}fragment`);
      expect(fragment.status, path).toBe(200);
      const html = await fragment.text();
      expect(html, path).toContain(`<p class="notice" role="status" data-closed-notice>${notice}</p>`);
      expect(html, path).not.toContain('<form');
      const jsonLd = await get(`${path}posting.jsonld`);
      expect(jsonLd.status, path).toBe(410);
      expect(await jsonLd.json(), path).toEqual({ error: notice, issues: [] });
    }
    const open = await get('en/jobs/open-with-deadline/fragment');
    expect(await open.text()).toContain('id="application-form"');
    expect(open.headers.get('cache-control')).toBe('public, max-age=300');
  });

  it('lists exactly the open postings in /api/jobs and the list fragment', async () => {
    for (const locale of ['en', 'de']) {
      const api = (await (await get(`api/jobs?locale=${locale}`)).json()) as { jobs: Array<{ slug: string; datePosted: string }> };
      expect(api.jobs.map(({ slug }) => slug).sort()).toEqual(slugsOf(open(locale)));
      const dates = api.jobs.map(({ datePosted }) => datePosted);
      expect(dates).toEqual([...dates].sort().reverse());
      const fragment = await text(`${locale}/fragment`);
      const linked = [...fragment.matchAll(new RegExp(`href="http://localhost:4321/${locale}/jobs/([^/"]+)/"`, 'g'))].map((match) => match[1] ?? '');
      expect(linked.sort()).toEqual(slugsOf(open(locale)));
    }
  });

  it('publishes no draft in a production build', async () => {
    expect((await get('en/jobs/draft-posting/')).status).toBe(404);
    expect(listedSlugs(await text('en/'), 'en')).not.toContain('draft-posting');
  });
});

describe('feeds and sitemap', () => {
  it('lists the open postings in the RSS feed of each language', async () => {
    for (const locale of ['en', 'de']) {
      const response = await get(`${locale}/feed.xml`);
      expect(response.status).toBe(200);
      const xml = await response.text();
      expect(xml).toContain('<rss version="2.0"');
      const links = [...xml.matchAll(/<link>[^<]*\/jobs\/([^/<]+)\/<\/link>/g)].map((match) => match[1] ?? '').sort();
      expect(links).toEqual(slugsOf(open(locale)));
    }
  });

  it('lists the open postings in the JSON Feed 1.1 of each language, newest first', async () => {
    for (const locale of ['en', 'de']) {
      const feed = (await (await get(`${locale}/feed.json`)).json()) as { version: string; language: string; items: Array<{ url: string; date_published: string }> };
      expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
      expect(feed.items.map((item) => /\/jobs\/([^/]+)\/$/.exec(item.url)?.[1] ?? '').sort()).toEqual(slugsOf(open(locale)));
      const dates = feed.items.map((item) => item.date_published);
      expect(dates).toEqual([...dates].sort().reverse());
    }
  });

  it('links both feeds from every page head', async () => {
    for (const pathname of ['de/', 'de/jobs/open-with-deadline/', 'de/privacy/']) {
      const html = await text(pathname);
      expect(html, pathname).toContain('<link rel="alternate" type="application/rss+xml" title="Offene Stellen (RSS)" href="/de/feed.xml">');
      expect(html, pathname).toContain('<link rel="alternate" type="application/feed+json" title="Offene Stellen (JSON Feed)" href="/de/feed.json">');
    }
  });

  it('has a sitemap of open postings with hreflang alternates for every language', async () => {
    const xml = await text('sitemap.xml');
    expect(xml).toContain('xmlns:xhtml="http://www.w3.org/1999/xhtml"');
    const locs = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((match) => new URL(match[1] ?? '').pathname);
    for (const { slug } of open('en')) {
      expect(locs).toContain(`/en/jobs/${slug}/`);
      expect(locs).toContain(`/de/jobs/${slug}/`);
    }
    expect(locs.some((loc) => /closed-posting|expired-posting|draft-posting/.test(loc))).toBe(false);
    expect(xml).toMatch(/<loc>[^<]*\/de\/jobs\/open-with-deadline\/<\/loc>\n\s*<lastmod>[\d-]+<\/lastmod>\n\s*<xhtml:link rel="alternate" hreflang="en" href="[^"]*\/en\/jobs\/open-with-deadline\/"\/>/);
  });
});

describe('with Turnstile configured', () => {
  it('shows the widget in the form and allows its script and frame, nothing else', async () => {
    const response = await get('de/jobs/open-with-deadline/');
    const html = await response.text();
    expect(html).toContain(`<div class="cf-turnstile" data-sitekey="${TURNSTILE_TEST_SITE_KEY}" data-action="apply" data-language="de" data-response-field-name="cf-turnstile-response">`);
    expect(html).toContain('<script src="https://challenges.cloudflare.com/turnstile/v0/api.js" async defer></script>');
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self' https:\/\/challenges\.cloudflare\.com;/);
    expect(csp).toMatch(/frame-src https:\/\/challenges\.cloudflare\.com;/);
  });

  // This build has TURNSTILE_SITE_KEY, but the server was given no TURNSTILE_SECRET_KEY.
  it('refuses applications with 503 in the visitor’s language when the secret is missing, instead of skipping the check, and says why once in the log', async () => {
    const origin = new URL(site.url).origin;
    const form = () => {
      const body = new FormData();
      body.set('job', 'open-with-deadline');
      body.set('locale', 'de');
      return body;
    };
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const response = await fetch(new URL('api/applications', site.url), { method: 'POST', body: form(), headers: { Origin: origin, 'Accept-Language': 'de' } });
      statuses.push(response.status);
      expect(await response.json()).toEqual({ error: expect.stringContaining('nicht speichern'), issues: [] });
    }
    const page = await fetch(new URL('en/jobs/open-with-deadline/apply', site.url), { method: 'POST', body: form(), headers: { Origin: origin } });

    expect(statuses).toEqual([503, 503, 503]);
    expect(page.status).toBe(503);
    await expect.poll(() => site.output()).toContain('"event":"config.invalid"');
    const lines = site.output().split('\n').filter((line) => line.includes('"event":"config.invalid"'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('TURNSTILE_SECRET_KEY');
    expect(lines[0]).toContain('wrangler secret put TURNSTILE_SECRET_KEY');
  });
});
