import { DEGREES } from '#functions/applications/limits.ts';
import type { SubmissionKind } from '#functions/applications/submission.ts';
import { MUNICH_TIME_ZONE } from '#functions/time.ts';
import { uiStringsSchema, type UiKey, type UiStrings } from '#src/schemas/ui.ts';
import { LOCALE_INFO, LOCALES, type Locale } from './locales.ts';

const files = import.meta.glob<{ default: unknown }>('../../content/ui/*.json', { eager: true });

/**
 * Parses every locale's UI strings once, at build time; any missing, extra or empty key
 * throws with the file and the key named, which fails the build.
 */
export function loadUiStrings(sources: Record<string, { default: unknown }>): Record<Locale, UiStrings> {
  const entries = LOCALES.map((locale) => {
    const file = `content/ui/${locale}.json`;
    const source = sources[`../../${file}`];
    if (!source) throw new Error(`${file}: missing. Copy content/ui/en.json and translate every value.`);
    const result = uiStringsSchema.safeParse(source.default);
    if (!result.success) {
      const problems = result.error.issues.map((issue) =>
        issue.code === 'unrecognized_keys'
          ? `${file}: ${issue.keys.join(', ')}: unknown key; remove it or add it to src/schemas/ui.ts`
          : `${file}: ${issue.path.join('.')}: ${issue.message}`,
      );
      throw new Error(problems.join('\n'));
    }
    return [locale, result.data] as const;
  });
  return Object.fromEntries(entries) as Record<Locale, UiStrings>;
}

const STRINGS = loadUiStrings(files);

const NUMBERS = Object.fromEntries(LOCALES.map((locale) => [locale, new Intl.NumberFormat(LOCALE_INFO[locale].tag)])) as Record<Locale, Intl.NumberFormat>;

/**
 * The UI string `key` in `locale`, the one translation function: `{name}` placeholders are
 * filled from `values`, numbers formatted for the locale ("4,000" / "4.000"). The pages, the
 * Worker's handlers and the tests all localize through it.
 */
export function translate(locale: Locale, key: UiKey, values: Record<string, string | number> = {}): string {
  const show = (value: string | number | undefined, whole: string) =>
    value === undefined ? whole : typeof value === 'number' ? NUMBERS[locale].format(value) : value;
  return STRINGS[locale][key].replace(/\{(\w+)\}/g, (whole, name: string) => show(values[name], whole));
}

/** The title of an accepted submission's confirmation: thanks for a new application; for a repeat, that it was already there. */
export const CONFIRMATION_TITLE_KEYS = { stored: 'confirm.title', duplicate: 'confirm.titleDuplicate' } as const satisfies Record<SubmissionKind, UiKey>;

/** A translation function for one locale, for pages: `t('job.closed')`. */
export function useTranslations(locale: Locale) {
  return (key: UiKey, values: Record<string, string | number> = {}): string => translate(locale, key, values);
}

/** Formats a date for a locale, e.g. "November 21, 2025" / "21. November 2025". */
export function formatDate(date: Date, locale: Locale): string {
  return new Intl.DateTimeFormat(LOCALE_INFO[locale].tag, { dateStyle: 'long', timeZone: 'UTC' }).format(date);
}

/** The day of a moment (ISO 8601) as the locale writes it, in Munich time: "26 November 2026" / "26. November 2026". */
export function formatDay(instant: string | Date, locale: Locale): string {
  return new Intl.DateTimeFormat(LOCALE_INFO[locale].tag, { dateStyle: 'long', timeZone: MUNICH_TIME_ZONE }).format(new Date(instant));
}

/** A moment (ISO 8601) with date and time, in Munich time: "Nov 26, 2026, 11:00 AM" / "26.11.2026, 11:00". */
export function formatDateTime(instant: string | Date, locale: Locale): string {
  return new Intl.DateTimeFormat(LOCALE_INFO[locale].tag, { dateStyle: 'medium', timeStyle: 'short', timeZone: MUNICH_TIME_ZONE }).format(new Date(instant));
}

/** A stored degree's name as the form offers it; a value the form never offered, as stored. */
export function degreeName(degree: string, locale: Locale): string {
  return (DEGREES as readonly string[]).includes(degree) ? translate(locale, `form.degree.${degree as (typeof DEGREES)[number]}`) : degree;
}
