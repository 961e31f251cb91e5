import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { handleScheduledRetention, RetentionIncompleteError } from '#functions/retention/handler.ts';
import {
  purgeExpiredApplications,
  type RetentionBucket,
  type RetentionDatabase,
  type RetentionLogEntry,
  type RetentionOptions,
} from '#functions/retention/purge.ts';
import { changeStatus } from '#functions/storage/applications.ts';
import { auditTrail } from '#functions/storage/audit.ts';
import { findApplicantLink } from '#functions/storage/applicantLinks.ts';
import { applicantTokenSha256 } from '#functions/applicants/link.ts';
import { clearStorage, NOW, pdfBytes, seedApplication as seedStoredApplication } from './support.ts';

/** Stores an application (through the storage module) submitted at `createdAt`; returns its CV key. */
async function seedApplication(seed: Parameters<typeof seedStoredApplication>[0]): Promise<string> {
  const { reference, cvKey } = await seedStoredApplication(seed);
  references.set(cvKey, reference);
  return cvKey;
}
/** The reference of each seeded application, by CV key. */
const references = new Map<string, string>();

/** Puts a CV object as the store does, stamped with `uploadedAt`. */
async function putCv(key: string, uploadedAt: string): Promise<void> {
  await env.CV_BUCKET.put(key, pdfBytes(1024, 7), { customMetadata: { uploadedAt } });
}

async function rowExists(cvKey: string): Promise<boolean> {
  return (await env.DB.prepare('SELECT 1 AS found FROM applications WHERE cv_key = ?').bind(cvKey).first()) !== null;
}

async function objectExists(key: string): Promise<boolean> {
  return (await env.CV_BUCKET.head(key)) !== null;
}

/** Whether the application's row and CV are both still stored, or both gone. */
async function stored(cvKey: string): Promise<{ row: boolean; cv: boolean }> {
  return { row: await rowExists(cvKey), cv: await objectExists(cvKey) };
}

const KEPT = { row: true, cv: true };
const DELETED = { row: false, cv: false };

/** One run over the real local D1 and R2, logging into `logs`. */
function run(overrides: Partial<RetentionOptions> = {}, logs: RetentionLogEntry[] = []) {
  return purgeExpiredApplications({
    db: env.DB,
    bucket: env.CV_BUCKET,
    now: NOW,
    batchSize: 100,
    log: (entry) => logs.push(entry),
    ...overrides,
  });
}

/** The real bucket, except that deleting fails. */
const bucketFailingDeletes: RetentionBucket = {
  list: (options) => env.CV_BUCKET.list(options),
  delete: () => Promise.reject(new Error('R2 is unavailable')),
};

/** The real database, except that DELETE statements fail. */
const databaseFailingDeletes: RetentionDatabase = {
  prepare: (query) => {
    if (/^\s*DELETE/i.test(query)) throw new Error('D1 is unavailable');
    return env.DB.prepare(query);
  },
  batch: (statements) => env.DB.batch(statements),
};

beforeEach(clearStorage);

// NOW is 2026-11-26T10:00:00.000Z.
describe('applications without talent-pool consent', () => {
  it('are deleted with their CV exactly 6 calendar months after submission when no process end is recorded', async () => {
    const due = await seedApplication({ createdAt: '2026-05-26T10:00:00.000Z' });
    const longDue = await seedApplication({ createdAt: '2025-01-03T08:00:00.000Z' });

    const result = await run();

    expect(await stored(due)).toEqual(DELETED);
    expect(await stored(longDue)).toEqual(DELETED);
    expect(result).toMatchObject({ deletedApplications: 2, failedApplications: 0, failedSteps: 0 });
  });

  it('are kept until the 6 calendar months are over, even past 183 days', async () => {
    const oneMillisecondShort = await seedApplication({ createdAt: '2026-05-26T10:00:00.001Z' });
    // 183 days before NOW, but 26 May + 6 months is still ahead: calendar months, not days.
    const after183Days = await seedApplication({ createdAt: '2026-05-27T10:00:00.000Z' });
    const recent = await seedApplication({ createdAt: '2026-11-20T10:00:00.000Z' });

    const result = await run();

    expect(await stored(oneMillisecondShort)).toEqual(KEPT);
    expect(await stored(after183Days)).toEqual(KEPT);
    expect(await stored(recent)).toEqual(KEPT);
    expect(result.deletedApplications).toBe(0);
  });

  it('submitted on 31 August are deleted on 28 February, the last day of the sixth month', async () => {
    const lastOfAugust = await seedApplication({ createdAt: '2026-08-31T12:00:00.000Z' });
    const firstOfSeptember = await seedApplication({ createdAt: '2026-09-01T00:00:00.000Z' });

    await run({ now: new Date('2027-02-28T12:00:00.000Z') });

    expect(await stored(lastOfAugust)).toEqual(DELETED);
    expect(await stored(firstOfSeptember)).toEqual(KEPT);
  });
});

describe('applications with talent-pool consent', () => {
  it('are kept beyond 6 months until 24 calendar months have passed', async () => {
    const eighteenMonths = await seedApplication({ createdAt: '2025-05-26T10:00:00.000Z', talentPool: true });
    const oneMillisecondShort = await seedApplication({ createdAt: '2024-11-26T10:00:00.001Z', talentPool: true });

    await run();

    expect(await stored(eighteenMonths)).toEqual(KEPT);
    expect(await stored(oneMillisecondShort)).toEqual(KEPT);
  });

  it('are deleted with their CV 24 calendar months after submission', async () => {
    const due = await seedApplication({ createdAt: '2024-11-26T10:00:00.000Z', talentPool: true });
    const withoutConsent = await seedApplication({ createdAt: '2025-05-26T10:00:00.000Z' });
    const withConsent = await seedApplication({ createdAt: '2025-05-26T10:00:00.000Z', talentPool: true });

    const result = await run();

    expect(await stored(due)).toEqual(DELETED);
    expect(await stored(withoutConsent)).toEqual(DELETED);
    expect(await stored(withConsent)).toEqual(KEPT);
    expect(result.deletedApplications).toBe(2);
  });
});

describe('a recorded end of the recruiting process', () => {
  it('starts the period instead of submission, so an old application with a recent end is kept', async () => {
    // Each ended 1 ms less than its period ago; counted from submission, both would be due.
    const endedInMay = await seedApplication({ createdAt: '2024-01-10T10:00:00.000Z', processEndedAt: '2026-05-26T10:00:00.001Z' });
    const poolEndedTwoYearsAgo = await seedApplication({
      createdAt: '2023-06-01T10:00:00.000Z',
      processEndedAt: '2024-11-26T10:00:00.001Z',
      talentPool: true,
    });

    await run();

    expect(await stored(endedInMay)).toEqual(KEPT);
    expect(await stored(poolEndedTwoYearsAgo)).toEqual(KEPT);
  });

  it('lets the application be deleted 6 months after that end', async () => {
    const endedInMay = await seedApplication({ createdAt: '2026-03-02T10:00:00.000Z', processEndedAt: '2026-05-26T10:00:00.000Z' });
    const poolEndedTwoYearsAgo = await seedApplication({
      createdAt: '2024-09-01T10:00:00.000Z',
      processEndedAt: '2024-11-26T09:00:00.000Z',
      talentPool: true,
    });

    await run();

    expect(await stored(endedInMay)).toEqual(DELETED);
    expect(await stored(poolEndedTwoYearsAgo)).toEqual(DELETED);
  });

  it('must be written as ISO 8601 UTC with milliseconds, or the database refuses it', async () => {
    const cvKey = await seedApplication({ createdAt: '2026-11-01T10:00:00.000Z' });
    const update = env.DB.prepare('UPDATE applications SET process_ended_at = ? WHERE cv_key = ?');

    for (const malformed of ['2026-11-20', '2026-11-20T10:00:00Z', '2026-11-20 10:00:00.000', '2026-02-30T10:00:00.000Z']) {
      await expect(update.bind(malformed, cvKey).run()).rejects.toThrow(/CHECK constraint failed/);
    }
    await expect(update.bind('2026-11-20T10:00:00.000Z', cvKey).run()).resolves.toMatchObject({ success: true });
  });
});

describe('the recruiters’ decisions in the inbox', () => {
  const recruiter = { actor: 'rita@example.com', deliveryChannels: [] };

  it('a final status sets the end of the process, and the application is deleted 6 months after it, not after submission', async () => {
    const cvKey = await seedApplication({ createdAt: '2026-01-10T10:00:00.000Z' });
    const reference = references.get(cvKey) ?? '';
    const change = await changeStatus(env.DB, { reference, status: 'rejected', now: new Date('2026-06-01T10:00:00.000Z'), ...recruiter });

    expect(change).toEqual({ outcome: 'changed', previous: 'new', status: 'rejected', processEndedAt: '2026-06-01T10:00:00.000Z' });
    // Counted from submission it would be due (10 July); from the end, on 1 December.
    await run();
    expect(await stored(cvKey)).toEqual(KEPT);
    await run({ now: new Date('2026-12-01T10:00:00.000Z') });
    expect(await stored(cvKey)).toEqual(DELETED);
  });

  it('a correction between final statuses keeps the first end; reopening the process clears it', async () => {
    const cvKey = await seedApplication({ createdAt: '2026-01-10T10:00:00.000Z' });
    const reference = references.get(cvKey) ?? '';
    await changeStatus(env.DB, { reference, status: 'rejected', now: new Date('2026-03-01T10:00:00.000Z'), ...recruiter });
    const corrected = await changeStatus(env.DB, { reference, status: 'hired', now: new Date('2026-03-02T10:00:00.000Z'), ...recruiter });
    expect(corrected).toMatchObject({ status: 'hired', processEndedAt: '2026-03-01T10:00:00.000Z' });
    const reopened = await changeStatus(env.DB, { reference, status: 'interview', now: new Date('2026-03-03T10:00:00.000Z'), ...recruiter });
    expect(reopened).toMatchObject({ status: 'interview', processEndedAt: null });
  });

  it('while the process runs, the last recorded step starts the period, so a running process is not cut short', async () => {
    const cvKey = await seedApplication({ createdAt: '2026-01-10T10:00:00.000Z' });
    const reference = references.get(cvKey) ?? '';
    await changeStatus(env.DB, { reference, status: 'interview', now: new Date('2026-06-01T10:00:00.000Z'), ...recruiter });

    await run();
    expect(await stored(cvKey)).toEqual(KEPT);
    await run({ now: new Date('2026-12-01T10:00:00.000Z') });
    expect(await stored(cvKey)).toEqual(DELETED);
  });

  it('retention’s deletions are audited with the reference and the date only, and the applicant’s link says “deleted” when its period ended', async () => {
    const { reference, cvKey, token } = await seedStoredApplication({ createdAt: '2026-01-01T10:00:00.000Z' });

    await run();

    expect(await stored(cvKey)).toEqual(DELETED);
    expect(await auditTrail(env.DB, reference)).toEqual([{ at: NOW.toISOString(), actor: 'retention', action: 'deleted', reference, jobSlug: null, detail: null }]);
    expect(await findApplicantLink(env.DB, await applicantTokenSha256(token))).toEqual({ state: 'deleted', deletedAt: NOW.toISOString(), reason: 'retention' });
  });
});

describe('a failed delete', () => {
  it('in R2 leaves the row and its CV for the next run, which deletes both', async () => {
    const due = await seedApplication({ createdAt: '2026-01-01T10:00:00.000Z' });
    const logs: RetentionLogEntry[] = [];

    const failed = await run({ bucket: bucketFailingDeletes }, logs);

    expect(failed).toMatchObject({ deletedApplications: 0, failedApplications: 1, failedSteps: 1 });
    expect(await stored(due)).toEqual(KEPT);
    expect(logs).toContainEqual(expect.objectContaining({ level: 'error', stage: 'expired.cv', count: 1 }));

    const retried = await run();

    expect(retried).toMatchObject({ deletedApplications: 1, failedApplications: 0, failedSteps: 0 });
    expect(await stored(due)).toEqual(DELETED);
  });

  it('in D1 after the CV is gone leaves the row, which the next run deletes although its CV is missing', async () => {
    const due = await seedApplication({ createdAt: '2026-01-01T10:00:00.000Z' });

    const failed = await run({ db: databaseFailingDeletes });

    expect(failed).toMatchObject({ deletedApplications: 0, failedApplications: 1 });
    expect(await stored(due)).toEqual({ row: true, cv: false });

    const retried = await run();

    expect(retried).toMatchObject({ deletedApplications: 1, failedSteps: 0 });
    expect(await stored(due)).toEqual(DELETED);
  });
});

describe('orphaned CV objects', () => {
  it('older than a day without a row are deleted; fresh uploads, referenced CVs and other prefixes are kept', async () => {
    await putCv('cv/orphan-old.pdf', '2026-11-25T09:59:59.999Z');
    await putCv('cv/upload-in-flight.pdf', '2026-11-26T09:00:00.000Z');
    await putCv('cv/orphan-one-day-exactly.pdf', '2026-11-25T10:00:00.000Z');
    await env.CV_BUCKET.put('exports/old-report.csv', 'a,b', { customMetadata: { uploadedAt: '2025-01-01T00:00:00.000Z' } });
    const referenced = await seedApplication({ createdAt: '2026-10-01T10:00:00.000Z' });

    const result = await run();

    expect(await objectExists('cv/orphan-old.pdf')).toBe(false);
    expect(await objectExists('cv/upload-in-flight.pdf')).toBe(true);
    expect(await objectExists('cv/orphan-one-day-exactly.pdf')).toBe(true);
    expect(await objectExists('exports/old-report.csv')).toBe(true);
    expect(await stored(referenced)).toEqual(KEPT);
    expect(result).toMatchObject({ deletedOrphans: 1, scannedObjects: 4, orphanSweepComplete: true });
  });

  it('without uploadedAt metadata are aged by the time R2 recorded for the upload', async () => {
    await env.CV_BUCKET.put('cv/no-metadata.pdf', pdfBytes(512));
    const uploaded = (await env.CV_BUCKET.head('cv/no-metadata.pdf'))?.uploaded ?? new Date(Number.NaN);

    await run({ now: new Date(uploaded.getTime() + 23 * 60 * 60 * 1000) });
    expect(await objectExists('cv/no-metadata.pdf')).toBe(true);

    await run({ now: new Date(uploaded.getTime() + 25 * 60 * 60 * 1000) });
    expect(await objectExists('cv/no-metadata.pdf')).toBe(false);
  });

  it('are swept a bounded number of list pages per run, and later runs finish the sweep', async () => {
    for (const name of ['a', 'b', 'c', 'd', 'e']) await putCv(`cv/orphan-${name}.pdf`, '2026-01-01T00:00:00.000Z');

    const first = await run({ listPageSize: 2, maxListPages: 1 });

    expect(first).toMatchObject({ scannedObjects: 2, deletedOrphans: 2, orphanSweepComplete: false });
    expect((await env.CV_BUCKET.list({ prefix: 'cv/' })).objects).toHaveLength(3);

    const second = await run({ listPageSize: 2, maxListPages: 5 });

    expect(second).toMatchObject({ deletedOrphans: 3, orphanSweepComplete: true });
    expect((await env.CV_BUCKET.list({ prefix: 'cv/' })).objects).toHaveLength(0);
  });

  it('past what one run may list are reached: each run goes on where the last one stopped, and says it is not done yet', async () => {
    // More referenced CVs than one run lists (2 pages of 2), and an orphan whose key comes last.
    for (let index = 0; index < 12; index += 1) await seedApplication({ createdAt: '2026-11-01T10:00:00.000Z' });
    const orphan = 'cv/ffffffff-ffff-4fff-bfff-ffffffffffff.pdf';
    await putCv(orphan, '2026-01-01T00:00:00.000Z');
    const logs: RetentionLogEntry[] = [];

    const runs = [];
    for (let attempt = 0; attempt < 4; attempt += 1) runs.push(await run({ listPageSize: 2, maxListPages: 2 }, logs));

    expect(runs.map(({ scannedObjects, deletedOrphans, orphanSweepComplete }) => ({ scannedObjects, deletedOrphans, orphanSweepComplete }))).toEqual([
      { scannedObjects: 4, deletedOrphans: 0, orphanSweepComplete: false },
      { scannedObjects: 4, deletedOrphans: 0, orphanSweepComplete: false },
      { scannedObjects: 4, deletedOrphans: 0, orphanSweepComplete: false },
      { scannedObjects: 1, deletedOrphans: 1, orphanSweepComplete: true },
    ]);
    expect(logs.map(({ level, event }) => `${level} ${event}`)).toEqual([
      'warn retention.incomplete',
      'warn retention.incomplete',
      'warn retention.incomplete',
      'info retention.completed',
    ]);
    expect(await objectExists(orphan)).toBe(false);

    // The next pass starts at the beginning again.
    expect(await run({ listPageSize: 2, maxListPages: 2 })).toMatchObject({ scannedObjects: 4, orphanSweepComplete: false });
  });

  it('whose delete fails stay for the next run and are counted as failed', async () => {
    await putCv('cv/orphan-old.pdf', '2026-01-01T00:00:00.000Z');

    const failed = await run({ bucket: bucketFailingDeletes });

    expect(failed).toMatchObject({ deletedOrphans: 0, failedOrphans: 1, failedSteps: 1 });
    expect(await objectExists('cv/orphan-old.pdf')).toBe(true);
  });
});

describe('a run', () => {
  it('deletes at most the batch size, says so, and the next runs delete the rest', async () => {
    const due = [];
    for (let day = 1; day <= 5; day += 1) due.push(await seedApplication({ createdAt: `2026-01-0${day}T10:00:00.000Z` }));
    due.push(await seedApplication({ createdAt: '2024-01-01T10:00:00.000Z', talentPool: true }));

    const first = await run({ batchSize: 4 });

    expect(first).toMatchObject({ deletedApplications: 4, batchExhausted: true });
    // Oldest retention start first within each group; the talent-pool group takes its share.
    expect(await Promise.all(due.slice(0, 6).map(rowExists))).toEqual([false, false, false, true, true, false]);

    const second = await run({ batchSize: 4 });

    expect(second).toMatchObject({ deletedApplications: 2, batchExhausted: false });
    expect(await Promise.all(due.map(rowExists))).toEqual([false, false, false, false, false, false]);
  });

  it('shares the batch between the groups, so a backlog without talent-pool consent cannot keep an expired talent-pool application', async () => {
    const ordinary = [];
    for (let day = 1; day <= 6; day += 1) ordinary.push(await seedApplication({ createdAt: `2026-01-0${day}T10:00:00.000Z` }));
    const talentPool = await seedApplication({ createdAt: '2024-06-01T10:00:00.000Z', talentPool: true });

    const result = await run({ batchSize: 5 });

    expect(result).toMatchObject({ deletedApplications: 5, batchExhausted: true });
    expect(await stored(talentPool)).toEqual(DELETED);
    expect(await Promise.all(ordinary.map(rowExists))).toEqual([false, false, false, false, true, true]);
  });

  it('is idempotent: a second run deletes nothing more and changes nothing', async () => {
    const due = await seedApplication({ createdAt: '2026-01-01T10:00:00.000Z' });
    const kept = await seedApplication({ createdAt: '2026-11-01T10:00:00.000Z', talentPool: true });
    await putCv('cv/orphan-old.pdf', '2026-01-01T00:00:00.000Z');

    const first = await run();
    const second = await run();

    expect(first).toMatchObject({ deletedApplications: 1, deletedOrphans: 1 });
    expect(second).toEqual({
      deletedApplications: 0,
      failedApplications: 0,
      batchExhausted: false,
      scannedObjects: 1,
      deletedOrphans: 0,
      failedOrphans: 0,
      orphanSweepComplete: true,
      purgedDeliveryEvents: 0,
      deliveryEventsExhausted: false,
      failedSteps: 0,
    });
    expect(await stored(due)).toEqual(DELETED);
    expect(await stored(kept)).toEqual(KEPT);
  });

  it('logs counts only: no CV keys, references or answers', async () => {
    const due = await seedApplication({ createdAt: '2026-01-01T10:00:00.000Z' });
    await putCv('cv/orphan-old.pdf', '2026-01-01T00:00:00.000Z');
    const logs: RetentionLogEntry[] = [];

    await run({ bucket: bucketFailingDeletes }, logs);
    await run({}, logs);

    expect(logs.map((entry) => entry.event)).toEqual(['retention.failed', 'retention.failed', 'retention.incomplete', 'retention.completed']);
    expect(logs.at(-1)).toMatchObject({ deletedApplications: 1, deletedOrphans: 1 });
    const written = JSON.stringify(logs);
    expect(written).not.toContain(due);
    expect(written).not.toContain(references.get(due));
    expect(written).not.toContain('orphan-old');
    expect(written).not.toMatch(/@example\.org/);
  });
});

describe('the outbox rows of deletion events', () => {
  /** Stores an outbox row as the delivery consumer leaves it. */
  async function outboxRow(row: { event: string; status: string; deliveredAt: string | null; reference?: string }): Promise<number> {
    const inserted = await env.DB.prepare(
      `INSERT INTO deliveries (event_id, event_type, application_reference, channel, payload, status, attempts, next_attempt_at, created_at, delivered_at)
       VALUES (?1, ?2, ?3, 'webhook', ?4, ?5, 1, '2026-09-01T10:00:00.000Z', '2026-09-01T10:00:00.000Z', ?6) RETURNING id`,
    )
      .bind(`msg_${crypto.randomUUID()}`, row.event, row.reference ?? 'ML-GONE00', row.event === 'application.deleted' ? '{"reference":"ML-GONE00"}' : null, row.status, row.deliveredAt)
      .first<{ id: number }>();
    return inserted!.id;
  }
  const remaining = async () => (await env.DB.prepare('SELECT id FROM deliveries ORDER BY id').all<{ id: number }>()).results.map((row) => row.id);

  it(`are removed once delivered more than 30 days ago; pending, failed, recent and other events stay`, async () => {
    const old = await outboxRow({ event: 'application.deleted', status: 'sent', deliveredAt: '2026-10-26T09:59:59.000Z' });
    const recent = await outboxRow({ event: 'application.deleted', status: 'sent', deliveredAt: '2026-10-27T10:00:01.000Z' });
    const pending = await outboxRow({ event: 'application.deleted', status: 'pending', deliveredAt: null });
    const failed = await outboxRow({ event: 'application.deleted', status: 'failed', deliveredAt: null });
    const { reference } = await seedStoredApplication({ createdAt: '2026-11-20T10:00:00.000Z' });
    const created = await outboxRow({ event: 'application.created', status: 'sent', deliveredAt: '2026-09-01T10:00:00.000Z', reference });

    const result = await run();

    expect(result).toMatchObject({ purgedDeliveryEvents: 1, deliveryEventsExhausted: false, failedSteps: 0 });
    expect(await remaining()).toEqual([recent, pending, failed, created]);
    expect(old).toBeLessThan(recent);
  });

  it('are removed a bounded number per run, the rest by the next runs, which say there is more to do', async () => {
    for (let index = 0; index < 3; index += 1) await outboxRow({ event: 'application.deleted', status: 'sent', deliveredAt: '2026-01-01T10:00:00.000Z' });
    const logs: RetentionLogEntry[] = [];

    expect(await run({ deliveredEventsPerRun: 2 }, logs)).toMatchObject({ purgedDeliveryEvents: 2, deliveryEventsExhausted: true });
    expect(await run({ deliveredEventsPerRun: 2 }, logs)).toMatchObject({ purgedDeliveryEvents: 1, deliveryEventsExhausted: false });
    expect(logs.map((entry) => entry.event)).toEqual(['retention.incomplete', 'retention.completed']);
    expect(await remaining()).toEqual([]);
  });
});

describe('the scheduled run', () => {
  it('deletes what is due with the production limits', async () => {
    const due = await seedApplication({ createdAt: '2026-01-01T10:00:00.000Z' });

    const result = await handleScheduledRetention({ db: env.DB, bucket: env.CV_BUCKET, now: NOW, log: () => {} });

    expect(result).toMatchObject({ deletedApplications: 1, failedSteps: 0 });
    expect(await stored(due)).toEqual(DELETED);
  });

  it('fails after logging when a step failed, so the cron shows the error and the next run retries', async () => {
    const due = await seedApplication({ createdAt: '2026-01-01T10:00:00.000Z' });
    const logs: RetentionLogEntry[] = [];

    await expect(
      handleScheduledRetention({ db: env.DB, bucket: bucketFailingDeletes, now: NOW, log: (entry) => logs.push(entry) }),
    ).rejects.toThrow(RetentionIncompleteError);

    expect(logs.map((entry) => entry.event)).toEqual(['retention.failed', 'retention.incomplete']);
    expect(await stored(due)).toEqual(KEPT);
  });
});
