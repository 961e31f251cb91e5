/**
 * Reads the content folder the way Astro's glob loader does (same frontmatter parser), so
 * `npm run check`, `npm run content:*` and the build see the same data. Node only.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseFrontmatter } from 'astro/markdown';
import type { Problem } from './problems.ts';

/** The collections whose files live in `<contentDir>/<collection>/<locale>/<name>.md`. */
export const COLLECTIONS = ['jobs', 'pages'] as const;
/** A Markdown collection. */
export type Collection = (typeof COLLECTIONS)[number];

/** One Markdown file of a collection, with its frontmatter parsed. */
export interface ContentDocument {
  collection: Collection;
  /** Path relative to the project root with forward slashes, e.g. "content/jobs/de/x.md". */
  file: string;
  /** The folder below the collection, e.g. "de" (not necessarily a known locale). */
  locale: string;
  /** The file name without ".md", e.g. "machine-learning-intern". */
  slug: string;
  /** The whole file. */
  text: string;
  /** The parsed frontmatter; undefined when it is not valid YAML (a problem says why). */
  frontmatter: Record<string, unknown> | undefined;
  /** The Markdown body below the frontmatter. */
  body: string;
  /** 1-based line of the file on which the body starts. */
  bodyLine: number;
}

/** What was read, and the files that could not be understood at all. */
export interface ContentTree {
  /** The content folder relative to the root, e.g. "content" or "test/fixtures/many". */
  contentDir: string;
  documents: ContentDocument[];
  problems: Problem[];
}

/** Path relative to the project root, always with forward slashes. */
export function displayPath(root: string, absolute: string): string {
  return path.relative(root, absolute).split(path.sep).join('/');
}

async function listDirectory(directory: string): Promise<{ name: string; isDirectory: boolean }[]> {
  try {
    const entries = await readdir(directory, { withFileTypes: true });
    return entries.map((entry) => ({ name: entry.name, isDirectory: entry.isDirectory() })).sort((a, b) => a.name.localeCompare(b.name));
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return [];
    throw error;
  }
}

/** Splits a file into frontmatter and body; a YAML mistake becomes a problem with its line. */
export function parseDocument(
  text: string,
  where: Pick<ContentDocument, 'collection' | 'file' | 'locale' | 'slug'>,
): { document: ContentDocument; problem?: Problem } {
  const lines = (value: string) => value.split('\n').length - 1;
  try {
    const { frontmatter, rawFrontmatter, content } = parseFrontmatter(text);
    // The body starts on the closing "---" line (its line break is the body's first character).
    const bodyLine = rawFrontmatter ? lines(text.slice(0, text.indexOf(rawFrontmatter) + rawFrontmatter.length)) + 1 : 1;
    return { document: { ...where, text, frontmatter, body: content, bodyLine } };
  } catch (error) {
    const mark = typeof error === 'object' && error !== null && 'mark' in error ? (error.mark as { line?: number }) : undefined;
    const reason = typeof error === 'object' && error !== null && 'reason' in error ? String(error.reason) : String(error);
    // js-yaml counts from 0 within the frontmatter, which starts on the opening "---" line.
    const line = mark?.line === undefined ? '' : ` on line ${mark.line + 1}`;
    return {
      document: { ...where, text, frontmatter: undefined, body: '', bodyLine: 1 },
      problem: {
        file: where.file,
        field: 'frontmatter',
        message: `is not valid YAML${line} (${reason}); check the indentation and put text containing ": " in quotes`,
        severity: 'error',
      },
    };
  }
}

/** Reads every `<contentDir>/<collection>/<locale>/<name>.md`. */
export async function readContentTree(root: string, contentDir: string): Promise<ContentTree> {
  const documents: ContentDocument[] = [];
  const problems: Problem[] = [];
  const base = path.resolve(root, contentDir);
  for (const collection of COLLECTIONS) {
    const collectionDir = path.join(base, collection);
    for (const folder of await listDirectory(collectionDir)) {
      const folderPath = path.join(collectionDir, folder.name);
      if (!folder.isDirectory) {
        if (folder.name.endsWith('.md')) {
          problems.push({
            file: displayPath(root, folderPath),
            field: 'file',
            message: `is not in a language folder; move it to ${displayPath(root, collectionDir)}/<locale>/${folder.name}`,
            severity: 'error',
          });
        }
        continue;
      }
      for (const entry of await listDirectory(folderPath)) {
        if (entry.isDirectory || !entry.name.endsWith('.md')) continue;
        const absolute = path.join(folderPath, entry.name);
        const text = (await readFile(absolute, 'utf8')).replace(/\r\n/g, '\n');
        const where = { collection, file: displayPath(root, absolute), locale: folder.name, slug: entry.name.slice(0, -'.md'.length) };
        const { document, problem } = parseDocument(text, where);
        documents.push(document);
        if (problem) problems.push(problem);
      }
    }
  }
  return { contentDir: displayPath(root, base) || '.', documents, problems };
}
