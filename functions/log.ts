/**
 * The one logger: JSON lines on the console, one object per event, and one redaction rule
 * applied to every string that reaches it. Capabilities log references, channels, stages and
 * counts; what an applicant typed never belongs in a log line, and an error message that
 * quotes it anyway (a driver echoing a value) is redacted here.
 */

/** How serious an event is: `error` lines are the ones to alert on. */
export type LogLevel = 'info' | 'warn' | 'error';

/** One log line: a level, an event name (`delivery.sent`) and further facts without personal data. */
export interface LogEntry {
  level: LogLevel;
  event: string;
}

/** Where log lines go; capabilities take one as a dependency so tests can read the lines. */
export type Logger<E extends LogEntry = LogEntry> = (entry: E) => void;

/** Most characters of an error message kept in a log line. */
export const ERROR_SUMMARY_MAX_LENGTH = 200;

// What counts as personal data in free text: e-mail addresses, IP addresses (v4, and v6 in full
// or `::` form) and international phone numbers. Timestamps, references and keys do not match.
const REDACTIONS: ReadonlyArray<[RegExp, string]> = [
  [/[^\s<>"'@]+@[^\s<>"'@]+/g, '<email>'],
  [/\b(?:\d{1,3}\.){3}\d{1,3}\b/g, '<ip>'],
  [/\b(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}\b|\b(?:[0-9a-f]{1,4}:)+:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?/gi, '<ip>'],
  [/\+\d[\d ()./-]{5,}\d/g, '<phone>'],
];

/** Text with e-mail addresses, IP addresses and phone numbers replaced by placeholders. */
export function redact(text: string): string {
  return REDACTIONS.reduce((result, [pattern, placeholder]) => result.replace(pattern, placeholder), text);
}

/** An error as `Name: message`, redacted and shortened; never a stack trace. */
export function errorSummary(error: unknown): string {
  if (!(error instanceof Error)) return 'non-error thrown';
  return `${error.name}: ${redact(error.message).slice(0, ERROR_SUMMARY_MAX_LENGTH)}`;
}

function redactDeep(value: unknown): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map(redactDeep);
  if (value instanceof Error) return errorSummary(value);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, redactDeep(inner)]));
  return value;
}

/** The console logger: one JSON line per entry (errors to stderr), every string redacted. */
export function writeLog<E extends LogEntry>({ level, ...fields }: E): void {
  const line = JSON.stringify(redactDeep(fields));
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
}
