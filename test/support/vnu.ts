/** The W3C Nu HTML Checker (vnu-jar, needs Java), for the tests that check rendered HTML. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ROOT } from '#test/support/site.ts';

const VNU = fileURLToPath(new URL('../../node_modules/vnu-jar/build/dist/vnu.jar', import.meta.url));

/**
 * A fragment is not a document: it is checked as the body of the smallest valid document a
 * host could put it in, so its markup (declarative shadow root included) must be valid there.
 */
export const inHostDocument = (fragment: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host page</title></head><body>${fragment}</body></html>`;

/** Checks HTML files and returns the checker's errors, one line each ("/path:line: message"). */
export function htmlErrors(files: readonly string[]): string[] {
  const result = spawnSync('java', ['-jar', VNU, '--errors-only', '--format', 'json', ...files], { encoding: 'utf8' });
  if (result.error) throw new Error(`could not run java (install a JRE, e.g. apt-get install default-jre-headless): ${result.error.message}`);
  const messages = (JSON.parse(result.stderr || '{"messages":[]}') as { messages: Array<{ url: string; message: string; lastLine?: number }> }).messages;
  return messages.map((m) => `${m.url.replace(`file:${ROOT}`, '')}:${m.lastLine}: ${m.message}`);
}
