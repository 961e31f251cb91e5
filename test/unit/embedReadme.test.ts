/**
 * README "Embedding" shows the test host's files as they are: each code block there is one of
 * test/host/'s files, verbatim, under a caption that names it and says how many lines of code it
 * has. So what a host copies is what the tests run, and the line counts stay honest.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url);
const README = readFileSync(new URL('README.md', ROOT), 'utf8');
/** The host's files a host site needs: all but the test's dispatcher by hostname and generated types. */
const SHOWN = readdirSync(new URL('test/host/', ROOT))
  .filter((name) => /\.(ts|toml)$/.test(name) && !['worker.ts', 'worker-configuration.d.ts'].includes(name))
  .map((name) => `test/host/${name}`);

/** Lines of code: neither blank nor only a comment (`//`, `/*`, `*`, or `#` in TOML). */
function linesOfCode(text: string): number {
  return text.split('\n').filter((line) => {
    const code = line.trim();
    return code !== '' && !/^(\/\/|\/\*|\*|#)/.test(code);
  }).length;
}

/** Each code block of the README under a caption "**`<file>`** (N lines of code)". */
const shown = new Map(
  [...README.matchAll(/^\*\*`(test\/host\/[\w.]+)`\*\* \((\d+) lines of code\)\n\n```\w+\n([\s\S]*?)^```$/gm)].map((match) => [
    match[1] ?? '',
    { lines: Number(match[2]), code: match[3] ?? '' },
  ]),
);

describe('README "Embedding"', () => {
  it('shows every file a host needs from test/host/, and no other', () => {
    expect([...shown.keys()].sort()).toEqual([...SHOWN].sort());
  });

  for (const file of SHOWN) {
    it(`shows ${file} verbatim, with its true number of lines of code`, () => {
      const source = readFileSync(new URL(file, ROOT), 'utf8');
      expect(shown.get(file)?.code).toBe(source);
      expect(shown.get(file)?.lines).toBe(linesOfCode(source));
    });
  }

  it('states each line count the same wherever it names a file', () => {
    const mentions = [...README.matchAll(/`(?:test\/host\/)?(\w+\.(?:ts|toml))`\** \((\d+) lines/g)];
    expect(mentions.length).toBeGreaterThan(SHOWN.length);
    for (const [mention, name, lines] of mentions) {
      expect(Number(lines), mention).toBe(linesOfCode(readFileSync(new URL(`test/host/${name}`, ROOT), 'utf8')));
    }
  });
});
