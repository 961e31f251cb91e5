/**
 * The list page, the life cycle and the feeds on the 30+ posting fixture set
 * (test/fixtures/many), built into its own folder and served by the production Worker; the
 * same build has Turnstile on (Cloudflare's always-passing test site key) but is served without
 * its secret, an invalid setting.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readContentTree } from '#src/content-tools/files.ts';
import { validateJob } from '#src/content-tools/validate.ts';
import { acceptsApplications } from '#functions/postings/lifecycle.ts';
import { LIST_PAGE_SIZE } from '#src/postings/listing.ts';
import { ROOT, startSite, type RunningSite } from '#test/support/site.ts';
import { htmlErrors, inHostDocument } from '#test/support/vnu.ts';

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

const get = (pathname: string, headers: Record<string, string> = {}) => fetch(new URL(pathname, site.url), { redirect: 'manual', headers });
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

/** The href of the pager's link to the next page, as a URL relative to `from` (HTML-decoded). */
function nextPage(html: string, from: string): string | undefined {
  const href = /<a href="([^"]*)" rel="next">/.exec(html)?.[1];
  return href === undefined ? undefined : new URL(href.replaceAll('&amp;', '&'), new URL(from, site.url)).href;
}

/** Every page of a paged list or list fragment, from `pathname` on, following its pager. */
async function allPages(pathname: string): Promise<string[]> {
  const pages: string[] = [];
  for (let url: string | undefined = new URL(pathname, site.url).href; url; url = nextPage(pages.at(-1) ?? '', url)) {
    const response = await get(url);
    expect(response.status, url).toBe(200);
    pages.push(await response.text());
    expect(pages.length, 'more pages than postings').toBeLessThan(50);
  }
  return pages;
}

/** The posting slugs a paged list links to, over all its pages. */
const listedOnAllPages = async (pathname: string, locale: string) => (await allPages(pathname)).flatMap((html) => listedSlugs(html, locale)).sort();

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
    it(`lists exactly the open postings in ${locale}, over its pages, grouped under one heading per team`, async () => {
      const pages = await allPages(`${locale}/`);
      expect(pages.flatMap((html) => listedSlugs(html, locale)).sort()).toEqual(slugsOf(open(locale)));
      // A team's postings stay together: its heading ends one page and starts the next at most.
      const headings = pages.flatMap((html) => [...html.matchAll(/<section class="team"[^>]*><h2[^>]*>([^<]+)<\/h2>/g)].map((match) => match[1]));
      const teams = new Set(open(locale).map(({ job }) => job.team));
      expect(new Set(headings).size).toBe(teams.size);
      expect(headings.length).toBeLessThanOrEqual(teams.size + pages.length - 1);
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
    expect(await listedOnAllPages('en/?type=ASTRONAUT', 'en')).toEqual(slugsOf(open('en')));
  });
});

describe('the pages of the list', () => {
  const pageCount = Math.ceil(open('en').length / LIST_PAGE_SIZE);
  const canonical = (html: string) => /<link rel="canonical" href="([^"]+)">/.exec(html)?.[1];

  it('has more than one page in this fixture set, so that paging is what is tested here', () => {
    expect(pageCount).toBeGreaterThan(1);
  });

  it(`shows ${LIST_PAGE_SIZE} postings a page, each open posting on exactly one page`, async () => {
    const pages = await allPages('en/');
    expect(pages).toHaveLength(pageCount);
    const perPage = pages.map((html) => listedSlugs(html, 'en').length);
    expect(perPage.slice(0, -1).every((count) => count === LIST_PAGE_SIZE)).toBe(true);
    expect(perPage.reduce((sum, count) => sum + count, 0)).toBe(open('en').length);
    expect(new Set(pages.flatMap((html) => listedSlugs(html, 'en'))).size).toBe(open('en').length);
  });

  it('links the pages with a pager that works without JavaScript: previous, next, each page by name, the current one marked', async () => {
    const first = await text('en/');
    expect(first).toContain(`<p class="eyebrow" role="status">${open('en').length} open positions · page 1 of ${pageCount}</p>`);
    expect(first).toMatch(/<nav class="pager" aria-label="Pages"><ul>/);
    expect(first).toContain('<a href="/en/" aria-label="Page 1" aria-current="page">1</a>');
    expect(first).toContain('<a href="/en/?page=2" rel="next">Next page</a>');
    expect(first).not.toContain('rel="prev"');
    const last = await text(`de/?page=${pageCount}`);
    expect(last).toMatch(/<nav class="pager" aria-label="Seiten">/);
    expect(last).toContain(`<a href="/de/${pageCount > 2 ? `?page=${pageCount - 1}` : ''}" rel="prev">Vorherige Seite</a>`);
    expect(last).toContain(`aria-label="Seite ${pageCount}" aria-current="page">${pageCount}</a>`);
    expect(last).not.toContain('rel="next"');
  });

  it('gives each page of the list its own canonical URL and title, head links to its neighbours, no hreflang past the first', async () => {
    const first = await text('en/');
    expect(canonical(first)).toBe('http://localhost:4321/en/');
    expect(first).toContain('<link rel="next" href="http://localhost:4321/en/?page=2">');
    expect(first).toContain('<link rel="alternate" hreflang="de"');
    const second = await text('en/?page=2');
    expect(canonical(second)).toBe('http://localhost:4321/en/?page=2');
    expect(second).toContain('<link rel="prev" href="http://localhost:4321/en/">');
    expect(second).toContain(`<title>Open positions, page 2 of ${pageCount} · Careers</title>`);
    expect(second).not.toContain('<link rel="alternate" hreflang=');
    expect(second).not.toContain('noindex');
  });

  it('keeps filtered pages out of search indexes and starts the filters over at the first page', async () => {
    const filtered = await text('en/?team=Finance&page=1');
    expect(filtered).toContain('<meta name="robots" content="noindex"');
    expect(filtered).not.toContain('rel="canonical"');
    // The filter form carries no page: choosing filters shows their first page.
    expect(/<form class="filters"[\s\S]*?<\/form>/.exec(filtered)?.[0]).not.toContain('name="page"');
  });

  it('answers 404 with the localized not-found page past the last page, and reads a malformed page number as the first', async () => {
    for (const [query, locale] of [[`?page=${pageCount + 1}`, 'en'], ['?team=Finance&page=2', 'de'], ['?page=99999', 'en']] as const) {
      const response = await get(`${locale}/${query}`);
      expect(response.status, query).toBe(404);
      expect(await response.text(), query).toContain(locale === 'de' ? 'Seite nicht gefunden' : 'Page not found');
    }
    for (const query of ['?page=0', '?page=-2', '?page=two', '?page=1.5', '?page=']) {
      const response = await get(`en/${query}`);
      expect(response.status, query).toBe(200);
      expect(canonical(await response.text()), query).toBe('http://localhost:4321/en/');
    }
  });

  it('passes the W3C Nu HTML Checker with its pager, as a page and as a fragment', async () => {
    const dir = path.join(ROOT, 'test/.tmp/rendered-many');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const files = await Promise.all(
      ['en/', 'de/?page=2', 'en/fragment', 'de/fragment?page=2'].map(async (pathname, index) => {
        const html = await text(pathname);
        const file = path.join(dir, `${index}.html`);
        writeFileSync(file, pathname.includes('fragment') ? inHostDocument(html) : html);
        return file;
      }),
    );
    expect(htmlErrors(files)).toEqual([]);
  });

  it('pages the list fragment with links on the host page itself, and answers a 404 fragment past its end', async () => {
    const first = await text('en/fragment');
    expect(first).toContain('<a href="?page=2" rel="next">Next page</a>');
    expect(first).toContain('<a href="?" aria-label="Page 1" aria-current="page">1</a>');
    const beyond = await get(`en/fragment?page=${pageCount + 1}`);
    expect(beyond.status).toBe(404);
    const html = await beyond.text();
    expect(html).toMatch(/^<div data-careers-fragment/);
    expect(html).toContain('The page you were looking for does not exist or has moved.');
  });

  it('pages /api/jobs with page and perPage, linking the next and previous pages', async () => {
    const total = open('en').length;
    const api = async (query: string) => {
      const response = await get(`api/jobs?locale=en${query}`);
      return { response, body: (await response.json()) as { page: number; pageCount: number; total: number; jobs: Array<{ slug: string }> } };
    };
    const whole = await api('');
    expect(whole.body).toMatchObject({ page: 1, pageCount: 1, total });
    expect(whole.body.jobs).toHaveLength(total);
    const first = await api('&perPage=10');
    expect(first.body).toMatchObject({ page: 1, pageCount: Math.ceil(total / 10), total });
    expect(first.body.jobs.map(({ slug }) => slug)).toEqual(whole.body.jobs.slice(0, 10).map(({ slug }) => slug));
    expect(first.response.headers.get('link')).toBe('</api/jobs.schema.json>; rel="describedby", </api/jobs?locale=en&perPage=10&page=2>; rel="next"');
    const last = await api(`&perPage=10&page=${Math.ceil(total / 10)}`);
    expect(last.body.jobs.map(({ slug }) => slug)).toEqual(whole.body.jobs.slice(10 * (Math.ceil(total / 10) - 1)).map(({ slug }) => slug));
    expect(last.response.headers.get('link')).toContain(`</api/jobs?locale=en&perPage=10&page=${Math.ceil(total / 10) - 1}>; rel="prev"`);
    expect(last.response.headers.get('link')).not.toContain('rel="next"');
  });

  it('answers /api/jobs past its last page with 404, and a malformed page or page size with 400, in the visitor’s language', async () => {
    const beyond = await get('api/jobs?locale=en&page=2');
    expect(beyond.status).toBe(404);
    expect(await beyond.json()).toEqual({ error: 'There is no page 2; choose a page from 1 to 1.', issues: [] });
    const malformed = await get('api/jobs?locale=en&page=0&perPage=500', { 'Accept-Language': 'de' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({
      error: 'Bitte korrigieren Sie die Parameter der Anfrage.',
      issues: [
        { field: 'page', message: 'Bitte geben Sie die Seite als ganze Zahl ab 1 an.' },
        { field: 'perPage', message: 'Bitte wählen Sie eine Seitengröße von 1 bis 100.' },
      ],
    });
  });

  it('keeps one answer per page, however its query is written, and a different one for each page', async () => {
    const etag = async (pathname: string) => {
      const response = await get(pathname);
      expect(response.status, pathname).toBe(200);
      await response.arrayBuffer();
      return response.headers.get('etag');
    };
    const spellings = async (pathnames: string[]) => new Set(await Promise.all(pathnames.map(etag)));
    // The list page and the list fragment: page 2 in any spelling, a malformed page is the first.
    for (const list of ['en/', 'en/fragment']) {
      const second = await spellings([`${list}?page=2`, `${list}?utm_source=x&page=2`, `${list}?page=2&page=3`]);
      expect(second.size, list).toBe(1);
      const firstPage = await spellings([list, `${list}?page=1`, `${list}?page=first`, `${list}?page=0`]);
      expect(firstPage.size, list).toBe(1);
      expect(firstPage, list).not.toEqual(second);
    }
    // /api/jobs: the default page size named or not, a page written with a leading zero.
    const api = await spellings(['api/jobs?locale=en&perPage=10&page=2', 'api/jobs?page=02&perPage=10&locale=en&junk=1']);
    expect(api.size).toBe(1);
    const defaults = await spellings(['api/jobs?locale=en', `api/jobs?locale=en&perPage=50&page=1`]);
    expect(defaults.size).toBe(1);
    expect(defaults).not.toEqual(api);
    // The answer's links are those of the page it was rendered for.
    const spelled = await get('api/jobs?page=02&perPage=10&locale=en&junk=1');
    expect(spelled.headers.get('link')).toContain('</api/jobs?locale=en&perPage=10&page=1>; rel="prev"');
  });
});

describe('the Worker bundle', () => {
  /** Every module the Worker uploads, as text, for a build folder. */
  const workerModules = (outDir: string) => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(path.join(dir, entry.name)) : entry.name.endsWith('.mjs') ? [path.join(dir, entry.name)] : []));
    return files(path.join(ROOT, outDir, 'server')).map((file) => ({ file, text: readFileSync(file, 'utf8') }));
  };

  /** A posting's summary and first sentence of text, as written in its file. */
  const textsOf = async (contentDir: string) =>
    (await readContentTree(ROOT, contentDir)).documents
      .filter((document) => document.collection === 'jobs')
      .flatMap((document) => {
        const { job } = validateJob(document.file, document.frontmatter);
        const sentence = document.body.split('\n').find((line) => /^[A-Z]/.test(line))?.split('. ')[0];
        // Titles can be as plain as a comment's example ("Machine Learning Intern"); these cannot.
        return job && sentence ? [job.summary, sentence] : [];
      });

  it('carries no posting: no summary or text, and no content data store, for the site nor this fixture set', async () => {
    for (const [outDir, contentDir] of [[OUT_DIR, CONTENT_DIR], ['dist', 'content']] as const) {
      const modules = workerModules(outDir);
      const texts = await textsOf(contentDir);
      expect(modules.length, outDir).toBeGreaterThan(5);
      expect(texts.length, contentDir).toBeGreaterThanOrEqual(4);
      for (const { file, text } of modules) {
        expect(text, file).not.toContain('astro:data-layer-content');
        for (const posting of texts) expect(text.includes(posting), `${path.relative(ROOT, file)} contains "${posting}"`).toBe(false);
      }
    }
  });

  it('leaves the postings to data files the build writes beside the pages: public, but kept out of search indexes', async () => {
    const index = await get('en/content.json');
    expect(index.status).toBe(200);
    expect(index.headers.get('x-robots-tag')).toBe('noindex');
    const { postings: listed } = (await index.json()) as { postings: Array<{ slug: string }> };
    const published = postings.filter((posting) => posting.locale === 'en' && posting.job.status !== 'draft');
    expect(slugsOf(listed)).toEqual(slugsOf(published));
    const body = await get('de/jobs/open-with-deadline/body.json');
    expect(body.headers.get('x-robots-tag')).toBe('noindex');
    expect(((await body.json()) as { html: string }).html).toContain('<h2 id="über-die-stelle">Über die Stelle</h2>');
    expect((await get('en/jobs/draft-posting/body.json')).status).toBe(404);
  });

  it('is the same size for the 2 postings of the site as for the 64 of this fixture set', () => {
    const size = (outDir: string) => workerModules(outDir).reduce((sum, { text }) => sum + text.length, 0);
    // The two builds differ in their settings (Turnstile on here), not in their content.
    expect(Math.abs(size(OUT_DIR) - size('dist'))).toBeLessThan(2048);
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
      expect(html, path).not.toContain('<section id="apply"');
      const jsonLd = await get(`${path}posting.jsonld`);
      expect(jsonLd.status, path).toBe(410);
      expect(await jsonLd.json(), path).toEqual({ error: notice, issues: [] });
    }
    const open = await get('en/jobs/open-with-deadline/fragment');
    // The way to apply (this build has Turnstile: a link to our apply page, see below).
    expect(await open.text()).toContain('<section id="apply"');
    expect(open.headers.get('cache-control')).toBe('public, max-age=300');
  });

  it('lists exactly the open postings in /api/jobs and the list fragment', async () => {
    for (const locale of ['en', 'de']) {
      const api = (await (await get(`api/jobs?locale=${locale}`)).json()) as { jobs: Array<{ slug: string; datePosted: string }> };
      expect(api.jobs.map(({ slug }) => slug).sort()).toEqual(slugsOf(open(locale)));
      const dates = api.jobs.map(({ datePosted }) => datePosted);
      expect(dates).toEqual([...dates].sort().reverse());
      const fragments = await allPages(`${locale}/fragment`);
      const linked = fragments.flatMap((fragment) => [...fragment.matchAll(new RegExp(`href="http://localhost:4321/${locale}/jobs/([^/"]+)/"`, 'g'))].map((match) => match[1] ?? ''));
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

  it('links our apply page from the posting fragment instead of a form whose widget cannot start in a shadow root', async () => {
    for (const [locale, link] of [['de', 'Zum Bewerbungsformular'], ['en', 'Go to the application form']] as const) {
      const response = await get(`${locale}/jobs/open-with-deadline/fragment`);
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).not.toContain('<form');
      expect(html).not.toContain('cf-turnstile');
      expect(html).toMatch(new RegExp(`<a class="button" href="https?://[^"]+/${locale}/jobs/open-with-deadline/apply">${link}</a>`));
      // The page it links shows the form with the widget.
      const apply = await get(`${locale}/jobs/open-with-deadline/apply`);
      expect(apply.status).toBe(200);
      expect(await apply.text()).toContain('<div class="cf-turnstile"');
    }
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
