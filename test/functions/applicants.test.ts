import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { applicantCv, applicantView, withdrawApplication, type ApplicantDeps } from '#functions/applicants/own.ts';
import { buildApplicantConfirmation } from '#functions/applicants/confirmation.ts';
import { handleApplicationApiRequest } from '#functions/applications/handler.ts';
import { auditTrail } from '#functions/storage/audit.ts';
import { deleteApplications } from '#functions/storage/deletion.ts';
import { apiRequest, clearStorage, NOW, pdfBytes, seedApplication, storedCounts, testDeps, translate, validFields } from './support.ts';

function deps(overrides: Partial<ApplicantDeps> = {}): ApplicantDeps & { notified: string[] } {
  const notified: string[] = [];
  return { db: env.DB, bucket: env.CV_BUCKET, now: () => NOW, deliveryChannels: ['email', 'webhook'], notifyDelivery: (reference) => void notified.push(reference), log: () => {}, notified, ...overrides };
}

/** Everything stored about applications, in every table and the bucket. */
async function everything() {
  const count = async (table: string) => (await env.DB.prepare(`SELECT count(*) AS n FROM ${table}`).first<{ n: number }>())?.n ?? 0;
  return { applications: await count('applications'), objects: (await env.CV_BUCKET.list()).objects.length, links: await count('applicant_links') };
}

/** A token of the right shape that was never issued: the first one with one character changed. */
function tampered(token: string): string {
  return `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
}

beforeEach(clearStorage);

describe('the private link', () => {
  it('opens what is stored: the answers, the consent facts, the status and when it will be deleted, and nothing of any other application', async () => {
    const { reference, token } = await seedApplication({ createdAt: '2026-11-20T10:00:00.000Z', talentPool: true, answers: { email: 'ada@example.org' } });
    const other = await seedApplication({ createdAt: '2026-11-21T10:00:00.000Z', answers: { email: 'ADA@example.org', firstName: 'Mallory' } });

    const view = await applicantView(deps(), token);

    expect(view).toEqual({
      state: 'active',
      application: expect.objectContaining({ reference, status: 'new', answers: expect.objectContaining({ firstName: 'Ada' }), consent: expect.objectContaining({ talentPool: true, privacyNoticeVersion: '2026-11-26-en' }) }),
      deletedAfter: new Date('2028-11-20T10:00:00.000Z'),
    });
    expect(JSON.stringify(view)).not.toContain(other.reference);
    expect(JSON.stringify(await applicantView(deps(), other.token))).not.toContain(reference);
  });

  it('opens nothing when tampered with, malformed or made up, without telling which (404)', async () => {
    const { token } = await seedApplication({ createdAt: '2026-11-20T10:00:00.000Z' });
    for (const candidate of [tampered(token), token.slice(1), `${token}x`, 'ML-AAAAAA', '../../etc/passwd', '', undefined]) {
      expect(await applicantView(deps(), candidate)).toEqual({ state: 'unknown' });
    }
  });

  it('serves the applicant’s own CV as an attachment, and nothing for another token', async () => {
    const cv = pdfBytes(2500, 8);
    const { reference, token } = await seedApplication({ createdAt: '2026-11-20T10:00:00.000Z', cv });

    const response = await applicantCv(deps(), token);

    expect(response?.headers.get('content-disposition')).toBe(`attachment; filename="${reference}.pdf"`);
    expect(response?.headers.get('cache-control')).toBe('private, no-store');
    expect(new Uint8Array(await response!.arrayBuffer())).toEqual(cv);
    expect(await applicantCv(deps(), tampered(token))).toBeUndefined();
  });

  it('comes with the JSON answer and opens exactly that application', async () => {
    const response = await handleApplicationApiRequest(apiRequest(validFields()), testDeps());
    const { reference, link } = (await response.json()) as { reference: string; link: string };
    const token = /\/application\/([A-Za-z0-9_-]{43})\/$/.exec(link)?.[1];

    expect(await applicantView(deps(), token)).toMatchObject({ state: 'active', application: { reference } });
  });
});

describe('withdraw and delete now', () => {
  it('deletes the row, the CV and the delivery rows at once, keeps the reference and date in the audit log, and tells the hiring team', async () => {
    const { reference, cvKey, token } = await seedApplication({ createdAt: '2026-11-20T10:00:00.000Z', channels: ['email', 'webhook'] });
    const other = await seedApplication({ createdAt: '2026-11-20T10:00:00.000Z' });
    const applicant = deps();

    expect(await withdrawApplication(applicant, token)).toBe('deleted');

    expect(await env.DB.prepare('SELECT 1 FROM applications WHERE reference = ?1').bind(reference).first()).toBeNull();
    expect(await env.CV_BUCKET.head(cvKey)).toBeNull();
    // What is left of it: the audit entry, the link's tombstone and the deletion event, nothing personal.
    expect(await auditTrail(env.DB, reference)).toEqual([{ at: NOW.toISOString(), actor: 'applicant', action: 'deleted', reference, jobSlug: 'machine-learning-intern', detail: 'withdrawn' }]);
    const rows = await env.DB.prepare('SELECT event_type, channel, payload FROM deliveries WHERE application_reference = ?1 ORDER BY id').bind(reference).all<{ event_type: string; channel: string; payload: string }>();
    expect(rows.results.map(({ event_type, channel }) => [event_type, channel])).toEqual([
      ['application.deleted', 'email'],
      ['application.deleted', 'webhook'],
    ]);
    expect(JSON.parse(rows.results[0]!.payload)).toEqual({ reference, job: { slug: 'machine-learning-intern' }, deletedAt: NOW.toISOString(), reason: 'withdrawn' });
    expect(JSON.stringify(await env.DB.prepare('SELECT * FROM applicant_links').all())).not.toContain(reference);
    expect(applicant.notified).toEqual([reference]);
    // Another applicant's application is untouched.
    expect(await storedCounts()).toEqual({ rows: 1, objects: 1 });
    expect(await applicantView(deps(), other.token)).toMatchObject({ state: 'active' });
  });

  it('used again says the application is already deleted, and the link then shows when', async () => {
    const { token } = await seedApplication({ createdAt: '2026-11-20T10:00:00.000Z' });
    await withdrawApplication(deps(), token);

    expect(await withdrawApplication(deps(), token)).toBe('already-deleted');
    expect(await applicantView(deps(), token)).toEqual({ state: 'deleted', deletedAt: NOW.toISOString(), reason: 'withdrawn' });
    expect(await everything()).toEqual({ applications: 0, objects: 0, links: 1 });
  });

  it('of an application the hiring team already deleted is “already deleted”, and the link says who deleted it, not the applicant', async () => {
    const { reference, token } = await seedApplication({ createdAt: '2026-11-20T10:00:00.000Z' });
    await deleteApplications(env.DB, env.CV_BUCKET, { references: [reference], actor: 'rita@example.com', reason: 'recruiter', now: NOW, deliveryChannels: [] });

    expect(await withdrawApplication(deps(), token)).toBe('already-deleted');
    expect(await applicantView(deps(), token)).toEqual({ state: 'deleted', deletedAt: NOW.toISOString(), reason: 'recruiter' });
    expect((await auditTrail(env.DB, reference)).map((entry) => entry.actor)).toEqual(['rita@example.com']);
  });

  it('with a tampered link deletes nothing and is “unknown” (404)', async () => {
    const { token } = await seedApplication({ createdAt: '2026-11-20T10:00:00.000Z' });
    expect(await withdrawApplication(deps(), tampered(token))).toBe('unknown');
    expect(await withdrawApplication(deps(), 'not a token')).toBe('unknown');
    expect(await storedCounts()).toEqual({ rows: 1, objects: 1 });
  });

  it('deletes exactly the application of its link; another with the same e-mail address stays, withdrawn through its own link', async () => {
    const first = await seedApplication({ createdAt: '2026-11-20T10:00:00.000Z', answers: { email: 'ada@example.org' } });
    const second = await seedApplication({ createdAt: '2026-11-21T10:00:00.000Z', answers: { email: 'ada@example.org', motivation: 'v2' } });

    await withdrawApplication(deps(), second.token);

    expect(await applicantView(deps(), first.token)).toMatchObject({ state: 'active', application: { reference: first.reference } });
    expect(await everything()).toEqual({ applications: 1, objects: 1, links: 2 });
    await withdrawApplication(deps(), first.token);
    expect(await everything()).toEqual({ applications: 0, objects: 0, links: 2 });
  });

  it('that fails in R2 deletes nothing and answers “unavailable”', async () => {
    const { token } = await seedApplication({ createdAt: '2026-11-20T10:00:00.000Z' });
    const failing = deps({ bucket: { get: (key) => env.CV_BUCKET.get(key), delete: () => Promise.reject(new Error('R2 is unavailable')) } });
    expect(await withdrawApplication(failing, token)).toBe('unavailable');
    expect(await applicantView(deps(), token)).toMatchObject({ state: 'active' });
  });
});

describe('the confirmation e-mail', () => {
  it('is sent after a stored application with the private link, in the applicant’s language, and not for a repeat', async () => {
    const sent: Array<{ locale: string; reference: string; email: string; kind: string; linkToken: string }> = [];
    const sendConfirmation = async (confirmation: { locale: string; reference: string; email: string; kind: string; linkToken: string }) => void sent.push(confirmation);

    const first = await handleApplicationApiRequest(apiRequest(validFields(), { locale: 'de' }), testDeps({ sendConfirmation }));
    await handleApplicationApiRequest(apiRequest(validFields(), { locale: 'de' }), testDeps({ sendConfirmation }));

    const { reference, link } = (await first.json()) as { reference: string; link: string };
    expect(sent).toEqual([{ locale: 'de', jobSlug: 'machine-learning-intern', reference, email: 'ada@example.org', kind: 'stored', linkToken: link.split('/').at(-2) }]);
  });

  it('that cannot be sent is logged and changes nothing for the applicant', async () => {
    const logged: string[] = [];
    const response = await handleApplicationApiRequest(
      apiRequest(validFields()),
      testDeps({ sendConfirmation: () => Promise.reject(new Error('destination address not verified')), log: (entry) => logged.push(entry.event) }),
    );
    expect(response.status).toBe(201);
    expect(logged).toEqual(['applications.confirmation-failed']);
  });

  it('is a plain-text message to the applicant from the configured sender', () => {
    const raw = buildApplicantConfirmation({
      from: 'careers@example.com',
      to: 'ada@example.org',
      subject: translate('de', 'applicantEmail.subject', { reference: 'ML-ABCDEF', job: 'Praktikum' }),
      text: translate('de', 'applicantEmail.body', { job: 'Praktikum', outcome: 'Gespeichert.', link: 'https://careers.example/de/application/x/' }),
      reference: 'ML-ABCDEF',
      now: NOW,
    });
    const [head, body] = raw.split('\r\n\r\n');
    expect(head).toContain('From: careers@example.com\r\nTo: ada@example.org\r\n');
    expect(head).toContain('Content-Type: text/plain; charset=UTF-8');
    const text = new TextDecoder().decode(Uint8Array.from(atob(body!.replace(/\r\n/g, '')), (character) => character.charCodeAt(0)));
    expect(text).toContain('https://careers.example/de/application/x/');
    expect(text).toContain('Vielen Dank für Ihre Bewerbung für Praktikum.');
  });
});
