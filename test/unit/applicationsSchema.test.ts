import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toFieldErrors } from '#functions/applications/fieldErrors.ts';
import { APPLICATION_FIELDS, applicationFieldConstraints, FIELD_ERROR_KEYS } from '#functions/applications/fields.ts';
import {
  CV_MAX_BYTES,
  DURATION_MAX_MONTHS,
  DURATION_MIN_MONTHS,
  hasPdfMagic,
  MONTH_PATTERN,
  MOTIVATION_MAX_LENGTH,
  NAME_MAX_LENGTH,
  parseWebLink,
  PHONE_PATTERN,
  splitLinks,
} from '#functions/applications/limits.ts';
import { APPLICATION_MESSAGE_KEYS } from '#functions/applications/messages.ts';
import { createApplicationSchema } from '#functions/applications/schema.ts';
import { LOCALES } from '#src/i18n/locales.ts';
import { isCalendarDate, todayInMunich } from '#functions/time.ts';

const NOW = new Date('2026-11-26T10:00:00Z');
const pdf = () => new Blob(['%PDF-1.7\n', 'x'.repeat(100)]);
const valid = (overrides: Record<string, unknown> = {}) => ({
  firstName: 'Ada',
  lastName: 'Lovelace',
  email: 'ada@example.org',
  university: 'TUM',
  degree: 'phd',
  graduation: '2028-09',
  startDate: '2026-11-26',
  durationMonths: '12',
  cv: pdf(),
  privacy: 'yes',
  ...overrides,
});
const errorsOf = async (input: Record<string, unknown>, now = NOW) => {
  const result = await createApplicationSchema({ now }).safeParseAsync(input);
  return result.success ? [] : toFieldErrors(result.error.issues);
};

describe('todayInMunich', () => {
  it('names the Munich day, which starts an hour before the UTC day in winter', () => {
    expect(todayInMunich(new Date('2026-11-26T22:59:59Z'))).toBe('2026-11-26');
    expect(todayInMunich(new Date('2026-11-26T23:00:00Z'))).toBe('2026-11-27');
  });

  it('follows summer time, two hours ahead of UTC', () => {
    expect(todayInMunich(new Date('2026-07-01T21:59:59Z'))).toBe('2026-07-01');
    expect(todayInMunich(new Date('2026-07-01T22:00:00Z'))).toBe('2026-07-02');
  });
});

describe('the application schema', () => {
  it('accepts a complete minimal application and types its answers', async () => {
    const result = await createApplicationSchema({ now: NOW }).safeParseAsync(valid({ talentPool: undefined, phone: '', links: '\r\n', motivation: '  ' }));
    expect(result.success && { ...result.data, cv: undefined }).toEqual({
      ...valid(),
      cv: undefined,
      durationMonths: 12,
      privacy: true,
      talentPool: false,
      phone: undefined,
      links: [],
      motivation: undefined,
      website: '',
    });
  });

  it('takes a start date of today in Berlin, and refuses yesterday', async () => {
    expect(await errorsOf(valid({ startDate: '2026-11-26' }))).toEqual([]);
    expect((await errorsOf(valid({ startDate: '2026-11-26' }), new Date('2026-11-26T23:30:00Z')))[0]?.key).toBe('form.error.startDatePast');
  });

  it('counts a CRLF newline of the motivation once, as the browser’s maxlength does', async () => {
    const motivation = `${'a'.repeat(MOTIVATION_MAX_LENGTH - 2)}\r\nb`;
    expect(await errorsOf(valid({ motivation }))).toEqual([]);
  });

  it('refuses a CV over 10 MB by size without reading it, and one without PDF bytes by content', async () => {
    const big = new Blob([new Uint8Array(CV_MAX_BYTES + 1)]);
    expect(await errorsOf(valid({ cv: big }))).toEqual([{ field: 'cv', key: 'form.error.cvSize', params: { maxMb: 10 } }]);
    expect(await errorsOf(valid({ cv: new Blob(['PK\u0003\u0004 docx']) }))).toEqual([{ field: 'cv', key: 'form.error.cvType', params: {} }]);
    expect(await errorsOf(valid({ cv: 'cv.pdf' }))).toEqual([{ field: 'cv', key: 'form.error.cvRequired', params: {} }]);
  });

  it('accepts lenient international phone numbers and refuses letters or too few digits', async () => {
    for (const phone of ['+49 89 1234567', '(089) 123-45', '+1 415.555.0100', '0049/89/1234']) {
      expect(await errorsOf(valid({ phone }))).toEqual([]);
    }
    for (const phone of ['+49 89 CALL', '12-34', '+']) {
      expect((await errorsOf(valid({ phone })))[0]?.key).toBe('form.error.phone');
    }
  });

  it('stores links normalized and refuses the ones a recruiter must not be sent to', async () => {
    const parsed = await createApplicationSchema({ now: NOW }).safeParseAsync(valid({ links: 'HTTPS://GitHub.com/ada\r\nhttps://bücher.example/cv' }));
    expect(parsed.success && parsed.data.links).toEqual(['https://github.com/ada', 'https://xn--bcher-kva.example/cv']);
    expect(await errorsOf(valid({ links: 'https://www.linkedin.com@evil.example/in/ada' }))).toEqual([{ field: 'links', key: 'form.error.linkCredentials', params: {} }]);
    expect(await errorsOf(valid({ links: 'https://ex.example/a b<script>' }))).toEqual([{ field: 'links', key: 'form.error.linkSpaces', params: {} }]);
  });

  it('refuses line breaks, controls, bidi and other invisible format characters in single-line answers', async () => {
    for (const value of ['Ada\r\nE-mail: ceo@evil.example', 'Ada\u2028Talent pool: yes', 'Love\u202Ecalo', 'A\u0000da', 'Ada\u200B', 'Ada\u2066x\u2069', 'A\tda']) {
      for (const field of ['firstName', 'lastName', 'university']) {
        expect(await errorsOf(valid({ [field]: value })), `${field}: ${JSON.stringify(value)}`).toEqual([{ field, key: 'form.error.characters', params: {} }]);
      }
    }
    // Joiners are letters' business in Persian and Indic names; trailing line breaks are trimmed.
    expect(await errorsOf(valid({ firstName: 'می\u200Cخواهم', lastName: 'क्\u200Dष', university: 'TUM\r\n' }))).toEqual([]);
  });

  it('says "choose" for an empty choice and "enter a month/date" for empty dates, not "fill in this field"', async () => {
    const errors = await errorsOf(valid({ degree: '', graduation: '', startDate: '' }));
    expect(errors.map(({ field, key }) => [field, key])).toEqual([
      ['degree', 'form.error.requiredChoice'],
      ['graduation', 'form.error.requiredMonth'],
      ['startDate', 'form.error.requiredDate'],
    ]);
  });

  it('produces only message keys, never English text', async () => {
    const errors = await errorsOf({ firstName: 42, email: ['x'], degree: {}, cv: null, durationMonths: 'many', privacy: 'off' });
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) expect(FIELD_ERROR_KEYS).toContain(error.key);
  });
});

describe('the field constraints', () => {
  const constraints = applicationFieldConstraints();

  it('describe every field of the form', () => {
    expect(Object.keys(constraints).sort()).toEqual([...APPLICATION_FIELDS].sort());
  });

  it('carry the same limits the schema enforces', () => {
    expect(constraints.firstName.attributes).toMatchObject({ required: true, maxlength: NAME_MAX_LENGTH });
    expect(constraints.durationMonths.attributes).toMatchObject({ min: DURATION_MIN_MONTHS, max: DURATION_MAX_MONTHS, step: 1 });
    expect(constraints.motivation.attributes).toMatchObject({ maxlength: MOTIVATION_MAX_LENGTH });
    expect(constraints.cv.attributes).toMatchObject({ type: 'file', accept: 'application/pdf,.pdf', required: true });
    expect(constraints.phone.required).toBe(false);
    expect(constraints.degree.options).toEqual(['bachelor', 'master', 'phd', 'other']);
  });

  it('set the start date’s min only when given the current time, since prerendered pages go stale', () => {
    expect(constraints.startDate.attributes).not.toHaveProperty('min');
    expect(applicationFieldConstraints({ now: NOW }).startDate.attributes).toMatchObject({ min: '2026-11-26' });
  });

  it('list, for each field, every message key the schema can produce for it', async () => {
    const produced = [
      ...(await errorsOf({})),
      ...(await errorsOf(valid({ firstName: 'x'.repeat(101), email: 'nope', phone: 'abc', degree: 'x', graduation: '1', startDate: 'soon', durationMonths: '13', links: 'ftp://a', cv: new Blob(['no']) }))),
      ...(await errorsOf(valid({ startDate: '2020-01-01', links: 'https://a.de\n'.repeat(6), motivation: 'm'.repeat(4001) }))),
      ...(await errorsOf(valid({ firstName: 'A\nB', lastName: 'A\u202EB', university: 'T\u0000', degree: '', graduation: '', startDate: '', links: 'https://a.de/x y' }))),
      ...(await errorsOf(valid({ links: 'https://u:p@a.de/' }))),
    ];
    for (const { field, key, params } of produced) {
      expect(constraints[field].errors, `${field}: ${key}`).toContainEqual({ key, params });
    }
  });

  it('give patterns the browser can compile with the v flag and that match like the schema', () => {
    expect(new RegExp(`^(?:${PHONE_PATTERN})$`, 'v').test('+49 (89) 123-45')).toBe(true);
    expect(new RegExp(`^(?:${MONTH_PATTERN})$`, 'v').test('2027-07')).toBe(true);
    expect(new RegExp(`^(?:${MONTH_PATTERN})$`, 'v').test('2027-7')).toBe(false);
  });
});

describe('helpers', () => {
  it('recognise real calendar days only', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2027-02-29')).toBe(false);
    expect(isCalendarDate('2027-3-1')).toBe(false);
  });

  it('recognise a PDF by its first five bytes', () => {
    expect(hasPdfMagic(new TextEncoder().encode('%PDF-1.4'))).toBe(true);
    expect(hasPdfMagic(new TextEncoder().encode('%PDF'))).toBe(false);
    expect(hasPdfMagic(new TextEncoder().encode(' %PDF-1.4'))).toBe(false);
  });

  it('split the links field into trimmed lines and accept only http(s) links to a domain', () => {
    expect(splitLinks(' https://a.example/x \r\n\r\nhttp://b.example\r')).toEqual(['https://a.example/x', 'http://b.example']);
    expect(parseWebLink('https://github.com/ada')).toEqual({ href: 'https://github.com/ada' });
    for (const link of ['ftp://files.example.org/cv', 'https://localhost/', 'https://192.168.1.1/', 'github.com/ada', 'https:example.org', 'javascript:alert(1)']) {
      expect(parseWebLink(link), link).toEqual({ problem: 'form.error.links' });
    }
  });

  it('normalize a link as the URL parser does, and refuse user names, passwords and whitespace inside it', () => {
    expect(parseWebLink('HTTP://Example.ORG/path?q=1')).toEqual({ href: 'http://example.org/path?q=1' });
    expect(parseWebLink('https://bücher.example/ü"<x>')).toEqual({ href: 'https://xn--bcher-kva.example/%C3%BC%22%3Cx%3E' });
    expect(parseWebLink('https://www.linkedin.com@evil.example/"><img src=x onerror=alert(1)>')).toEqual({ problem: 'form.error.linkSpaces' });
    expect(parseWebLink('https://www.linkedin.com@evil.example/in/ada')).toEqual({ problem: 'form.error.linkCredentials' });
    expect(parseWebLink('https://user:secret@example.org/')).toEqual({ problem: 'form.error.linkCredentials' });
    for (const link of ['https://ex.example/a b<script>', 'https://ex.example/a\tb', 'https://ex.example/\u00a0x']) {
      expect(parseWebLink(link), link).toEqual({ problem: 'form.error.linkSpaces' });
    }
  });
});

describe('the UI strings', () => {
  it.each(LOCALES)('of %s contain every message the applications can show', (locale) => {
    const strings = JSON.parse(readFileSync(new URL(`../../content/ui/${locale}.json`, import.meta.url), 'utf8')) as Record<string, string>;
    const missing = APPLICATION_MESSAGE_KEYS.filter((key) => !strings[key]);
    expect(missing).toEqual([]);
  });
});
