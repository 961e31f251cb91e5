/**
 * The ONE list of locales. Everything else (routes, negotiation, UI strings, content checks)
 * is derived from it; adding a language starts here.
 */
export const LOCALES = ['en', 'de'] as const;

/** A supported locale. */
export type Locale = (typeof LOCALES)[number];

/** The locale for visitors who express no usable preference. */
export const DEFAULT_LOCALE: Locale = 'en';

/**
 * Per-locale facts: BCP 47 tag for Intl and `<html lang>`, Open Graph locale, own name, and the
 * list separator of CSV files (spreadsheets in German split on `;`: the comma is the decimal mark).
 */
export const LOCALE_INFO = {
  en: { tag: 'en', ogLocale: 'en_US', name: 'English', csvSeparator: ',' },
  de: { tag: 'de-DE', ogLocale: 'de_DE', name: 'Deutsch', csvSeparator: ';' },
} as const satisfies Record<Locale, { tag: string; ogLocale: string; name: string; csvSeparator: ',' | ';' }>;

/** Narrows any string to a Locale. */
export function isLocale(value: string | undefined): value is Locale {
  return LOCALES.some((locale) => locale === value);
}
