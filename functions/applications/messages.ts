/**
 * Every UI-string key the applications capability shows, so the composition root's
 * `translate` can be typed against content/ui/<locale>.json and nothing is said in English
 * from code. Field errors come from the field table (./fields.ts); refusals and summaries are listed here.
 */
import { FIELD_ERROR_KEYS, type MessageParams } from '#functions/applications/fields.ts';

/** Keys of whole-submission answers (error summary, refusals). */
export const APPLY_MESSAGE_KEYS = [
  'apply.error.invalid',
  'apply.error.notFound',
  'apply.error.closed',
  'apply.error.tooLarge',
  'apply.error.unsupportedMediaType',
  'apply.error.malformed',
  'apply.error.rateLimited',
  'apply.error.tooManyAttempts',
  'apply.error.unavailable',
  'apply.error.keyReused',
  'apply.error.tooManyForAddress',
  'apply.error.locale',
  'apply.error.method',
  'apply.outcome.stored',
  'apply.outcome.duplicate',
  'apply.outcome.duplicateUnlinked',
] as const;

/** Every key the applications capability may translate. */
export const APPLICATION_MESSAGE_KEYS = [...FIELD_ERROR_KEYS, ...APPLY_MESSAGE_KEYS] as const;

/** A UI-string key used by the applications capability. */
export type ApplicationMessageKey = (typeof APPLICATION_MESSAGE_KEYS)[number];

/** Localizes a key in a locale, filling `{name}` placeholders from params. */
export type Translate<L extends string> = (locale: L, key: ApplicationMessageKey, params?: MessageParams) => string;
