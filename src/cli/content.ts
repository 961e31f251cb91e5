/**
 * The editors' content commands (Node 22 runs this TypeScript file directly):
 *
 *   node src/cli/content.ts check                  every problem, one line each; exit 1 on errors
 *   node src/cli/content.ts status                 postings × locales: up to date / outdated / missing
 *   node src/cli/content.ts reviewed <locale> <slug>   mark a reviewed translation as up to date
 *
 * The content folder is CONTENT_DIR (default "content"), relative to the project root.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isLocale } from '#src/i18n/locales.ts';
import { checkContent, reviewedCommand } from '#src/content-tools/check.ts';
import { parseDocument } from '#src/content-tools/files.ts';
import { formatProblem } from '#src/content-tools/problems.ts';
import { renderStatusTable, SOURCE_LOCALE, sourceHash, TRANSLATION_LOCALES, withSourceHash } from '#src/content-tools/translations.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CONTENT_DIR = process.env['CONTENT_DIR'] || 'content';

/** Prints every problem; fails when any is an error. */
async function check(): Promise<number> {
  const { problems } = await checkContent(ROOT, CONTENT_DIR);
  for (const problem of problems) console.log(formatProblem(problem));
  const errors = problems.filter((problem) => problem.severity === 'error').length;
  const warnings = problems.length - errors;
  console.log(
    errors === 0
      ? `content: ${warnings === 0 ? 'no problems' : `no errors, ${warnings} warning${warnings === 1 ? '' : 's'}`}`
      : `content: ${errors} error${errors === 1 ? '' : 's'}${warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}; fix the lines above (content/README.md explains every field)`,
  );
  return errors === 0 ? 0 : 1;
}

/** Prints the translation table; fails when a translation is missing. */
async function status(): Promise<number> {
  const { translations } = await checkContent(ROOT, CONTENT_DIR);
  console.log(renderStatusTable(translations));
  const missing = translations.some((row) => Object.values(row.states).includes('missing'));
  if (missing) console.log('\nmissing translations fail the build; `npm run check` says which file to add');
  return missing ? 1 : 0;
}

/** Writes the current source hash into a translation after a translator has reviewed it. */
async function reviewed(locale: string | undefined, slug: string | undefined): Promise<number> {
  const usage = `usage: ${reviewedCommand('<locale>', '<slug>')}, e.g. ${reviewedCommand(TRANSLATION_LOCALES[0] ?? 'de', 'machine-learning-intern')}`;
  if (!locale || !slug) {
    console.error(usage);
    return 2;
  }
  if (!isLocale(locale) || locale === SOURCE_LOCALE) {
    console.error(`"${locale}" is not a translation language; use one of ${TRANSLATION_LOCALES.join(', ')}\n${usage}`);
    return 2;
  }
  const file = (which: string) => path.join(ROOT, CONTENT_DIR, 'jobs', which, `${slug}.md`);
  const relative = (which: string) => path.relative(ROOT, file(which)).split(path.sep).join('/');
  const read = async (which: string) => {
    try {
      return (await readFile(file(which), 'utf8')).replace(/\r\n/g, '\n');
    } catch {
      return undefined;
    }
  };
  const sourceText = await read(SOURCE_LOCALE);
  const translationText = await read(locale);
  if (sourceText === undefined || translationText === undefined) {
    console.error(`${relative(sourceText === undefined ? SOURCE_LOCALE : locale)}: file: missing; check the posting's name (${slug})`);
    return 1;
  }
  const where = { collection: 'jobs', locale: SOURCE_LOCALE, slug, file: relative(SOURCE_LOCALE) } as const;
  const { document, problem } = parseDocument(sourceText, where);
  if (problem || !document.frontmatter) {
    console.error(problem ? formatProblem(problem) : `${where.file}: frontmatter: missing`);
    return 1;
  }
  const hash = sourceHash({ frontmatter: document.frontmatter, body: document.body });
  await writeFile(file(locale), withSourceHash(translationText, hash));
  console.log(`${relative(locale)}: sourceHash: ${hash}; marked as an up-to-date translation of ${relative(SOURCE_LOCALE)}`);
  return 0;
}

const [command, ...rest] = process.argv.slice(2);
const commands: Record<string, () => Promise<number>> = {
  check,
  status,
  reviewed: () => reviewed(rest[0], rest[1]),
};
const run = command ? commands[command] : undefined;
if (!run) {
  console.error(`usage: node src/cli/content.ts ${Object.keys(commands).join('|')}`);
  process.exitCode = 2;
} else {
  process.exitCode = await run();
}
