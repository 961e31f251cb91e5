import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { signInLocally, submitThroughApi } from '#test/support/inbox.ts';
import { ROOT } from '#test/support/site.ts';

const VNU = fileURLToPath(new URL('../../node_modules/vnu-jar/build/dist/vnu.jar', import.meta.url));
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

/**
 * A fragment is not a document: it is checked as the body of the smallest valid document a
 * host could put it in, so its markup (declarative shadow root included) must be valid there.
 */
const inHostDocument = (fragment: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host page</title></head><body>${fragment}</body></html>`;

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
    [`${link}?submitted=updated`],
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
    const result = spawnSync('java', ['-jar', VNU, '--errors-only', '--format', 'json', ...files], { encoding: 'utf8' });
    if (result.error) throw new Error(`could not run java (install a JRE, e.g. apt-get install default-jre-headless): ${result.error.message}`);
    const messages = (JSON.parse(result.stderr || '{"messages":[]}') as { messages: Array<{ url: string; message: string; lastLine?: number }> }).messages;
    expect(messages.map((m) => `${m.url.replace(`file:${ROOT}`, '')}:${m.lastLine}: ${m.message}`)).toEqual([]);
  });
});
