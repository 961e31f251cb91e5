import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/site';

const VNU = fileURLToPath(new URL('../../node_modules/vnu-jar/build/dist/vnu.jar', import.meta.url));
const CLIENT = join(ROOT, 'dist', 'client');

function htmlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return htmlFiles(path);
    return entry.name.endsWith('.html') ? [path] : [];
  });
}

describe('the built HTML', () => {
  it('passes the W3C Nu HTML Checker on every page', () => {
    const files = htmlFiles(CLIENT);
    expect(files.length).toBeGreaterThanOrEqual(11);
    const result = spawnSync('java', ['-jar', VNU, '--errors-only', '--format', 'json', ...files], { encoding: 'utf8' });
    if (result.error) throw new Error(`could not run java (install a JRE, e.g. apt-get install default-jre-headless): ${result.error.message}`);
    const messages = (JSON.parse(result.stderr || '{"messages":[]}') as { messages: Array<{ url: string; message: string; lastLine?: number }> }).messages;
    expect(messages.map((m) => `${m.url.replace(`file:${CLIENT}`, '')}:${m.lastLine}: ${m.message}`)).toEqual([]);
  });
});
