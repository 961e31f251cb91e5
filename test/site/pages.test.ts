import { describe, expect, inject, it } from 'vitest';

const site = inject('siteUrl');
const get = (path: string, init: RequestInit = {}) => fetch(new URL(path, site), { redirect: 'manual', ...init });

/** Extracts the JSON-LD objects of a page. */
function jsonLd(html: string): Array<Record<string, unknown>> {
  return [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((match) => JSON.parse(match[1] ?? ''));
}

const visibleText = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&rsquo;|’/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();

describe('the posting page', () => {
  for (const [locale, title, posted, lang] of [
    ['en', 'Machine Learning Intern', 'November 21, 2025', 'en'],
    ['de', 'Praktikant Machine Learning (m/w/d)', '21. November 2025', 'de-DE'],
  ] as const) {
    describe(`in ${locale}`, () => {
      const path = `${locale}/jobs/machine-learning-intern/`;

      it('is served as a static HTML page with the localized title and date', async () => {
        const response = await get(path);
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toMatch(/^text\/html/);
        const html = await response.text();
        expect(html).toContain(`<html lang="${lang}"`);
        expect(html).toContain(`<h1>${title}</h1>`);
        expect(html).toContain(`<time datetime="2025-11-21">${posted}</time>`);
      });

      it('declares its canonical URL and hreflang alternates for en, de and x-default', async () => {
        const html = await (await get(path)).text();
        const origin = 'http://localhost:4321';
        expect(html).toContain(`<link rel="canonical" href="${origin}/${path}">`);
        expect(html).toContain(`<link rel="alternate" hreflang="en" href="${origin}/en/jobs/machine-learning-intern/">`);
        expect(html).toContain(`<link rel="alternate" hreflang="de" href="${origin}/de/jobs/machine-learning-intern/">`);
        expect(html).toContain(`<link rel="alternate" hreflang="x-default" href="${origin}/en/jobs/machine-learning-intern/">`);
        expect(html).toContain(`<meta property="og:title" content="${title}">`);
        expect(html).toContain(`<meta property="og:url" content="${origin}/${path}">`);
      });

      it('carries JobPosting structured data in its own language that matches the visible text', async () => {
        const html = await (await get(path)).text();
        const [posting] = jsonLd(html);
        expect(posting).toMatchObject({
          '@context': 'https://schema.org',
          '@type': 'JobPosting',
          title,
          datePosted: '2025-11-21',
          employmentType: 'INTERN',
          identifier: { '@type': 'PropertyValue', name: 'Apple', value: 'machine-learning-intern' },
          hiringOrganization: { '@type': 'Organization', name: 'Apple', sameAs: 'https://www.apple.com' },
          jobLocation: {
            '@type': 'Place',
            address: { '@type': 'PostalAddress', addressCountry: 'DE', postalCode: '80335', streetAddress: 'Karlstraße 77' },
          },
        });
        expect(posting).not.toHaveProperty('validThrough');
        const description = String(posting?.description);
        expect(description).toMatch(/^<h2/);
        // Google requires the description to be the text the visitor sees.
        expect(visibleText(html)).toContain(visibleText(description));
        expect(description).toContain(locale === 'de' ? 'Multimodale Foundation Models' : 'Multi-modal foundation models');
      });

      it('is readable without JavaScript: the text is in the HTML and scripts are deferred enhancements', async () => {
        const html = await (await get(path)).text();
        expect(html).toContain(locale === 'de' ? '<h2 id="mindestanforderungen">Mindestanforderungen</h2>' : '<h2 id="minimum-qualifications">Minimum qualifications</h2>');
        const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)]
          .map((match) => ({ attributes: match[1] ?? '', body: match[2] ?? '' }))
          .filter(({ attributes }) => !attributes.includes('application/ld+json'));
        for (const { attributes, body } of scripts) {
          // External ES modules run after parsing and never block rendering; none is inline.
          expect(attributes).toMatch(/^ type="module" src="\/_astro\/[\w.-]+\.js"$/);
          expect(body).toBe('');
        }
      });

      it('links the language switch to the same page in the other language', async () => {
        const html = await (await get(path)).text();
        const other = locale === 'en' ? 'de' : 'en';
        expect(html).toContain(`href="/language/${other}/jobs/machine-learning-intern/"`);
      });

      it('has only links a crawler can follow: each with an href, or an id where the form script fills it in', async () => {
        const html = await (await get(path)).text();
        const anchors = html.match(/<a\b[^>]*>/g) ?? [];
        expect(anchors.length).toBeGreaterThan(5);
        // Lighthouse's crawlable-anchors: no anchor without href, unless it has an id.
        expect(anchors.filter((anchor) => !/\bhref="[^"]+"/.test(anchor) && !/\bid="[^"]+"/.test(anchor))).toEqual([]);
      });

      it('links the privacy notice and the imprint from the footer', async () => {
        const html = await (await get(path)).text();
        expect(html).toContain(`href="/${locale}/privacy/"`);
        expect(html).toContain(`href="/${locale}/imprint/"`);
        for (const page of ['privacy/', 'imprint/']) expect((await get(`${locale}/${page}`)).status).toBe(200);
      });
    });
  }
});

describe('the list page', () => {
  it('lists the open posting in each language', async () => {
    const en = await (await get('en/')).text();
    expect(en).toMatch(/<h1[^>]*>Open positions<\/h1>/);
    expect(en).toContain('href="/en/jobs/machine-learning-intern/"');
    expect(en).toMatch(/Video Computer Vision \(VCV\) · Munich · Internship · On site/);
    const de = await (await get('de/')).text();
    expect(de).toMatch(/<h1[^>]*>Offene Stellen<\/h1>/);
    expect(de).toContain('href="/de/jobs/machine-learning-intern/"');
    expect(de).toMatch(/Video Computer Vision \(VCV\) · München · Praktikum · Vor Ort/);
  });

  it('may be kept by shared caches for at most five minutes, never past a listed posting’s deadline, and revalidated: ETag and 304', async () => {
    const first = await get('de/');
    const maxAge = Number(/^public, max-age=(\d+)$/.exec(first.headers.get('cache-control') ?? '')?.[1]);
    expect(maxAge).toBeLessThanOrEqual(300);
    expect(first.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    const again = await get('de/', { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    // Each filtered view is its own URL, with its own validator.
    expect((await get('de/?type=INTERN')).headers.get('etag')).not.toBe(etag);
  });
});

describe('robots.txt', () => {
  it('allows crawling the pages, not the endpoints, and points to the sitemap', async () => {
    const response = await get('robots.txt');
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('Disallow: /api/');
    expect(text).toContain('Sitemap: http://localhost:4321/sitemap.xml');
    expect(text).not.toMatch(/Disallow: \/\s*$/m);
    expect((await get('sitemap.xml')).status).toBe(200);
  });
});

describe('language negotiation at the edge', () => {
  const cases: Array<[string, Record<string, string>, string]> = [
    ['/', { 'Accept-Language': 'de-DE,de;q=0.9,en;q=0.8' }, '/de/'],
    ['/', { 'Accept-Language': 'de-AT' }, '/de/'],
    ['/', { 'Accept-Language': 'de-CH, en;q=0.5' }, '/de/'],
    ['/', { 'Accept-Language': 'fr-FR, en;q=0.1' }, '/en/'],
    ['/', {}, '/en/'],
    ['/', { 'Accept-Language': 'de', Cookie: 'lang=en' }, '/en/'],
    ['/', { 'Accept-Language': 'en', Cookie: 'lang=de' }, '/de/'],
    ['/jobs/machine-learning-intern/', { 'Accept-Language': 'de' }, '/de/jobs/machine-learning-intern/'],
    ['/jobs/machine-learning-intern/?utm_source=x', { 'Accept-Language': 'en' }, '/en/jobs/machine-learning-intern/?utm_source=x'],
    ['/', { 'Accept-Language': 'de;q=abc,,;;' }, '/en/'],
  ];
  for (const [path, headers, location] of cases) {
    it(`redirects ${path} with ${JSON.stringify(headers)} to ${location}`, async () => {
      const response = await get(path.slice(1), { headers });
      expect(response.status).toBe(302);
      expect(response.headers.get('location')).toBe(location);
    });
  }

  it('keeps the redirect out of shared caches', async () => {
    const response = await get('', { headers: { 'Accept-Language': 'de' } });
    expect(response.headers.get('vary')).toMatch(/Accept-Language/);
    expect(response.headers.get('vary')).toMatch(/Cookie/);
    expect(response.headers.get('cache-control')).toMatch(/private/);
    expect(response.headers.get('cache-control')).toMatch(/no-store/);
    expect(response.headers.get('cache-control')).not.toMatch(/public|s-maxage/);
  });

  it('remembers an explicit language switch in a cookie and leads to the same page', async () => {
    const response = await get('language/de/jobs/machine-learning-intern/');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/de/jobs/machine-learning-intern/');
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^lang=de;/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).toMatch(/Max-Age=31536000/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/HttpOnly/);
  });

  it('does not switch to a language it does not have, and says so in the visitor’s language', async () => {
    const response = await get('language/fr/jobs/machine-learning-intern/', { headers: { 'Accept-Language': 'de' } });
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('<h1>Seite nicht gefunden</h1>');
  });
});

describe('not found', () => {
  for (const [locale, heading] of [
    ['en', 'Page not found'],
    ['de', 'Seite nicht gefunden'],
  ] as const) {
    it(`answers 404 with the ${locale} page for unknown paths under /${locale}/`, async () => {
      for (const path of [`${locale}/no-such-page/`, `${locale}/jobs/no-such-job/`]) {
        const response = await get(path);
        expect(response.status).toBe(404);
        const html = await response.text();
        expect(html).toContain(`<h1>${heading}</h1>`);
        expect(html).toContain('<meta name="robots" content="noindex">');
      }
    });
  }

  it('gives every answer the reason phrase of its status, rendered pages and fragments alike', async () => {
    for (const [path, status, reason] of [
      ['de/', 200, 'OK'],
      ['en/', 200, 'OK'],
      ['de/fragment', 200, 'OK'],
      ['de/jobs/no-such-job/fragment', 404, 'Not Found'],
      ['fr/fragment', 404, 'Not Found'],
      ['en/no-such-page/', 404, 'Not Found'],
      ['language/xx/foo', 404, 'Not Found'],
      ['', 302, 'Found'],
    ] as const) {
      const response = await get(path);
      expect([response.status, response.statusText], path).toEqual([status, reason]);
    }
  });

  it('answers 404 for a missing built asset instead of redirecting it', async () => {
    const response = await get('_astro/missing.css');
    expect(response.status).toBe(404);
  });
});

describe('security headers', () => {
  const paths = ['', 'en/', 'de/jobs/machine-learning-intern/', 'en/nope/', 'favicon.svg', 'language/de/', 'en/privacy/'];
  for (const path of paths) {
    it(`are on the response to /${path}`, async () => {
      const response = await get(path);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toMatch(/script-src 'self'(;|$)/);
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(csp).toMatch(/frame-ancestors 'self'/);
      expect(csp).toMatch(/object-src 'none'/);
      expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d{8,}/);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      expect(response.headers.get('permissions-policy')).toMatch(/camera=\(\)/);
    });
  }
});

describe('the texts as a reader meets them', () => {
  it('shows the imprint address on separate lines, as a postal address is written', async () => {
    for (const [path, country] of [['de/imprint/', 'Deutschland'], ['en/imprint/', 'Germany']] as const) {
      const html = await (await get(path)).text();
      expect(html, path).toMatch(new RegExp(`Apple GmbH<br>\\s*Arnulfstraße 19<br>\\s*80335 München<br>\\s*${country}`));
      expect(visibleText(html), path).not.toMatch(/team of the Video Computer Vision team|des Teams Video Computer Vision/);
    }
  });

  it('keeps the German posting faithful to the source: a requirement stays a requirement, compounds are hyphenated', async () => {
    const text = visibleText(await (await get('de/jobs/machine-learning-intern/')).text());
    // "you must return to school … or the internship must be the last requirement"
    expect(text).toContain('Nach dem Praktikum müssen Sie Ihr Studium fortsetzen, oder das Praktikum muss die letzte Voraussetzung');
    expect(text).toContain('der Grundlagenforschung und der angewandten Forschung');
    expect(text).toContain('Master- oder Promotionsstudium');
    // Brand compounds take a hyphen in German (Apple-Produkte); product names stay as they are.
    expect(text.match(/\bApple (?!Vision Pro\b|GmbH\b)[A-ZÄÖÜ][a-zäöüß]+/g) ?? []).toEqual([]);
    for (const calque of ['Stand der Technik', 'Tiefes Verständnis', 'Nachweisliche Fähigkeiten', 'Grundlagen- und angewandten']) {
      expect(text).not.toContain(calque);
    }
  });
});
