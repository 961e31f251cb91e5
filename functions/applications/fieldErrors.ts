/** Turning the schema's zod issues into one message key per field, in form order. */
import type { z } from 'zod';
import {
  APPLICATION_FIELDS,
  FIELD_ERROR_KEYS,
  messageParams,
  type ApplicationField,
  type FieldErrorKey,
  type MessageParams,
} from '#functions/applications/fields.ts';

/** One field problem found by the schema: which field, which message key, which values. */
export interface ApplicationFieldError {
  field: ApplicationField;
  key: FieldErrorKey;
  params: MessageParams;
}

const isFieldErrorKey = (value: string): value is FieldErrorKey => FIELD_ERROR_KEYS.some((key) => key === value);
const isApplicationField = (value: unknown): value is ApplicationField => APPLICATION_FIELDS.some((field) => field === value);

/**
 * Turns zod issues into one error per field (the first one found), in form order. An issue
 * whose message is not a known key (a schema bug) becomes "required" rather than leaking text.
 */
export function toFieldErrors(issues: readonly z.core.$ZodIssue[]): ApplicationFieldError[] {
  const byField = new Map<ApplicationField, FieldErrorKey>();
  for (const issue of issues) {
    const field = issue.path[0];
    if (!isApplicationField(field) || byField.has(field)) continue;
    byField.set(field, isFieldErrorKey(issue.message) ? issue.message : 'form.error.required');
  }
  return APPLICATION_FIELDS.filter((field) => byField.has(field)).map((field) => {
    const key = byField.get(field) ?? 'form.error.required';
    return { field, key, params: messageParams(field, key) };
  });
}
