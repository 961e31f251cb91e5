/**
 * Translations in step with their English source. Each translation records in its
 * frontmatter (`sourceHash`) a short hash of the source it was reviewed against; when the
 * source changes, the hashes differ and the translation is outdated.
 */
import { createHash } from 'node:crypto';
import { LOCALES, type Locale } from '#src/i18n/locales.ts';

/** The language every posting is written in first; the others translate it. */
export const SOURCE_LOCALE = 'en' satisfies Locale;

/** The locales that translate the source. */
export const TRANSLATION_LOCALES: readonly Locale[] = LOCALES.filter((locale) => locale !== SOURCE_LOCALE);

/**
 * Frontmatter fields that must not differ by language (dotted paths). They are cross-checked
 * instead of translated, so changing them alone does not make a translation outdated.
 */
export const LANGUAGE_INDEPENDENT_FIELDS = [
  'location.streetAddress',
  'location.postalCode',
  'location.countryCode',
  'employmentType',
  'workplace',
  'datePosted',
  'validThrough',
  'status',
  'salary',
] as const;

/** Where a translation stands against its source. */
export type TranslationState = 'up to date' | 'outdated' | 'missing';

function withoutFields(frontmatter: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const copy: Record<string, unknown> = structuredClone(frontmatter);
  for (const field of fields) {
    const keys = field.split('.');
    const last = keys.pop() ?? '';
    let parent: unknown = copy;
    for (const key of keys) parent = typeof parent === 'object' && parent !== null ? (parent as Record<string, unknown>)[key] : undefined;
    if (typeof parent === 'object' && parent !== null) delete (parent as Record<string, unknown>)[last];
  }
  return copy;
}

/** JSON with object keys sorted, so that reordering YAML keys changes no hash. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    typeof inner === 'object' && inner !== null && !Array.isArray(inner) && !(inner instanceof Date)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );
}

/**
 * Short hash (8 hex digits of SHA-256) of what translators translate in a source posting: its
 * Markdown body and its frontmatter except the language-independent fields.
 */
export function sourceHash(source: { frontmatter: Record<string, unknown>; body: string }): string {
  const translatable = withoutFields(source.frontmatter, [...LANGUAGE_INDEPENDENT_FIELDS, 'sourceHash']);
  const body = source.body.replace(/\r\n/g, '\n').trim();
  return createHash('sha256').update(`${canonicalJson(translatable)}\n${body}`).digest('hex').slice(0, 8);
}

/**
 * The state of one translation: missing when there is no file; outdated when the hash it
 * records (if any) is not the current source's; otherwise up to date.
 */
export function translationState(currentSourceHash: string, translation: { sourceHash?: unknown } | undefined): TranslationState {
  if (!translation) return 'missing';
  return translation.sourceHash === currentSourceHash ? 'up to date' : 'outdated';
}

/** One posting's row of the status table. */
export interface TranslationRow {
  slug: string;
  states: Record<Locale, TranslationState | 'source'>;
}

/** Renders the postings × locales table printed by `npm run content:status`. */
export function renderStatusTable(rows: readonly TranslationRow[]): string {
  const header = ['posting', ...LOCALES];
  const body = rows.map((row) => [row.slug, ...LOCALES.map((locale) => row.states[locale])]);
  const widths = header.map((title, column) => Math.max(title.length, ...body.map((cells) => cells[column]?.length ?? 0)));
  const format = (cells: readonly string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  return [format(header), format(widths.map((width) => '-'.repeat(width))), ...body.map(format)].join('\n');
}

/**
 * The file's text with `sourceHash: <hash>` in its frontmatter: the existing line replaced,
 * or a new line added at the end of the frontmatter. Everything else stays byte for byte.
 */
export function withSourceHash(text: string, hash: string): string {
  const match = /^(\uFEFF?---\n)([\s\S]*?\n)(---)/.exec(text);
  if (!match) throw new Error('the file has no frontmatter between --- lines');
  const [whole, open = '', frontmatter = '', close = ''] = match;
  // Quoted, because a hash of digits only would otherwise be read as a number.
  const line = `sourceHash: "${hash}"`;
  const updated = /^sourceHash:.*$/m.test(frontmatter) ? frontmatter.replace(/^sourceHash:.*$/m, line) : `${frontmatter}${line}\n`;
  return `${open}${updated}${close}${text.slice(whole.length)}`;
}
