/**
 * The one failure policy for settings (wrangler.toml [vars], secrets, build-time keys): they
 * are parsed once per isolate; an invalid one is reported ONCE, as a `config.invalid` error
 * naming the variable and how to fix it; and the capability it belongs to fails closed (the
 * capability decides what closed means: applications answer 503, delivery keeps its outbox
 * rows pending). Never a silent fallback, never a log line per request.
 */
import type { z } from 'zod';
import type { Logger } from '#functions/log.ts';

/** One invalid setting: the variable, what is wrong with it and how to fix it. */
export interface SettingProblem {
  /** The variable's name, e.g. DELIVERY_WEBHOOK_URL. */
  variable: string;
  /** What is wrong and how to fix it, in one sentence. */
  message: string;
}

/** A capability's settings as parsed: usable, or the problems that make it fail closed. */
export type ParsedSettings<T> = { ok: true; value: T } | { ok: false; problems: readonly SettingProblem[] };

/** The problems of a failed parse of a record of variables, one per issue, naming the variable. */
export function settingProblems(error: z.ZodError): SettingProblem[] {
  return error.issues.map((issue) => ({ variable: String(issue.path[0] ?? 'settings'), message: issue.message }));
}

/** Settings of every capability, and every problem found while parsing them. */
export interface SettingsReport<T> {
  value: T;
  problems: ReadonlyArray<SettingProblem & { capability: string }>;
}

/** The one log line of invalid settings. */
export interface ConfigInvalidLogEntry {
  level: 'error';
  event: 'config.invalid';
  problems: SettingsReport<unknown>['problems'];
}

/**
 * Parses settings on first use and keeps them for the isolate's life; when anything is
 * invalid, logs one `config.invalid` error listing every problem, the first time only.
 */
export function settingsOnce<T>(parse: () => SettingsReport<T>, log: Logger<ConfigInvalidLogEntry>): () => T {
  let cache: { value: T } | undefined;
  return () => {
    if (!cache) {
      const report = parse();
      if (report.problems.length > 0) log({ level: 'error', event: 'config.invalid', problems: report.problems });
      cache = { value: report.value };
    }
    return cache.value;
  };
}
