import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');
/** The code block under "## Project structure". */
const structure = /## Project structure\n+```\n([\s\S]*?)\n```/.exec(readme)?.[1] ?? '';
const entries = (folder: string, kind: 'folders' | 'modules') =>
  readdirSync(new URL(folder, root), { withFileTypes: true })
    .filter((entry) => (kind === 'folders' ? entry.isDirectory() && !entry.name.startsWith('.') : entry.isFile() && entry.name.endsWith('.ts')))
    .map((entry) => entry.name);

describe('the README’s project structure', () => {
  it('names every folder of src/, functions/ and test/', () => {
    expect(structure.length).toBeGreaterThan(0);
    for (const folder of ['src/', 'functions/', 'test/']) {
      for (const name of entries(folder, 'folders')) expect(structure, `${folder}${name}/`).toMatch(new RegExp(`(^|[\\s(/])${name}/`, 'm'));
    }
  });

  it('names every shared module at the top of functions/', () => {
    for (const name of entries('functions/', 'modules')) expect(structure, `functions/${name}`).toContain(name);
  });
});
