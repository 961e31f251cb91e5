import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { ROOT } from '#test/support/site.ts';

// The migrations on a database that already holds data, in SQLite as D1 runs it (foreign keys
// enforced): what the inbox's migrations (0010 and later) change must keep every existing
// application and delivery row, and a lower-numbered migration added after them (0005) must
// apply on top of them.
const DIRECTORY = join(ROOT, 'functions', 'storage', 'migrations');
const FILES = readdirSync(DIRECTORY).filter((name) => name.endsWith('.sql')).sort();
const INBOX_FIRST = '0010';

function database(): DatabaseSync {
  const db = new DatabaseSync(':memory:');
  db.exec('PRAGMA foreign_keys = ON');
  return db;
}

function apply(db: DatabaseSync, files: readonly string[]): void {
  for (const file of files) db.exec(readFileSync(join(DIRECTORY, file), 'utf8'));
}

const ANSWERS = JSON.stringify({ firstName: 'Ada', lastName: 'Lovelace', email: ' Ada@Example.org', university: 'TUM', degree: 'master', graduation: '2027-07', startDate: '2027-03-01', durationMonths: 6, links: [] });

describe('the inbox’s migrations on existing data', () => {
  it('keep every application and every delivery, as application.created events of one id per application', () => {
    const db = database();
    apply(db, FILES.filter((file) => file < INBOX_FIRST));
    // Rows as the code before the inbox wrote them.
    db.prepare(
      `INSERT INTO applications (reference, submission_key, fingerprint, job_slug, locale, answers, privacy_notice_version, privacy_consented_at, talent_pool, cv_key, cv_size, cv_sha256, created_at, process_ended_at)
       VALUES ('ML-AAAAAA', 'fp:1', '1', 'machine-learning-intern', 'en', ?, 'v1', '2026-11-01T10:00:00.000Z', 0, 'cv/a.pdf', 10, ?, '2026-11-01T10:00:00.000Z', NULL)`,
    ).run(ANSWERS, 'a'.repeat(64));
    db.exec(`INSERT INTO deliveries (application_reference, channel, status, attempts, next_attempt_at, last_error, created_at, delivered_at) VALUES
      ('ML-AAAAAA', 'email', 'sent', 1, '2026-11-01T10:00:00.000Z', NULL, '2026-11-01T10:00:00.000Z', '2026-11-01T10:00:01.000Z'),
      ('ML-AAAAAA', 'webhook', 'failed', 8, '2026-11-02T10:00:00.000Z', 'HTTP 500', '2026-11-01T10:00:00.000Z', NULL)`);
    const before = db.prepare('SELECT id, application_reference, channel, status, attempts, next_attempt_at, last_error, created_at, delivered_at FROM deliveries ORDER BY id').all();

    apply(db, FILES.filter((file) => file >= INBOX_FIRST));

    expect(db.prepare('SELECT reference, status, status_changed_at, email_key, content_sha256 FROM applications').all()).toEqual([
      { reference: 'ML-AAAAAA', status: 'new', status_changed_at: null, email_key: 'ada@example.org', content_sha256: null },
    ]);
    const after = db.prepare('SELECT id, application_reference, channel, status, attempts, next_attempt_at, last_error, created_at, delivered_at FROM deliveries ORDER BY id').all();
    expect(after).toEqual(before);
    const events = db.prepare('SELECT DISTINCT event_id, event_type, payload FROM deliveries').all();
    expect(events).toEqual([{ event_id: expect.stringMatching(/^msg_[0-9a-f]+$/), event_type: 'application.created', payload: null }]);
  });

  it('turn the versions of 0011 into applications of their own (0015): every row kept, nothing links them any more', () => {
    const VERSIONS_LAST = '0015';
    const db = database();
    apply(db, FILES.filter((file) => file < VERSIONS_LAST));
    const insert = db.prepare(
      `INSERT INTO applications (reference, submission_key, fingerprint, job_slug, locale, answers, privacy_notice_version, privacy_consented_at, talent_pool, cv_key, cv_size, cv_sha256, created_at, content_sha256, supersedes)
       VALUES (?, ?, ?, 'machine-learning-intern', 'en', ?, 'v1', '2026-11-01T10:00:00.000Z', 0, ?, 10, ?, '2026-11-01T10:00:00.000Z', ?, ?)`,
    );
    insert.run('ML-AAAAAA', 'none:1', 'f1', ANSWERS, 'cv/a.pdf', 'a'.repeat(64), 'c'.repeat(64), null);
    insert.run('ML-BBBBBB', 'none:2', 'f2', ANSWERS, 'cv/b.pdf', 'b'.repeat(64), 'd'.repeat(64), 'ML-AAAAAA');

    apply(db, FILES.filter((file) => file >= VERSIONS_LAST));

    expect(db.prepare('SELECT reference, email_key, fingerprint FROM applications ORDER BY id').all()).toEqual([
      { reference: 'ML-AAAAAA', email_key: 'ada@example.org', fingerprint: 'f1' },
      { reference: 'ML-BBBBBB', email_key: 'ada@example.org', fingerprint: 'f2' },
    ]);
    const columns = db.prepare('SELECT name FROM pragma_table_info(?)').all('applications').map((row) => row['name']);
    expect(columns).not.toContain('supersedes');
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'applications_versions'").all()).toEqual([]);
  });

  it('let a deletion’s event outlive its application, where the old foreign key cascaded', () => {
    const db = database();
    apply(db, FILES);
    db.exec(`INSERT INTO deliveries (event_id, event_type, application_reference, channel, payload, next_attempt_at, created_at)
      VALUES ('msg_1', 'application.deleted', 'ML-GONE00', 'webhook', '{"reference":"ML-GONE00"}', '2026-11-26T10:00:00.000Z', '2026-11-26T10:00:00.000Z')`);
    expect(db.prepare('SELECT count(*) AS n FROM deliveries').get()).toEqual({ n: 1 });
  });

  it('let the scan cursors’ table (0005) come after them too, as on a database that had the inbox first', () => {
    const late = '0005_create_scan_cursors.sql';
    expect(FILES).toContain(late);
    const db = database();
    apply(db, FILES.filter((file) => file !== late));
    db.prepare(
      `INSERT INTO applications (reference, submission_key, fingerprint, job_slug, locale, answers, privacy_notice_version, privacy_consented_at, talent_pool, cv_key, cv_size, cv_sha256, created_at)
       VALUES ('ML-AAAAAA', 'k', 'f', 'x', 'en', ?, 'v1', '2026-11-01T10:00:00.000Z', 0, 'cv/a.pdf', 10, ?, '2026-11-01T10:00:00.000Z')`,
    ).run(ANSWERS, 'a'.repeat(64));
    // wrangler applies a migration it has not recorded yet even when a later number was applied.
    apply(db, [late]);
    db.exec(`INSERT INTO scan_cursors (name, after_key, updated_at) VALUES ('orphaned-cvs', 'cv/a.pdf', '2026-11-26T03:17:00.000Z')`);
    expect(db.prepare('SELECT reference FROM applications').all()).toEqual([{ reference: 'ML-AAAAAA' }]);
    expect(db.prepare('SELECT name, after_key FROM scan_cursors').all()).toEqual([{ name: 'orphaned-cvs', after_key: 'cv/a.pdf' }]);
  });

  it('keep the rules in the database: known statuses only, and a link is either open or a tombstone', () => {
    const db = database();
    apply(db, FILES);
    db.prepare(
      `INSERT INTO applications (reference, submission_key, fingerprint, job_slug, locale, answers, privacy_notice_version, privacy_consented_at, talent_pool, cv_key, cv_size, cv_sha256, created_at)
       VALUES ('ML-AAAAAA', 'k', 'f', 'x', 'en', ?, 'v1', '2026-11-01T10:00:00.000Z', 0, 'cv/a.pdf', 10, ?, '2026-11-01T10:00:00.000Z')`,
    ).run(ANSWERS, 'a'.repeat(64));
    expect(() => db.exec(`UPDATE applications SET status = 'promoted'`)).toThrow(/CHECK/);
    expect(() => db.exec(`UPDATE applications SET status_changed_at = '2026-11-01'`)).toThrow(/CHECK/);
    expect(() => db.exec(`INSERT INTO applicant_links (token_sha256, application_reference, created_at, deleted_at) VALUES ('${'b'.repeat(64)}', 'ML-AAAAAA', 'now', 'now')`)).toThrow(/CHECK/);
    expect(() => db.exec(`INSERT INTO audit_log (at, actor, action) VALUES ('now', 'x', 'viewed')`)).toThrow(/CHECK/);
    expect(() => db.exec(`INSERT INTO applicant_links (token_sha256, application_reference, created_at, deleted_at, deleted_reason) VALUES ('${'c'.repeat(64)}', NULL, 'now', 'now', 'bored')`)).toThrow(/CHECK/);
  });
});
