import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { signInLocally, submitThroughApi } from '#test/support/inbox.ts';
import { ROOT } from '#test/support/site.ts';
import { htmlErrors, inHostDocument } from '#test/support/vnu.ts';
const CLIENT = join(ROOT, 'dist', 'client');
const RENDERED = join(ROOT, 'test', '.tmp', 'rendered-html');
const site = inject('siteUrl');

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return htmlFiles(path);
    return entry.name.endsWith('.html') ? [path] : [];
  });
}

/** Pages (and fragments) the Worker renders on request, saved to files for the checker. */
async function renderedPages(): Promise<string[]> {
  rmSync(RENDERED, { recursive: true, force: true });
  mkdirSync(RENDERED, { recursive: true });
  const invalid = new FormData();
  invalid.set('email', 'not-an-address');
  const recruiter = { headers: { Cookie: await signInLocally(site) } };
  const { reference, link } = await submitThroughApi(site, { links: 'https://example.org/a', motivation: 'Line one\nline two' });
  const withdrawn = await submitThroughApi(site);
  await fetch(`${withdrawn.link}withdraw`, { method: 'POST', headers: { Origin: new URL(site).origin }, redirect: 'manual' });
  const pages: Array<[string, RequestInit?]> = [
    ['en/'],
    ['de/?team=Video+Computer+Vision+%28VCV%29'],
    ['de/?team=nobody'],
    ['en/jobs/machine-learning-intern/apply'],
    ['de/jobs/machine-learning-intern/apply', { method: 'POST', body: invalid, headers: { Origin: new URL(site).origin } }],
    [link],
    [`${link}?submitted=stored`],
    [`${link}?submitted=duplicate`],
    [`${link}withdraw`],
    [withdrawn.link],
    ['en/recruiters/sign-in'],
    ['en/recruiters/', recruiter],
    ['de/recruiters/jobs/machine-learning-intern/', recruiter],
    [`en/recruiters/applications/${reference}/`, recruiter],
    ['de/no-such-page/'],
    ['de/jobs/machine-learning-intern/fragment'],
    ['en/fragment'],
    ['de/fragment?team=nobody'],
    ['en/jobs/no-such-job/fragment'],
  ];
  return Promise.all(
    pages.map(async ([path, init], index) => {
      const response = await fetch(new URL(path, site), init);
      const file = join(RENDERED, `${index}-${path.replace(/[^a-z0-9]+/gi, '-').slice(-60)}.html`);
      const html = await response.text();
      writeFileSync(file, /\/fragment\b/.test(path) ? inHostDocument(html) : html);
      return file;
    }),
  );
}

describe('the HTML', () => {
  it('passes the W3C Nu HTML Checker on every built page and every page the Worker renders', async () => {
    const files = [...htmlFiles(CLIENT), ...(await renderedPages())];
    expect(files.length).toBeGreaterThanOrEqual(15);
    expect(htmlErrors(files)).toEqual([]);
  });
});
