/**
 * Where a scan over more keys than one run may list stopped (`scan_cursors`, migration 0005):
 * the next run continues after the saved key, so every key is reached however many there are.
 */
import type { StatementDatabase } from '#functions/storage/database.ts';

/** The key after which a scan resumes; undefined when it starts at the beginning. */
export async function readScanCursor(db: StatementDatabase, name: string): Promise<string | undefined> {
  const row = await db.prepare('SELECT after_key FROM scan_cursors WHERE name = ?1').bind(name).first<{ after_key: string }>();
  return row?.after_key;
}

/** Saves where a scan stopped, or (undefined) that it reached the end and starts over next time. */
export async function saveScanCursor(db: StatementDatabase, name: string, afterKey: string | undefined, now: Date): Promise<void> {
  if (afterKey === undefined) {
    await db.prepare('DELETE FROM scan_cursors WHERE name = ?1').bind(name).run();
    return;
  }
  await db
    .prepare('INSERT INTO scan_cursors (name, after_key, updated_at) VALUES (?1, ?2, ?3) ON CONFLICT (name) DO UPDATE SET after_key = ?2, updated_at = ?3')
    .bind(name, afterKey, now.toISOString())
    .run();
}
