/**
 * Text that came from outside and must stay on its line: one rule, shared by the form's
 * validation (server and browser script) and the e-mail to recruiters, which also renders
 * rows stored before the rule existed. Pure and dependency-free (bundled into the script).
 */

/**
 * Characters no single-line value may contain: control characters (line breaks and tabs
 * included), bidi and other invisible format characters, and line or paragraph separators.
 * They could start a fake line in an e-mail or reorder what it shows. The joiners U+200C and
 * U+200D stay allowed: Persian and Indic names need them.
 */
const UNSAFE_IN_LINE = /[[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]--[\u200C\u200D]]/v;
const UNSAFE_IN_LINE_ALL = new RegExp(UNSAFE_IN_LINE.source, 'gv');

/** Whether a value contains a line break, a control, bidi or other invisible format character. */
export function hasUnsafeLineCharacters(value: string): boolean {
  return UNSAFE_IN_LINE.test(value);
}

/** The value with each such character replaced by U+FFFD, so it stays one visible line. */
export function asOneLine(value: string): string {
  return value.replace(UNSAFE_IN_LINE_ALL, '\uFFFD');
}

/**
 * Multi-line text as lines: every kind of line break (CRLF, CR, U+2028, U+2029, NEL, VT, FF)
 * splits, a tab becomes a space, and what else could hide or reorder text within a line is
 * replaced by U+FFFD.
 */
export function asLines(text: string): string[] {
  return text.split(/\r\n|[\n\r\v\f\u0085\u2028\u2029]/).map((line) => asOneLine(line.replaceAll('\t', ' ')));
}
