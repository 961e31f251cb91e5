/** What every storage module shares about D1: the operations used and the parameter limit. */

/** The D1 operations storage uses (a real `D1Database` fits; tests may pass failing fakes). */
export type StorageDatabase = Pick<D1Database, 'prepare' | 'batch'>;
/** A D1 database that is only read and written statement by statement. */
export type StatementDatabase = Pick<D1Database, 'prepare'>;

/** D1 binds at most 100 parameters per statement: the largest chunk of ids or keys at once. */
export const MAX_PARAMETERS_PER_STATEMENT = 100;

/** `?1, ?2, … ?count`, for an `IN (…)` list. */
export function placeholders(count: number, first = 1): string {
  return Array.from({ length: count }, (_, index) => `?${index + first}`).join(', ');
}
