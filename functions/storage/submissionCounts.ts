/**
 * The daily count of stored applications per posting and e-mail address (`submission_counts`,
 * migration 0004). A pseudonymous key, not the address, is stored, and only for the current
 * day: each reservation first deletes the rows of earlier days.
 */
import { sha256Hex } from '#functions/encoding.ts';
import type { StorageDatabase } from '#functions/storage/database.ts';

/** The counting key of one applicant for one posting: SHA-256 of the posting's slug and the e-mail as the fingerprint reads it. */
export async function applicantKey(jobSlug: string, email: string): Promise<string> {
  return sha256Hex(`submission-count\n${jobSlug}\n${email.trim().toLowerCase()}`);
}

/**
 * Counts one more application for `applicantKey` on `day` (`YYYY-MM-DD`) unless `limit` are
 * already counted; says whether it was counted. Atomic: concurrent submissions cannot both
 * take the last place.
 */
export async function reserveDailySubmission(db: StorageDatabase, reservation: { applicantKey: string; day: string; limit: number }): Promise<boolean> {
  const [, counted] = await db.batch([
    db.prepare('DELETE FROM submission_counts WHERE day < ?1').bind(reservation.day),
    db
      .prepare(
        `INSERT INTO submission_counts (applicant_key, day, count) VALUES (?1, ?2, 1)
         ON CONFLICT (applicant_key, day) DO UPDATE SET count = count + 1 WHERE count < ?3
         RETURNING count`,
      )
      .bind(reservation.applicantKey, reservation.day, reservation.limit),
  ]);
  return (counted?.results.length ?? 0) > 0;
}
