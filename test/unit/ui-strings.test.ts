import { describe, expect, it } from 'vitest';
import en from '#content/ui/en.json';
import de from '#content/ui/de.json';
import { LOCALES } from '#src/i18n/locales.ts';
import { loadUiStrings, useTranslations } from '#src/i18n/ui.ts';

const sources = (files: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(files).map(([locale, strings]) => [`../../content/ui/${locale}.json`, { default: strings }]));

describe('UI strings', () => {
  it('exist for every locale with exactly the same keys', () => {
    expect(LOCALES).toEqual(['en', 'de']);
    expect(Object.keys(de).sort()).toEqual(Object.keys(en).sort());
    expect(() => loadUiStrings(sources({ en, de }))).not.toThrow();
  });

  it('fail the build when a German key is missing, naming the file and the key', () => {
    const { 'job.closed': _removed, ...incomplete } = de;
    expect(() => loadUiStrings(sources({ en, de: incomplete }))).toThrow('content/ui/de.json: job.closed: missing: add the translation');
  });

  it('fail the build on a misspelt key', () => {
    expect(() => loadUiStrings(sources({ en: { ...en, 'job.clsoed': 'x' }, de }))).toThrow(
      'content/ui/en.json: job.clsoed: unknown key; remove it or add it to src/schemas/ui.ts',
    );
  });

  it('fail the build on an empty translation', () => {
    expect(() => loadUiStrings(sources({ en, de: { ...de, 'nav.skip': '' } }))).toThrow('content/ui/de.json: nav.skip: must not be empty');
  });

  it('fail the build when a locale has no file', () => {
    expect(() => loadUiStrings(sources({ en }))).toThrow('content/ui/de.json: missing');
  });

  it('use the same placeholders in every language', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
    for (const [key, text] of Object.entries(en)) {
      expect(placeholders((de as Record<string, string>)[key] ?? ''), key).toEqual(placeholders(text));
    }
  });

  it('fill placeholders, formatting numbers for the language', () => {
    expect(useTranslations('de')('form.hint.motivation', { max: 4000 })).toBe('Höchstens 4.000 Zeichen.');
    expect(useTranslations('en')('form.hint.motivation', { max: 4000 })).toBe('At most 4,000 characters.');
    expect(useTranslations('en')('apply.title', { job: 'Machine Learning Intern' })).toBe('Apply: Machine Learning Intern');
  });
});
