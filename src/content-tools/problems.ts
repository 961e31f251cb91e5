/**
 * Problems found in content, and the one-line form editors read:
 * `content/jobs/de/machine-learning-intern.md: validThrough: must be after datePosted (2025-11-21)`.
 */

/** How serious a problem is: errors fail `npm run check` and the build, warnings are printed. */
export type Severity = 'error' | 'warning';

/** One problem in one file: what is wrong and how to fix it. */
export interface Problem {
  /** Path of the file, relative to the project root, with forward slashes. */
  file: string;
  /** The frontmatter field (dotted, e.g. "location.city"), or "file", "frontmatter", "body, line 12". */
  field: string;
  /** What is wrong and how to fix it, in one sentence without a trailing period. */
  message: string;
  severity: Severity;
}

/** Formats a problem as the one line editors see; warnings are marked as such. */
export function formatProblem(problem: Problem): string {
  const line = `${problem.file}: ${problem.field}: ${problem.message}`;
  return problem.severity === 'warning' ? `${line} (warning)` : line;
}

/** Orders problems by file, then field, so output is stable between runs. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort((a, b) => a.file.localeCompare(b.file) || a.field.localeCompare(b.field) || a.message.localeCompare(b.message));
}
