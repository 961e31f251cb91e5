/**
 * The audit log (`audit_log`, migration 0013): who did what to which application, and when.
 * Entries are written in the same D1 batch as the change they record (a status change, a
 * deletion), or right after a read they record (a CV download, an export). What an applicant
 * typed never goes in: a deletion keeps the reference and the date, and who and why.
 */
import { z } from 'zod';
import { conditionClause, type RowCondition, type StatementDatabase } from '#functions/storage/database.ts';

/** What can be recorded; the table's CHECK lists the same. */
export const AUDIT_ACTIONS = ['status.changed', 'cv.downloaded', 'exported', 'deleted', 'delivery.retried'] as const;
/** One kind of audited action. */
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** The actor of an applicant's own withdrawal (through the private link). */
export const APPLICANT_ACTOR = 'applicant';
/** The actor of the daily retention run. */
export const RETENTION_ACTOR = 'retention';

/** One entry to record. */
export interface AuditEntry {
  /** The recruiter's Access identity, APPLICANT_ACTOR or RETENTION_ACTOR. */
  actor: string;
  action: AuditAction;
  /** The application concerned; none for an export of a posting. */
  reference?: string | undefined;
  /** The posting concerned. */
  jobSlug?: string | undefined;
  /** What changed, without personal data: "new → rejected", a reason, a count. */
  detail?: string | undefined;
  at: Date;
}

/** The statement that records an entry, for a caller's batch; only when `onlyIf` holds, if given. */
export function auditStatement(db: StatementDatabase, entry: AuditEntry, onlyIf?: RowCondition): D1PreparedStatement {
  const condition = conditionClause(onlyIf, 6);
  return db
    .prepare(`INSERT INTO audit_log (at, actor, action, reference, job_slug, detail) SELECT ?1, ?2, ?3, ?4, ?5, ?6${condition.sql}`)
    .bind(entry.at.toISOString(), entry.actor, entry.action, entry.reference ?? null, entry.jobSlug ?? null, entry.detail ?? null, ...condition.params);
}

/** Records an entry on its own. */
export async function recordAudit(db: StatementDatabase, entry: AuditEntry): Promise<void> {
  await auditStatement(db, entry).run();
}

/** One recorded entry, as the inbox shows it. */
export const auditRecordSchema = z
  .object({
    at: z.string(),
    actor: z.string(),
    action: z.enum(AUDIT_ACTIONS),
    reference: z.string().nullable(),
    job_slug: z.string().nullable(),
    detail: z.string().nullable(),
  })
  .transform((row) => ({ at: row.at, actor: row.actor, action: row.action, reference: row.reference, jobSlug: row.job_slug, detail: row.detail }));
/** One recorded entry. */
export type AuditRecord = z.output<typeof auditRecordSchema>;

/** An application's history, oldest first. */
export async function auditTrail(db: StatementDatabase, reference: string): Promise<AuditRecord[]> {
  const { results } = await db
    .prepare('SELECT at, actor, action, reference, job_slug, detail FROM audit_log WHERE reference = ?1 ORDER BY id')
    .bind(reference)
    .all();
  return z.array(auditRecordSchema).parse(results);
}
