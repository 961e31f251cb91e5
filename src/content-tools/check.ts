/**
 * All content checks in one place, used by `npm run check`, `npm run content:status`, the
 * build and the dev server (src/integrations/contentChecks.ts): one set of rules, one wording.
 */
import { isoDay } from '#functions/time.ts';
import { LOCALE_INFO, LOCALES, isLocale, type Locale } from '#src/i18n/locales.ts';
import { SLUG_PATTERN, type Job } from '#src/schemas/job.ts';
import type { ContentDocument, ContentTree } from './files.ts';
import { readContentTree } from './files.ts';
import { checkLink, extractLinks } from './links.ts';
import { sortProblems, type Problem } from './problems.ts';
import {
  LANGUAGE_INDEPENDENT_FIELDS,
  SOURCE_LOCALE,
  sourceHash,
  TRANSLATION_LOCALES,
  translationState,
  type TranslationRow,
} from './translations.ts';
import { validateJob, validatePage } from './validate.ts';

/** Everything the checks found. */
export interface ContentReport {
  /** Errors and warnings, sorted by file. */
  problems: Problem[];
  /** Translation state of every posting in every locale. */
  translations: TranslationRow[];
}

/**
 * Pages the site cannot do without, and why: every page links to them in its footer, and the
 * privacy notice is what applicants consent to (its version is stored with each application).
 */
export const REQUIRED_PAGES = {
  privacy: 'applicants consent to it and every page links to it',
  imprint: 'every page links to it (German law requires one)',
} as const;

/** A date value as the editor wrote it, `YYYY-MM-DD`; undefined for anything else. */
const dayOf = (value: unknown) => (value instanceof Date ? isoDay(value) : undefined);

/** A field's value as shown in messages, e.g. "open", "2025-11-21", "80335". */
function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  return dayOf(value) ?? (typeof value === 'string' ? `"${value}"` : JSON.stringify(value));
}

function valueAt(data: unknown, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((current, key) => (typeof current === 'object' && current !== null ? (current as Record<string, unknown>)[key] : undefined), data);
}

const same = (a: unknown, b: unknown) => (dayOf(a) ?? JSON.stringify(a)) === (dayOf(b) ?? JSON.stringify(b));

/** The command that marks a translation as reviewed. */
export const reviewedCommand = (locale: string, slug: string) => `npm run content:reviewed -- ${locale} ${slug}`;

/** Checks an already read content tree (pure apart from hashing; used by tests directly). */
export function checkContentTree(tree: ContentTree): ContentReport {
  const problems: Problem[] = [...tree.problems];
  const at = (collection: string, locale: string, slug: string) => `${tree.contentDir === '.' ? '' : `${tree.contentDir}/`}${collection}/${locale}/${slug}.md`;
  const jobs = new Map<string, Map<Locale, { document: ContentDocument; job?: Job }>>();
  const pages = new Map<string, Set<Locale>>();

  for (const document of tree.documents) {
    if (!isLocale(document.locale)) {
      problems.push({
        file: document.file,
        field: 'file',
        message: `"${document.locale}" is not a language of the site; move the file to one of ${LOCALES.map((locale) => `${locale}/`).join(', ')} (new languages are added in src/i18n/locales.ts)`,
        severity: 'error',
      });
      continue;
    }
    if (!SLUG_PATTERN.test(document.slug)) {
      problems.push({
        file: document.file,
        field: 'file',
        message: `the name "${document.slug}" becomes the web address; use lowercase letters, digits and hyphens, e.g. "${document.slug.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'data-engineer'}.md"`,
        severity: 'error',
      });
    }
    if (document.collection === 'jobs' && document.frontmatter === undefined) {
      // Unreadable YAML is reported already; the file still counts as present.
      jobs.set(document.slug, (jobs.get(document.slug) ?? new Map<Locale, { document: ContentDocument; job?: Job }>()).set(document.locale, { document }));
      continue;
    }
    if (document.frontmatter === undefined) continue;
    if (document.collection === 'pages') {
      problems.push(...validatePage(document.file, document.frontmatter).problems);
      const locales = pages.get(document.slug) ?? new Set<Locale>();
      pages.set(document.slug, locales.add(document.locale));
      continue;
    }
    const { job, problems: found } = validateJob(document.file, document.frontmatter);
    problems.push(...found);
    const perLocale = jobs.get(document.slug) ?? new Map<Locale, { document: ContentDocument; job?: Job }>();
    jobs.set(document.slug, perLocale.set(document.locale, job ? { document, job } : { document }));
  }

  // The required pages exist, and every page exists in every locale (the footer links to each
  // of them in every language).
  for (const [slug, reason] of Object.entries(REQUIRED_PAGES)) {
    if (pages.has(slug)) continue;
    for (const locale of LOCALES) {
      problems.push({ file: at('pages', locale, slug), field: 'file', message: `missing; the site needs this page because ${reason}: write it (content/README.md explains the pages)`, severity: 'error' });
    }
  }
  for (const [slug, locales] of pages) {
    for (const locale of LOCALES.filter((candidate) => !locales.has(candidate))) {
      const existing = [...locales][0] ?? SOURCE_LOCALE;
      problems.push({ file: at('pages', locale, slug), field: 'file', message: `missing; translate ${at('pages', existing, slug)} into ${LOCALE_INFO[locale].name} and save it here`, severity: 'error' });
    }
  }

  // Cross-checks between the languages of one posting, and the translation state.
  const translations: TranslationRow[] = [];
  for (const [slug, perLocale] of [...jobs].sort(([a], [b]) => a.localeCompare(b))) {
    const source = perLocale.get(SOURCE_LOCALE);
    const currentHash = source?.document.frontmatter ? sourceHash({ frontmatter: source.document.frontmatter, body: source.document.body }) : undefined;
    const states = { [SOURCE_LOCALE]: source ? 'source' : 'missing' } as TranslationRow['states'];
    if (!source) {
      const existing = [...perLocale.values()][0]?.document.file ?? '';
      problems.push({ file: at('jobs', SOURCE_LOCALE, slug), field: 'file', message: `missing; every posting is written in English first: add it (${existing} is its translation)`, severity: 'error' });
    }
    if (source?.document.frontmatter && 'sourceHash' in source.document.frontmatter) {
      problems.push({ file: source.document.file, field: 'sourceHash', message: 'only translations record a sourceHash; remove it from the English source', severity: 'error' });
    }
    for (const locale of TRANSLATION_LOCALES) {
      const translation = perLocale.get(locale);
      const file = at('jobs', locale, slug);
      if (!translation) {
        states[locale] = 'missing';
        problems.push({
          file,
          field: 'file',
          message: `missing; translate ${at('jobs', SOURCE_LOCALE, slug)} into ${LOCALE_INFO[locale].name}, save it here, then run ${reviewedCommand(locale, slug)}`,
          severity: 'error',
        });
        continue;
      }
      if (currentHash === undefined) continue;
      const recorded = translation.document.frontmatter?.['sourceHash'];
      const state = translationState(currentHash, translation.document.frontmatter ?? {});
      states[locale] = state;
      if (state === 'outdated') {
        problems.push({
          file,
          field: 'sourceHash',
          message:
            recorded === undefined
              ? `missing, so nobody has confirmed this translation matches ${at('jobs', SOURCE_LOCALE, slug)}; after review run ${reviewedCommand(locale, slug)}`
              : `outdated: ${at('jobs', SOURCE_LOCALE, slug)} changed since this translation was reviewed; update the translation, then run ${reviewedCommand(locale, slug)}`,
          severity: 'warning',
        });
      }
      if (source?.job && translation.job) {
        for (const field of LANGUAGE_INDEPENDENT_FIELDS) {
          const expected = valueAt(source.job, field);
          const actual = valueAt(translation.job, field);
          if (same(expected, actual)) continue;
          problems.push({
            file,
            field,
            message: `is ${show(actual)} but ${show(expected)} in ${at('jobs', SOURCE_LOCALE, slug)}; it must be the same in every language`,
            severity: 'error',
          });
        }
      }
    }
    translations.push({ slug, states });
  }

  // Links in bodies: every page the build will produce (drafts are not published).
  const sitePages = new Set<string>(LOCALES.map((locale) => `/${locale}/`));
  for (const [slug, perLocale] of jobs) {
    for (const [locale, { job }] of perLocale) if (job && job.status !== 'draft') sitePages.add(`/${locale}/jobs/${slug}/`);
  }
  for (const [slug, locales] of pages) for (const locale of locales) sitePages.add(`/${locale}/${slug}/`);
  for (const document of tree.documents) {
    if (!isLocale(document.locale) || document.frontmatter === undefined) continue;
    const pagePath = document.collection === 'jobs' ? `/${document.locale}/jobs/${document.slug}/` : `/${document.locale}/${document.slug}/`;
    for (const link of extractLinks(document.body)) {
      const message = checkLink(link.href, { pagePath, pages: sitePages });
      if (message) problems.push({ file: document.file, field: `body, line ${document.bodyLine + link.line - 1}`, message: `link ${message}`, severity: 'error' });
    }
  }

  return { problems: sortProblems(problems), translations };
}

/** Reads `<root>/<contentDir>` and checks it. */
export async function checkContent(root: string, contentDir: string): Promise<ContentReport> {
  return checkContentTree(await readContentTree(root, contentDir));
}
