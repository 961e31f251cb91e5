/**
 * CSV for spreadsheets (RFC 4180): every cell quoted, CRLF line ends, UTF-8 with a byte-order
 * mark (Excel then reads umlauts right). Cells an applicant typed can start with `=`, `+`,
 * `-`, `@` (or a tab or carriage return), which a spreadsheet would run as a formula (CSV
 * injection): such cells get a leading apostrophe, which spreadsheets show as text.
 */

/** The byte-order mark that tells Excel the file is UTF-8. */
export const UTF8_BOM = '\uFEFF';

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: neutralized when it could start a formula, quoted, inner quotes doubled. */
export function csvCell(value: string | number | boolean | null | undefined): string {
  const text = value === null || value === undefined ? '' : String(value);
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return `"${safe.replaceAll('"', '""')}"`;
}

/**
 * A whole file: the BOM, then one line per row, cells split by `separator` (the list separator
 * the reader's spreadsheet expects: `;` where the comma is the decimal mark, as in German).
 */
export function toCsv(rows: ReadonlyArray<ReadonlyArray<string | number | boolean | null | undefined>>, separator: ',' | ';' = ','): string {
  return UTF8_BOM + rows.map((row) => row.map(csvCell).join(separator)).join('\r\n') + '\r\n';
}
