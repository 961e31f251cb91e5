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

/**
 * Most private links one application can have: its first answer's, and those of a few repeats
 * (a double click, a resend after a refresh, a client's retry). Every link stays valid while
 * the application exists, so this bounds the rows repeats can add without ever breaking one.
 */
export const APPLICANT_LINKS_PER_APPLICATION = 5;
/**
 * Minutes after an application's submission during which a repeat of it still gets a link of
 * its own: the time in which an applicant retries a submission whose answer was lost (a double
 * click, a resend after a dropped connection: seconds to minutes). Kept short because anyone
 * else holding every answer and the CV's bytes could ask for a link too. Later, the sender is
 * told the application was already received, and gets no link (see README, "Applications").
 */
export const REPEAT_LINK_WINDOW_MINUTES = 60;

/**
 * Stores a link for a repeat of a stored application, only while that application exists, was
 * submitted less than REPEAT_LINK_WINDOW_MINUTES before `createdAt` and has fewer than
 * APPLICANT_LINKS_PER_APPLICATION links; in one statement, so repeats racing each other cannot
 * pass the bound together. Whether it was stored.
 */
export async function addRepeatLink(db: StatementDatabase, link: { tokenSha256: string; reference: string; createdAt: Date }): Promise<boolean> {
  const submittedAfter = new Date(link.createdAt.getTime() - REPEAT_LINK_WINDOW_MINUTES * 60_000);
  const result = await db
    .prepare(
      `INSERT INTO applicant_links (token_sha256, application_reference, created_at) SELECT ?1, ?2, ?3
       WHERE EXISTS (SELECT 1 FROM applications WHERE reference = ?2 AND created_at > ?4)
         AND (SELECT count(*) FROM applicant_links WHERE application_reference = ?2) < ?5`,
    )
    .bind(link.tokenSha256, link.reference, link.createdAt.toISOString(), submittedAfter.toISOString(), APPLICANT_LINKS_PER_APPLICATION)
    .run();
  return result.meta.changes === 1;
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
