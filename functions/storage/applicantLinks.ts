/**
 * The applicants' private links (`applicant_links`, migrations 0012 and 0017): only the SHA-256
 * of each token is stored, beside the application it opens. A deletion turns the application's
 * links into tombstones (the hash, the deletion time and why, nothing personal) so that a used
 * link can say what became of its application (see ./deletion.ts).
 */
import { z } from 'zod';
import { conditionClause, placeholders, type RowCondition, type StatementDatabase } from '#functions/storage/database.ts';
import { DELETION_REASONS, type DeletionReason } from '#functions/storage/deliveries.ts';

/**
 * What a link's hash opens: an application, a deleted one (when, and why: undefined for
 * tombstones older than migration 0017), or nothing.
 */
export type ApplicantLinkState =
  | { state: 'active'; reference: string }
  | { state: 'deleted'; deletedAt: string; reason?: DeletionReason | undefined }
  | { state: 'unknown' };

const linkRowSchema = z.object({
  application_reference: z.string().nullable(),
  deleted_at: z.string().nullable(),
  deleted_reason: z.enum(DELETION_REASONS).nullable(),
});

/** The statement that stores a link for an application, for a caller's batch; only when `onlyIf` holds, if given. */
export function applicantLinkStatement(db: StatementDatabase, link: { tokenSha256: string; reference: string; createdAt: Date }, onlyIf?: RowCondition): D1PreparedStatement {
  const condition = conditionClause(onlyIf, 3);
  return db
    .prepare(`INSERT INTO applicant_links (token_sha256, application_reference, created_at) SELECT ?1, ?2, ?3${condition.sql}`)
    .bind(link.tokenSha256, link.reference, link.createdAt.toISOString(), ...condition.params);
}

/** Stores another link for a stored application (a repeated submission gets its own). */
export async function addApplicantLink(db: StatementDatabase, link: { tokenSha256: string; reference: string; createdAt: Date }): Promise<void> {
  await applicantLinkStatement(db, link).run();
}

/** What the link with this token hash opens. */
export async function findApplicantLink(db: StatementDatabase, tokenSha256: string): Promise<ApplicantLinkState> {
  const found = await db.prepare('SELECT application_reference, deleted_at, deleted_reason FROM applicant_links WHERE token_sha256 = ?1').bind(tokenSha256).first();
  if (!found) return { state: 'unknown' };
  const row = linkRowSchema.parse(found);
  if (row.application_reference !== null) return { state: 'active', reference: row.application_reference };
  return { state: 'deleted', deletedAt: row.deleted_at ?? '', reason: row.deleted_reason ?? undefined };
}

/** The statement that turns the links of the applications with these ids into tombstones, with when and why (for a deletion's batch). */
export function tombstoneLinksStatement(db: StatementDatabase, applicationIds: readonly number[], deletedAt: Date, reason: DeletionReason): D1PreparedStatement {
  return db
    .prepare(
      `UPDATE applicant_links SET application_reference = NULL, deleted_at = ?1, deleted_reason = ?2
       WHERE application_reference IN (SELECT reference FROM applications WHERE id IN (${placeholders(applicationIds.length, 3)}))`,
    )
    .bind(deletedAt.toISOString(), reason, ...applicationIds);
}
