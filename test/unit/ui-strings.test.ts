import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LOCALE, LOCALES } from '#src/i18n/locales.ts';
import { loadUiStrings, translate, useTranslations } from '#src/i18n/ui.ts';

/** Every locale's content/ui/<locale>.json as written, read independently of the code under test. */
const files: Record<string, Record<string, string>> = Object.fromEntries(
  LOCALES.map((locale) => [locale, JSON.parse(readFileSync(new URL(`../../content/ui/${locale}.json`, import.meta.url), 'utf8'))]),
);
const source = files[DEFAULT_LOCALE]!;
const translations = LOCALES.filter((locale) => locale !== DEFAULT_LOCALE);

/** The files as Vite's glob hands them to loadUiStrings. */
const sources = (strings: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(strings).map(([locale, content]) => [`../../content/ui/${locale}.json`, { default: content }]));

describe('UI strings', () => {
  it.each(LOCALES)('exist for %s with exactly the keys of the source language, and load', (locale) => {
    expect(Object.keys(files[locale] ?? {}).sort()).toEqual(Object.keys(source).sort());
    expect(() => loadUiStrings(sources(files))).not.toThrow();
  });

  it.each(translations)('fail the build when a %s key is missing, naming the file and the key', (locale) => {
    const { 'job.closed': _removed, ...incomplete } = files[locale] ?? {};
    expect(() => loadUiStrings(sources({ ...files, [locale]: incomplete }))).toThrow(`content/ui/${locale}.json: job.closed: missing: add the translation`);
  });

  it.each(LOCALES)('fail the build on a misspelt key in %s', (locale) => {
    expect(() => loadUiStrings(sources({ ...files, [locale]: { ...files[locale], 'job.clsoed': 'x' } }))).toThrow(
      `content/ui/${locale}.json: job.clsoed: unknown key; remove it or add it to src/schemas/ui.ts`,
    );
  });

  it.each(LOCALES)('fail the build on an empty translation in %s', (locale) => {
    expect(() => loadUiStrings(sources({ ...files, [locale]: { ...files[locale], 'nav.skip': '' } }))).toThrow(`content/ui/${locale}.json: nav.skip: must not be empty`);
  });

  it.each(LOCALES)('fail the build when %s has no file', (locale) => {
    const { [locale]: _missing, ...others } = files;
    expect(() => loadUiStrings(sources(others))).toThrow(`content/ui/${locale}.json: missing`);
  });

  it.each(translations)('use the same placeholders in %s as in the source language', (locale) => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
    for (const [key, text] of Object.entries(source)) expect(placeholders(files[locale]?.[key] ?? ''), key).toEqual(placeholders(text));
  });

  it('fill placeholders, formatting numbers for the language', () => {
    expect(useTranslations('de')('form.hint.motivation', { max: 4000 })).toBe('Höchstens 4.000 Zeichen.');
    expect(useTranslations('en')('form.hint.motivation', { max: 4000 })).toBe('At most 4,000 characters.');
    expect(translate('en', 'apply.title', { job: 'Machine Learning Intern' })).toBe('Apply: Machine Learning Intern');
    expect(translate('de', 'apply.error.tooLarge', { maxMb: 10 })).toBe(useTranslations('de')('apply.error.tooLarge', { maxMb: 10 }));
  });
});
