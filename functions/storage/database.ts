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

/**
 * A condition that a statement of a batch only runs under, e.g. "the application row holds
 * this CV". Its SQL numbers its own parameters from ?1; `conditionClause` moves them behind the
 * statement's own.
 */
export interface RowCondition {
  sql: string;
  params: readonly unknown[];
}

/** ` WHERE <condition>` with its parameters numbered after the statement's first `taken`, or nothing. */
export function conditionClause(condition: RowCondition | undefined, taken: number): { sql: string; params: readonly unknown[] } {
  if (!condition) return { sql: '', params: [] };
  return { sql: ` WHERE ${condition.sql.replace(/\?(\d+)/g, (_, index: string) => `?${Number(index) + taken}`)}`, params: condition.params };
}
