/**
 * Frontmatter validation with editor-friendly messages: the zod schemas of src/schemas/ are
 * the rules; this module turns their issues into one-line problems that say how to fix them.
 */
import { z } from 'astro/zod';
import { jobSchema, type Job } from '#src/schemas/job.ts';
import { pageSchema, type Page } from '#src/schemas/page.ts';
import type { Problem } from './problems.ts';
import { suggestKey } from './suggest.ts';

type PathKey = PropertyKey;

/** The field names an object schema at `path` accepts, following nested objects. */
export function knownKeysAt(schema: z.ZodType, path: readonly PathKey[]): string[] {
  let current: z.ZodType | undefined = schema;
  for (const key of path) {
    while (current instanceof z.ZodOptional) current = current.unwrap() as z.ZodType;
    current = current instanceof z.ZodObject ? (current.shape as Record<string, z.ZodType>)[String(key)] : undefined;
  }
  while (current instanceof z.ZodOptional) current = current.unwrap() as z.ZodType;
  return current instanceof z.ZodObject ? Object.keys(current.shape) : [];
}

function valueAt(data: unknown, path: readonly PathKey[]): unknown {
  let current = data;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

const fieldName = (path: readonly PathKey[]) => path.map(String).join('.');

/** Zod's generic messages ("Invalid input: …") rewritten as instructions; our own stay as written. */
function describeIssue(issue: z.core.$ZodIssue, data: unknown): string {
  if (issue.code === 'invalid_type' && valueAt(data, issue.path) === undefined && !issue.message.startsWith('Invalid input')) {
    return `missing: ${issue.message}`;
  }
  if (!issue.message.startsWith('Invalid input') && !issue.message.startsWith('Too ')) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return valueAt(data, issue.path) === undefined ? 'missing: add it (content/README.md lists every field)' : `must be a ${issue.expected}`;
    case 'too_small':
      return issue.origin === 'string' ? 'must not be empty' : `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'string' ? `must be at most ${String(issue.maximum)} characters long` : `must be at most ${String(issue.maximum)}`;
    default:
      return issue.message;
  }
}

/**
 * Turns a failed parse into problems, one per mistake. An unknown key names the field it
 * probably misspells (`tittle` → `title`); the "missing" complaint about that field is then
 * left out, since renaming the key fixes both.
 */
export function issuesToProblems(file: string, schema: z.ZodType, data: unknown, issues: readonly z.core.$ZodIssue[]): Problem[] {
  const problems: Problem[] = [];
  const renamed = new Set<string>();
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    const known = knownKeysAt(schema, issue.path);
    const present = Object.keys(Object(valueAt(data, issue.path)));
    const absent = known.filter((key) => !present.includes(key));
    for (const key of issue.keys) {
      const suggestion = suggestKey(key, absent) ?? suggestKey(key, known);
      if (suggestion && absent.includes(suggestion)) renamed.add(fieldName([...issue.path, suggestion]));
      problems.push({
        file,
        field: fieldName([...issue.path, key]),
        message: suggestion
          ? `unknown field; did you mean "${suggestion}"? Fix the spelling`
          : `unknown field; remove it (content/README.md lists every field${known.length ? `: ${known.join(', ')}` : ''})`,
        severity: 'error',
      });
    }
  }
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') continue;
    const field = fieldName(issue.path) || 'frontmatter';
    if (renamed.has(field) && valueAt(data, issue.path) === undefined) continue;
    problems.push({ file, field, message: describeIssue(issue, data), severity: 'error' });
  }
  return problems;
}

/** Validates a posting's frontmatter: the data on success, otherwise the problems. */
export function validateJob(file: string, frontmatter: unknown): { job?: Job; problems: Problem[] } {
  const result = jobSchema.safeParse(frontmatter);
  if (result.success) return { job: result.data, problems: [] };
  return { problems: issuesToProblems(file, jobSchema, frontmatter, result.error.issues) };
}

/** Validates a page's frontmatter: the data on success, otherwise the problems. */
export function validatePage(file: string, frontmatter: unknown): { page?: Page; problems: Problem[] } {
  const result = pageSchema.safeParse(frontmatter);
  if (result.success) return { page: result.data, problems: [] };
  return { problems: issuesToProblems(file, pageSchema, frontmatter, result.error.issues) };
}
