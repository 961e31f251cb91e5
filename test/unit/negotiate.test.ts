import { describe, expect, it } from 'vitest';
import {
  lookupLocale,
  MAX_LANGUAGE_RANGES,
  parseAcceptLanguage,
  pickLocale,
  readCookie,
} from '#functions/language/negotiate.ts';

const LOCALES = ['en', 'de'] as const;
const pick = (acceptLanguage: string | null, cookie: string | null = null) =>
  pickLocale({ acceptLanguage, cookie }, LOCALES, 'en');

describe('pickLocale', () => {
  it('falls back to English when the visitor sends no preference', () => {
    expect(pick(null)).toBe('en');
    expect(pick('')).toBe('en');
  });

  it('picks German for a German browser', () => {
    expect(pick('de')).toBe('de');
    expect(pick('de-DE,de;q=0.9,en;q=0.8')).toBe('de');
  });

  it('maps regional German (de-AT, de-CH) to de by RFC 4647 lookup', () => {
    expect(pick('de-AT')).toBe('de');
    expect(pick('de-CH,fr;q=0.5')).toBe('de');
    expect(pick('de-CH-1996')).toBe('de');
  });

  it('honours q-values over header order', () => {
    expect(pick('en;q=0.4,de;q=0.9')).toBe('de');
    expect(pick('de;q=0.5, en;q=0.6')).toBe('en');
  });

  it('keeps header order for equal q-values', () => {
    expect(pick('de,en')).toBe('de');
    expect(pick('en,de')).toBe('en');
  });

  it('skips unsupported languages to reach a supported one', () => {
    expect(pick('fr-FR,fr;q=0.9,de;q=0.8,en;q=0.7')).toBe('de');
    expect(pick('ja,zh-CN')).toBe('en');
  });

  it('treats q=0 as "not acceptable"', () => {
    expect(pick('de;q=0,en')).toBe('en');
    expect(pick('de;q=0')).toBe('en');
  });

  it('prefers the remembered choice over Accept-Language', () => {
    expect(pick('en-US,en', 'lang=de')).toBe('de');
    expect(pick('de', 'theme=dark; lang=en; other=1')).toBe('en');
  });

  it('ignores a remembered choice that is not a supported locale', () => {
    expect(pick('de', 'lang=fr')).toBe('de');
    expect(pick('de', 'lang=')).toBe('de');
    expect(pick(null, 'lang=<script>')).toBe('en');
  });

  it('survives malformed and hostile headers without throwing', () => {
    const hostile = [
      ';;;,,,',
      'de;q=abc',
      'de;q=1.5,en',
      'de;q=-1',
      'd€,en;q=0.1',
      '*;q=1',
      'x'.repeat(100_000),
      `${'zz,'.repeat(10_000)}de`,
      'de\u0000',
      'en-;q=1',
      '-de',
      'de;q=0.5;q=0.9',
    ];
    for (const header of hostile) expect(() => pick(header)).not.toThrow();
    expect(pick('de;q=abc,en;q=0.1')).toBe('en');
    expect(pick('de;q=1.5,en;q=0.1')).toBe('en');
    expect(pick('*;q=1')).toBe('en');
    expect(pick(`${'zz,'.repeat(10_000)}de`)).toBe('en');
  });
});

describe('parseAcceptLanguage', () => {
  it('lower-cases ranges and sorts them by weight', () => {
    expect(parseAcceptLanguage('en-US;q=0.5, DE-de')).toEqual([
      { range: 'de-de', q: 1 },
      { range: 'en-us', q: 0.5 },
    ]);
  });

  it(`reads at most ${MAX_LANGUAGE_RANGES} ranges`, () => {
    const header = Array.from({ length: 100 }, (_, index) => `l${'a'.repeat(index % 7)}`).join(',');
    expect(parseAcceptLanguage(header).length).toBeLessThanOrEqual(MAX_LANGUAGE_RANGES);
  });

  it('drops entries with an invalid q-value or range', () => {
    expect(parseAcceptLanguage('de;q=2, en;q=0.3, 12;q=1, fr')).toEqual([
      { range: 'fr', q: 1 },
      { range: 'en', q: 0.3 },
    ]);
  });
});

describe('lookupLocale', () => {
  it('truncates subtags from the end until a locale matches', () => {
    expect(lookupLocale('de-ch-1996', LOCALES)).toBe('de');
    expect(lookupLocale('en-gb', LOCALES)).toBe('en');
    expect(lookupLocale('fr-ch', LOCALES)).toBeUndefined();
  });

  it('does not let a singleton subtag end a truncated range', () => {
    expect(lookupLocale('de-x-private', ['de-x', 'de'] as const)).toBe('de');
  });
});

describe('readCookie', () => {
  it('finds one cookie among several', () => {
    expect(readCookie('a=1; lang=de; b=2', 'lang')).toBe('de');
    expect(readCookie('language=de', 'lang')).toBeUndefined();
    expect(readCookie(null, 'lang')).toBeUndefined();
    expect(readCookie('garbage', 'lang')).toBeUndefined();
  });
});
