/**
 * Byte budgets of the posting page, measured on the built Worker over HTTP. Deterministic:
 * sizes and markup only; speed is reported by `npm run bench`, never asserted here.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, inject, it } from 'vitest';
import { LOCALES } from '#src/i18n/locales.ts';
import { gzipSize, isExecutableScript, isRenderBlockingScript, measurePage, scanHtml } from '#test/bench/pageWeight.ts';

const site = inject('siteUrl');

/**
 * What fits in the first round trip of a new connection: TCP's initial window of 10 segments
 * is ~14.6 KB; 14 KiB is the conservative reading. Compressed with gzip -9, the conservative
 * choice (brotli, which browsers prefer, is smaller).
 */
const FIRST_ROUND_TRIP_BYTES = 14 * 1024;
/** Issue 3: progressive enhancement may cost at most 5 KB of JavaScript, compressed (module imports included). */
const ENHANCEMENT_SCRIPT_BYTES = 5 * 1024;

/** The postings a locale's list page links to, as "<locale>/jobs/<slug>/" paths. */
async function listedPostings(locale: string): Promise<Array<{ path: string; slug: string }>> {
  const listUrl = new URL(`${locale}/`, site);
  const html = await (await fetch(listUrl)).text();
  const slugs = new Set<string>();
  for (const tag of scanHtml(html).tags) {
    if (tag.name !== 'a' || !tag.attributes.href) continue;
    const { pathname } = new URL(tag.attributes.href, listUrl);
    const match = pathname.match(new RegExp(`/${locale}/jobs/([^/]+)/$`));
    if (match?.[1]) slugs.add(match[1]);
  }
  return [...slugs].map((slug) => ({ slug, path: `${locale}/jobs/${slug}/` }));
}

/** Lower-cased words (letters and digits), so markdown and HTML punctuation do not matter. */
const words = (text: string) => (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).join(' ');

/** The title and every heading, paragraph and list item of a posting's Markdown source. */
async function postingText(locale: string, slug: string): Promise<string[]> {
  const source = await readFile(new URL(`../../content/jobs/${locale}/${slug}.md`, import.meta.url), 'utf8');
  const [, frontmatter = '', body = ''] = source.match(/^---\n([\s\S]*?)\n---\n([\s\S]*)$/) ?? [];
  const title = frontmatter.match(/^title:\s*["']?(.+?)["']?\s*$/m)?.[1] ?? '';
  const blocks = body
    .replace(/\]\([^)]*\)/g, ']') // keep a link's text, drop its address
    .split(/\n\s*\n|\n(?=\s*(?:[-*+]|\d+\.)\s)/) // paragraphs and list items
    .map(words)
    .filter(Boolean);
  return [words(title), ...blocks];
}

const perLocale = await Promise.all(LOCALES.map(async (locale) => ({ locale, postings: await listedPostings(locale) })));

describe('the posting page budget', () => {
  it('finds postings to measure in every locale', () => {
    for (const { locale, postings } of perLocale) expect(postings.length, `postings linked from /${locale}/`).toBeGreaterThan(0);
  });

  for (const { locale, postings } of perLocale) {
    for (const { path, slug } of postings) {
      describe(`/${path}`, () => {
        it('fits HTML plus CSS in the first round trip: at most 14 KiB with gzip -9', async () => {
          const page = await measurePage(new URL(path, site).href);
          expect(page.htmlPlusCss.gzip, `HTML + CSS of /${path}, gzip -9 bytes`).toBeLessThanOrEqual(FIRST_ROUND_TRIP_BYTES);
        });

        it('needs no JavaScript to be read: the whole posting is in the HTML and no script blocks rendering', async () => {
          const response = await fetch(new URL(path, site));
          expect(response.status).toBe(200);
          const scanned = scanHtml(await response.text());
          // The text outside <script>/<style> holds every heading, paragraph and list item.
          const visible = words(scanned.text);
          for (const block of await postingText(locale, slug)) expect(visible, 'posting text missing from the HTML').toContain(block);
          const scripts = scanned.tags.filter(isExecutableScript);
          expect(scripts.filter(isRenderBlockingScript), 'render-blocking scripts').toEqual([]);
          // Nor is the posting hidden until a script reveals it.
          const containers = scanned.tags.filter((tag) => ['html', 'body', 'main', 'article'].includes(tag.name));
          const hidden = containers.filter((tag) => 'hidden' in tag.attributes || /display\s*:\s*none|visibility\s*:\s*hidden/i.test(tag.attributes.style ?? ''));
          expect(hidden, 'hidden page containers').toEqual([]);
        });

        it('keeps any JavaScript within the enhancement budget of 5 KiB with gzip -9, and every form submits without it', async () => {
          const page = await measurePage(new URL(path, site).href);
          const html = await (await fetch(new URL(path, site))).text();
          const scanned = scanHtml(html);
          const inline = scanned.tags.filter((tag) => isExecutableScript(tag) && tag.attributes.src === undefined).map((tag) => tag.content ?? '').join('\n');
          const external = page.resources.filter((resource) => resource.kind === 'script').reduce((sum, resource) => sum + resource.gzip, 0);
          const scriptBytes = external + (inline ? gzipSize(new TextEncoder().encode(inline)) : 0);
          expect(scriptBytes, `JavaScript of /${path}, gzip -9 bytes`).toBeLessThanOrEqual(ENHANCEMENT_SCRIPT_BYTES);
          // Every form submits as plain HTML: an explicit action and method; the application
          // form POSTs multipart to …/apply (issue 3), so applying needs no JavaScript either.
          for (const form of scanned.tags.filter((tag) => tag.name === 'form')) {
            expect(form.attributes.action, 'form action').toBeTruthy();
            const method = form.attributes.method?.toLowerCase();
            expect(['get', 'post'], 'form method').toContain(method);
            if (method !== 'post') continue;
            expect(form.attributes.enctype).toBe('multipart/form-data');
            expect(new URL(form.attributes.action ?? '', new URL(path, site)).pathname).toMatch(new RegExp(`/${locale}/jobs/${slug}/apply/?$`));
          }
        });
      });
    }
  }
});
