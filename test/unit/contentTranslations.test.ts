import { describe, expect, it } from 'vitest';
import { renderStatusTable, sourceHash, translationState, withSourceHash } from '#src/content-tools/translations.ts';

const source = {
  frontmatter: { title: 'Data Engineer', status: 'open', datePosted: new Date('2025-11-21'), location: { city: 'Munich', postalCode: '80335' } },
  body: '\n## About the role\n\nYou build pipelines.\n',
};

describe('translationState', () => {
  const current = sourceHash(source);

  it('is up to date when the translation records the current source hash', () => {
    expect(translationState(current, { sourceHash: current })).toBe('up to date');
  });

  it('is outdated when the translation records an older source hash', () => {
    expect(translationState(current, { sourceHash: '00000000' })).toBe('outdated');
  });

  it('is outdated when the translation records no source hash (never reviewed)', () => {
    expect(translationState(current, {})).toBe('outdated');
  });

  it('is missing when there is no translation file', () => {
    expect(translationState(current, undefined)).toBe('missing');
  });
});

describe('sourceHash', () => {
  it('is eight hex digits', () => {
    expect(sourceHash(source)).toMatch(/^[0-9a-f]{8}$/);
  });

  it('changes when the text translators translate changes', () => {
    const hash = sourceHash(source);
    expect(sourceHash({ ...source, body: `${source.body}\nOne more sentence.\n` })).not.toBe(hash);
    expect(sourceHash({ ...source, frontmatter: { ...source.frontmatter, title: 'Senior Data Engineer' } })).not.toBe(hash);
    expect(sourceHash({ ...source, frontmatter: { ...source.frontmatter, location: { city: 'Berlin', postalCode: '80335' } } })).not.toBe(hash);
  });

  it('stays when only language-independent fields, key order or line endings change', () => {
    const hash = sourceHash(source);
    expect(sourceHash({ ...source, frontmatter: { ...source.frontmatter, status: 'closed', validThrough: new Date('2026-01-31') } })).toBe(hash);
    expect(sourceHash({ ...source, frontmatter: { ...source.frontmatter, location: { postalCode: '80333', city: 'Munich' } } })).toBe(hash);
    const reordered = Object.fromEntries(Object.entries(source.frontmatter).reverse());
    expect(sourceHash({ frontmatter: reordered, body: source.body.replaceAll('\n', '\r\n') })).toBe(hash);
  });
});

describe('withSourceHash', () => {
  const file = '---\ntitle: Dateningenieur\nstatus: open\n---\n\nText with sourceHash: in it.\n';

  it('adds the field at the end of the frontmatter and leaves the rest untouched', () => {
    expect(withSourceHash(file, '1a2b3c4d')).toBe('---\ntitle: Dateningenieur\nstatus: open\nsourceHash: "1a2b3c4d"\n---\n\nText with sourceHash: in it.\n');
  });

  it('replaces a recorded hash', () => {
    expect(withSourceHash(withSourceHash(file, '00000000'), '1a2b3c4d')).toBe(withSourceHash(file, '1a2b3c4d'));
  });

  it('refuses a file without frontmatter', () => {
    expect(() => withSourceHash('# Just text\n', '1a2b3c4d')).toThrow(/no frontmatter/);
  });
});

describe('renderStatusTable', () => {
  it('prints one row per posting and one column per locale', () => {
    const table = renderStatusTable([
      { slug: 'data-engineer', states: { en: 'source', de: 'up to date' } },
      { slug: 'designer', states: { en: 'source', de: 'missing' } },
    ]);
    expect(table.split('\n')).toEqual([
      'posting        en      de',
      '-------------  ------  ----------',
      'data-engineer  source  up to date',
      'designer       source  missing',
    ]);
  });
});
