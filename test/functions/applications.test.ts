import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, inject, it } from 'vitest';
import { handleApplicationApiRequest } from '#functions/applications/handler.ts';
import { OVERSIZED_BODY_MAX_BYTES, submitApplication } from '#functions/applications/submission.ts';
import { discardUnreadBody, UNREAD_BODY_MAX_BYTES } from '#functions/http.ts';
import { APPLICATIONS_PER_ADDRESS_PER_DAY } from '#functions/applications/rateLimits.ts';
import { REFERENCE_PATTERN } from '#functions/applications/reference.ts';
import { SITEVERIFY_URL } from '#functions/applications/turnstile.ts';
import { applicantTokenSha256 } from '#functions/applicants/link.ts';
import { APPLICANT_LINKS_PER_APPLICATION, findApplicantLink, REPEAT_LINK_WINDOW_MINUTES } from '#functions/storage/applicantLinks.ts';
import { changeStatus } from '#functions/storage/applications.ts';
import { aFreshWindowIfNeeded } from '#test/support/rateLimitWindow.ts';
import {
  API_URL,
  apiRequest,
  clearStorage,
  formBody,
  FORM_URL,
  NOW,
  pdfBytes,
  postForm,
  sha256,
  storedCounts,
  testDeps,
  translate,
  validFields,
  validSettings,
  withTurnstile,
  type TestLocale,
} from './support.ts';

interface StoredRow {
  reference: string;
  job_slug: string;
  locale: string;
  answers: string;
  privacy_notice_version: string;
  privacy_consented_at: string;
  talent_pool: number;
  talent_pool_consented_at: string | null;
  cv_key: string;
  cv_size: number;
  cv_sha256: string;
  created_at: string;
}

async function rowFor(reference: string): Promise<StoredRow | null> {
  return env.DB.prepare('SELECT * FROM applications WHERE reference = ?').bind(reference).first<StoredRow>();
}

interface AnswerBody {
  reference?: string;
  outcome?: 'stored' | 'duplicate';
  message?: string;
  link?: string | null;
  status?: string | null;
  error?: string;
  issues?: Array<{ field: string; message: string }>;
}

async function jsonOf(response: Response): Promise<AnswerBody> {
  return response.json();
}

/** How many private links the application under a reference has. */
async function linkCount(reference: string): Promise<number | undefined> {
  return (await env.DB.prepare('SELECT count(*) AS n FROM applicant_links WHERE application_reference = ?1').bind(reference).first<{ n: number }>())?.n;
}

/** The reference of the application an absolute private link opens, or undefined. */
async function linkOpens(link: string): Promise<string | undefined> {
  const token = /\/application\/([A-Za-z0-9_-]{43})\/$/.exec(link)?.[1] ?? '';
  const state = await findApplicantLink(env.DB, await applicantTokenSha256(token));
  return state.state === 'active' ? state.reference : undefined;
}

beforeEach(clearStorage);

describe('a valid application', () => {
  it('is stored from the JSON API in English: the row holds answers and consent, R2 holds the CV with a matching SHA-256', async () => {
    const cv = pdfBytes(50_000, 1);
    const response = await handleApplicationApiRequest(apiRequest(validFields(), { cv: { bytes: cv } }), testDeps());

    expect(response.status).toBe(201);
    const { reference } = await jsonOf(response);
    expect(reference).toMatch(REFERENCE_PATTERN);
    expect(reference).toMatch(/^ML-/);

    const row = await rowFor(reference ?? '');
    expect(row).toMatchObject({
      job_slug: 'machine-learning-intern',
      locale: 'en',
      privacy_notice_version: '2026-11-26-en',
      privacy_consented_at: '2026-11-26T10:00:00.000Z',
      talent_pool: 1,
      talent_pool_consented_at: '2026-11-26T10:00:00.000Z',
      cv_size: cv.byteLength,
      created_at: '2026-11-26T10:00:00.000Z',
    });
    expect(JSON.parse(row?.answers ?? '{}')).toEqual({
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@example.org',
      phone: '+49 89 1234567',
      university: 'Technical University of Munich',
      degree: 'master',
      graduation: '2027-07',
      startDate: '2027-03-01',
      durationMonths: 6,
      links: ['https://github.com/ada', 'https://www.linkedin.com/in/ada'],
      motivation: 'I would love to work on gaze tracking.',
    });

    const object = await env.CV_BUCKET.get(row?.cv_key ?? '');
    expect(object).not.toBeNull();
    const stored = new Uint8Array((await object?.arrayBuffer()) ?? new ArrayBuffer(0));
    expect(stored).toEqual(cv);
    expect(row?.cv_sha256).toBe(await sha256(cv));
    expect(object?.httpMetadata?.contentType).toBe('application/pdf');
  });

  it('is stored from the German form route with locale "de" and without talent-pool consent when the box is not ticked', async () => {
    const request = postForm(FORM_URL.replace('/en/', '/de/'), formBody(validFields({ talentPool: undefined, email: 'ada@example.de' })));
    const result = await submitApplication(request, { locale: 'de', jobSlug: 'machine-learning-intern' }, testDeps());

    expect(result).toMatchObject({ outcome: 'accepted', kind: 'stored' });
    const row = await rowFor(result.outcome === 'accepted' ? result.reference : '');
    expect(row).toMatchObject({ locale: 'de', privacy_notice_version: '2026-11-26-de', talent_pool: 0, talent_pool_consented_at: null });
    const object = await env.CV_BUCKET.get(row?.cv_key ?? '');
    expect(await sha256((await object?.arrayBuffer()) ?? new ArrayBuffer(0))).toBe(row?.cv_sha256);
  });

  it('keeps the CV under a server-generated key, never the applicant’s file name', async () => {
    const response = await handleApplicationApiRequest(
      apiRequest(validFields(), { cv: { bytes: pdfBytes(), name: '../../etc/passwd Ada.pdf' } }),
      testDeps(),
    );
    const row = await rowFor((await jsonOf(response)).reference ?? '');
    expect(row?.cv_key).toMatch(/^cv\/[0-9a-f-]{36}\.pdf$/);
  });

  it('stores its links as the URL parser normalizes them, not as typed', async () => {
    const links = 'HTTPS://GitHub.com/ada/../ada\r\nhttps://bücher.example/lebenslauf?q="x"';
    const response = await handleApplicationApiRequest(apiRequest(validFields({ links })), testDeps());
    const row = await rowFor((await jsonOf(response)).reference ?? '');
    expect(JSON.parse(row?.answers ?? '{}').links).toEqual(['https://github.com/ada', 'https://xn--bcher-kva.example/lebenslauf?q=%22x%22']);
  });
});

/** One invalid value per field and the message key it must produce. */
const FIELD_CASES: Array<{ field: string; value: string | undefined; key: Parameters<typeof translate>[1]; params?: Record<string, number> }> = [
  { field: 'firstName', value: undefined, key: 'form.error.required' },
  { field: 'firstName', value: 'x'.repeat(101), key: 'form.error.tooLong', params: { max: 100 } },
  { field: 'lastName', value: '   ', key: 'form.error.required' },
  { field: 'email', value: 'ada.example.org', key: 'form.error.email' },
  { field: 'phone', value: 'call me maybe', key: 'form.error.phone' },
  { field: 'university', value: '', key: 'form.error.required' },
  { field: 'degree', value: 'diploma', key: 'form.error.degree' },
  { field: 'graduation', value: '2027-13', key: 'form.error.graduation' },
  { field: 'startDate', value: '2027-02-30', key: 'form.error.startDate' },
  { field: 'startDate', value: '2026-11-25', key: 'form.error.startDatePast' },
  { field: 'durationMonths', value: '2', key: 'form.error.durationMonths', params: { min: 3, max: 12 } },
  { field: 'durationMonths', value: '6.5', key: 'form.error.durationMonths', params: { min: 3, max: 12 } },
  { field: 'links', value: 'ftp://files.example.org/cv', key: 'form.error.links' },
  { field: 'links', value: Array.from({ length: 6 }, (_, index) => `https://example.org/${index}`).join('\n'), key: 'form.error.linksTooMany', params: { max: 5 } },
  { field: 'links', value: 'https://www.linkedin.com@evil.example/in/ada', key: 'form.error.linkCredentials' },
  { field: 'links', value: 'https://ex.example/a b<script>', key: 'form.error.linkSpaces' },
  { field: 'firstName', value: 'Ada\r\nE-mail: ceo@evil.example\r\nTalent pool: yes', key: 'form.error.characters' },
  { field: 'lastName', value: 'Love\u202Ecalo', key: 'form.error.characters' },
  { field: 'university', value: 'TUM\u2028Talent pool: yes', key: 'form.error.characters' },
  { field: 'degree', value: '', key: 'form.error.requiredChoice' },
  { field: 'graduation', value: '', key: 'form.error.requiredMonth' },
  { field: 'startDate', value: undefined, key: 'form.error.requiredDate' },
  { field: 'motivation', value: 'y'.repeat(4001), key: 'form.error.tooLong', params: { max: 4000 } },
  { field: 'privacy', value: undefined, key: 'form.error.privacy' },
];

describe.each<TestLocale>(['en', 'de'])('an invalid application in %s', (locale) => {
  it.each(FIELD_CASES)('is refused with 422 and the $key message beside $field', async ({ field, value, key, params }) => {
    const response = await handleApplicationApiRequest(apiRequest(validFields({ [field]: value }), { locale }), testDeps());

    expect(response.status).toBe(422);
    const body = await jsonOf(response);
    expect(body.error).toBe(translate(locale, 'apply.error.invalid'));
    expect(body.issues).toEqual([{ field, message: translate(locale, key, params) }]);
    expect(await storedCounts()).toEqual({ rows: 0, objects: 0 });
  });

  it('is refused when the CV is missing', async () => {
    const response = await handleApplicationApiRequest(apiRequest(validFields(), { locale, cv: null }), testDeps());
    expect((await jsonOf(response)).issues).toEqual([{ field: 'cv', message: translate(locale, 'form.error.cvRequired') }]);
  });

  it('is refused when a text file is renamed .pdf and declared application/pdf', async () => {
    const text = new TextEncoder().encode('Ada Lovelace\nCurriculum vitae\n');
    const response = await handleApplicationApiRequest(
      apiRequest(validFields(), { locale, cv: { bytes: text, name: 'cv.pdf', type: 'application/pdf' } }),
      testDeps(),
    );
    expect(response.status).toBe(422);
    expect((await jsonOf(response)).issues).toEqual([{ field: 'cv', message: translate(locale, 'form.error.cvType') }]);
    expect(await storedCounts()).toEqual({ rows: 0, objects: 0 });
  });
});

describe('the form route with invalid answers', () => {
  it('returns every submitted text value except the file and the honeypot, to re-fill the form', async () => {
    const fields = validFields({ email: 'not-an-address', website: '' });
    const result = await submitApplication(postForm(FORM_URL, formBody(fields)), { locale: 'en', jobSlug: 'machine-learning-intern' }, testDeps());

    expect(result).toMatchObject({ outcome: 'invalid', status: 422, cvAttached: true });
    if (result.outcome !== 'invalid') return;
    const { website: _website, ...expected } = fields;
    expect(result.values).toEqual(expected);
    expect(result.issues).toEqual([{ field: 'email', message: translate('en', 'form.error.email'), key: 'form.error.email' }]);
  });

  it('lists the issues in form order, one per field', async () => {
    const result = await submitApplication(
      postForm(FORM_URL, formBody({ privacy: '', durationMonths: '99' }, null)),
      { locale: 'de', jobSlug: 'machine-learning-intern' },
      testDeps(),
    );
    expect(result.outcome === 'invalid' && result.issues.map((issue) => issue.field)).toEqual([
      'firstName', 'lastName', 'email', 'university', 'degree', 'graduation', 'startDate', 'durationMonths', 'cv', 'privacy',
    ]);
    // No CV was attached, so the form does not ask to attach it "again".
    expect(result).toMatchObject({ cvAttached: false });
  });
});

/** A multipart body streamed in chunks, counting what was pulled from it; `total` bytes of CV. */
function streamedForm(options: { fields: Record<string, string>; total: number; chunk?: number }) {
  const boundary = 'xYzBoundary';
  const encoder = new TextEncoder();
  const head = encoder.encode(
    Object.entries(options.fields)
      .map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
      .join('') + `--${boundary}\r\nContent-Disposition: form-data; name="cv"; filename="cv.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n`,
  );
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`);
  const chunk = pdfBytes(options.chunk ?? 1024 * 1024).fill(37);
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (pulled === 0) {
          controller.enqueue(head);
          pulled += head.byteLength;
        } else if (pulled >= options.total) {
          controller.enqueue(tail);
          controller.close();
        } else {
          controller.enqueue(chunk);
          pulled += chunk.byteLength;
        }
      },
    },
    { highWaterMark: 0 },
  );
  return { body, contentType: `multipart/form-data; boundary=${boundary}`, pulled: () => pulled };
}

describe('size limits', () => {
  it('gives an 11 MB CV back as a 413 with every answer kept and the CV marked, in the page’s language', async () => {
    const fields = validFields();
    const request = postForm(FORM_URL.replace('/en/', '/de/'), formBody(fields, { bytes: pdfBytes(11 * 1024 * 1024) }));
    const result = await submitApplication(request, { locale: 'de', jobSlug: 'machine-learning-intern' }, testDeps());

    expect(result).toMatchObject({
      outcome: 'invalid',
      status: 413,
      message: translate('de', 'apply.error.tooLarge', { maxMb: 10 }),
      issues: [{ field: 'cv', key: 'form.error.cvSize', message: translate('de', 'form.error.cvSize', { maxMb: 10 }) }],
      cvAttached: true,
    });
    expect(result.outcome === 'invalid' && result.values).toEqual(fields);
    expect(await storedCounts()).toEqual({ rows: 0, objects: 0 });
  });

  it('answers an 11 MB CV to the API with 413 in the language of its locale field, naming the CV and any other problem', async () => {
    const response = await handleApplicationApiRequest(
      apiRequest(validFields({ email: 'nope' }), { locale: 'de', cv: { bytes: pdfBytes(11 * 1024 * 1024) } }),
      testDeps(),
    );
    expect(response.status).toBe(413);
    expect(await jsonOf(response)).toEqual({
      error: translate('de', 'apply.error.tooLarge', { maxMb: 10 }),
      issues: [
        { field: 'email', message: translate('de', 'form.error.email') },
        { field: 'cv', message: translate('de', 'form.error.cvSize', { maxMb: 10 }) },
      ],
    });
  });

  it('refuses a body declared larger than it would ever read with 413, before reading it', async () => {
    const streamed = streamedForm({ fields: { job: 'machine-learning-intern', locale: 'de' }, total: OVERSIZED_BODY_MAX_BYTES + 1024 * 1024 });
    const request = new Request(API_URL, {
      method: 'POST',
      body: streamed.body,
      headers: { 'Content-Type': streamed.contentType, 'Content-Length': String(OVERSIZED_BODY_MAX_BYTES + 1024 * 1024 + 500), 'Accept-Language': 'de' },
    });
    const response = await handleApplicationApiRequest(request, testDeps());

    expect(response.status).toBe(413);
    expect(request.bodyUsed).toBe(false);
    expect((await jsonOf(response)).error).toBe(translate('de', 'apply.error.tooLarge', { maxMb: 10 }));
  });

  it('stops reading a body without Content-Length once it grows past the read bound, and answers 413', async () => {
    const streamed = streamedForm({ fields: { job: 'machine-learning-intern' }, total: 64 * 1024 * 1024 });
    const request = new Request(API_URL, { method: 'POST', body: streamed.body, headers: { 'Content-Type': streamed.contentType } });
    expect(request.headers.get('Content-Length')).toBeNull();

    const response = await handleApplicationApiRequest(request, testDeps());
    expect(response.status).toBe(413);
    expect(streamed.pulled()).toBeLessThan(OVERSIZED_BODY_MAX_BYTES + 3 * 1024 * 1024);
  });
});

describe('a request refused before its body is needed', () => {
  // The Worker entry passes every answer through discardUnreadBody (src/worker.ts).
  const refusedAfterReading = async (headers: Record<string, string>) => {
    const streamed = streamedForm({ fields: { job: 'machine-learning-intern' }, total: 31 * 1024 * 1024, chunk: 16 * 1024 });
    const request = new Request(API_URL, {
      method: 'POST',
      body: streamed.body,
      headers: { 'Content-Type': streamed.contentType, ...headers },
    });
    const response = await handleApplicationApiRequest(request, testDeps());
    const discarded = await discardUnreadBody(request);
    return { status: response.status, discarded, pulled: streamed.pulled() };
  };

  it('has at most 64 KiB of its 31 MB body read when it is not multipart (415)', async () => {
    const { status, discarded, pulled } = await refusedAfterReading({ 'Content-Type': 'application/json' });
    expect(status).toBe(415);
    expect(discarded).toBeLessThanOrEqual(UNREAD_BODY_MAX_BYTES + 16 * 1024);
    expect(pulled).toBeLessThanOrEqual(UNREAD_BODY_MAX_BYTES + 2 * 16 * 1024);
  });

  it('has at most 64 KiB of its 31 MB body read when its Content-Length is past the read bound (413)', async () => {
    const { status, pulled } = await refusedAfterReading({ 'Content-Length': String(OVERSIZED_BODY_MAX_BYTES + 1) });
    expect(status).toBe(413);
    expect(pulled).toBeLessThanOrEqual(UNREAD_BODY_MAX_BYTES + 2 * 16 * 1024);
  });

  it('reads a small body whole, so the connection can carry the answer', async () => {
    const request = new Request(API_URL, { method: 'POST', body: 'x'.repeat(1000), headers: { 'Content-Type': 'text/plain' } });
    expect(await discardUnreadBody(request)).toBe(1000);
  });
});

describe('the honeypot', () => {
  it('answers a filled honeypot like a success with a reference, and stores nothing', async () => {
    let siteverifyCalls = 0;
    const response = await handleApplicationApiRequest(
      apiRequest(validFields({ website: 'https://spam.example' })),
      testDeps({ settings: withTurnstile('1x0000000000000000000000000000000AA'), fetch: async () => (siteverifyCalls++, Response.json({ success: true })) }),
    );

    expect(response.status).toBe(201);
    expect((await jsonOf(response)).reference).toMatch(REFERENCE_PATTERN);
    expect(await storedCounts()).toEqual({ rows: 0, objects: 0 });
    expect(siteverifyCalls).toBe(0);
  });
});

describe('a 201 answer', () => {
  it('names the reference, says it was stored, and carries the applicant’s private link, whose hash alone is stored, and the status it shows', async () => {
    const response = await handleApplicationApiRequest(apiRequest(validFields(), { locale: 'de' }), testDeps());

    expect(response.status).toBe(201);
    expect(response.headers.get('Idempotent-Replayed')).toBeNull();
    const body = await jsonOf(response);
    expect(body).toEqual({
      reference: expect.stringMatching(REFERENCE_PATTERN),
      outcome: 'stored',
      message: translate('de', 'apply.outcome.stored', { reference: body.reference ?? '' }),
      link: expect.stringMatching(/^https:\/\/careers\.example\/de\/application\/[A-Za-z0-9_-]{43}\/$/),
      status: 'new',
    });
    const token = /application\/([^/]+)\//.exec(body.link ?? '')?.[1] ?? '';
    const links = await env.DB.prepare('SELECT token_sha256, application_reference FROM applicant_links').all<{ token_sha256: string; application_reference: string }>();
    expect(links.results).toEqual([{ token_sha256: await sha256(new TextEncoder().encode(token)), application_reference: body.reference }]);
  });
});

/** The applications stored with an e-mail address (as SQLite normalizes it), oldest first. */
async function applicationsOf(email: string) {
  const { results } = await env.DB.prepare('SELECT reference, answers, cv_sha256, talent_pool FROM applications WHERE email_key = lower(trim(?1)) ORDER BY id')
    .bind(email)
    .all<{ reference: string; answers: string; cv_sha256: string; talent_pool: number }>();
  return results;
}

/** An answer with what differs between any two submissions (the reference, the link's token) replaced by placeholders. */
async function answerShape(response: Response) {
  const body = await jsonOf(response);
  const text = JSON.stringify(body).replaceAll(body.reference ?? '-', '<reference>').replace(/application\/[A-Za-z0-9_-]{43}\//, 'application/<token>/');
  return { status: response.status, headers: [...response.headers].filter(([name]) => name !== 'content-length'), body: JSON.parse(text) as unknown };
}

describe('repeats (issue 9, finding 3)', () => {
  it('replays a retry with the same Idempotency-Key and body: 201, Idempotent-Replayed, the first reference, one application, a working link', async () => {
    const headers = { 'Idempotency-Key': '0b6f3c1e-6f43-4d55-9a3e-2b7f0c1d9e11' };
    const first = await jsonOf(await handleApplicationApiRequest(apiRequest(validFields(), { headers }), testDeps()));
    const second = await handleApplicationApiRequest(apiRequest(validFields(), { headers }), testDeps());

    expect(second.status).toBe(201);
    expect(second.headers.get('Idempotent-Replayed')).toBe('true');
    const body = await jsonOf(second);
    expect(body).toEqual({
      reference: first.reference,
      outcome: 'duplicate',
      message: translate('en', 'apply.outcome.duplicate', { reference: first.reference ?? '' }),
      link: expect.stringMatching(/^https:\/\/careers\.example\/en\/application\/[A-Za-z0-9_-]{43}\/$/),
      status: 'new',
    });
    // Each answer carries its own working link: the first one's token cannot be recovered.
    expect(body.link).not.toBe(first.link);
    expect(await storedCounts()).toEqual({ rows: 1, objects: 1 });
    expect((await env.DB.prepare('SELECT count(*) AS n FROM applicant_links WHERE application_reference = ?1').bind(first.reference).first<{ n: number }>())?.n).toBe(2);
  });

  it('refuses the same Idempotency-Key with a different body with 409 in the requested language, storing nothing more', async () => {
    const headers = { 'Idempotency-Key': 'reused-key' };
    await handleApplicationApiRequest(apiRequest(validFields(), { headers }), testDeps());
    const other = await handleApplicationApiRequest(apiRequest(validFields({ motivation: 'Changed my mind.' }), { headers, locale: 'de' }), testDeps());

    expect(other.status).toBe(409);
    expect(await jsonOf(other)).toEqual({ error: translate('de', 'apply.error.keyReused'), issues: [] });
    expect(await storedCounts()).toEqual({ rows: 1, objects: 1 });
  });

  it('answers an identical resubmission without a key (a refresh, a double click) with the first reference, saying it was already received', async () => {
    const target = { locale: 'en', jobSlug: 'machine-learning-intern' } as const;
    const first = await submitApplication(postForm(FORM_URL, formBody(validFields())), target, testDeps());
    const second = await submitApplication(postForm(FORM_URL, formBody(validFields())), target, testDeps());

    const reference = first.outcome === 'accepted' ? first.reference : 'none';
    expect(second).toEqual({ outcome: 'accepted', reference, kind: 'duplicate', link: { token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), status: 'new' } });
    expect(await storedCounts()).toEqual({ rows: 1, objects: 1 });

    const api = await jsonOf(await handleApplicationApiRequest(apiRequest(validFields()), testDeps()));
    expect(api.message).toBe(translate('en', 'apply.outcome.duplicate', { reference }));
  });

  it('bounds the links repeats add: past APPLICANT_LINKS_PER_APPLICATION a repeat is told it was already received, with no link or status, and every link issued keeps working', async () => {
    const first = await jsonOf(await handleApplicationApiRequest(apiRequest(validFields()), testDeps()));
    const repeats: AnswerBody[] = [];
    for (let index = 1; index <= APPLICANT_LINKS_PER_APPLICATION; index += 1) {
      repeats.push(await jsonOf(await handleApplicationApiRequest(apiRequest(validFields(), { locale: 'de' }), testDeps())));
    }
    const issued = repeats.slice(0, -1);
    const past = repeats.at(-1);

    expect(await linkCount(first.reference ?? '')).toBe(APPLICANT_LINKS_PER_APPLICATION);
    expect(past).toEqual({
      reference: first.reference,
      outcome: 'duplicate',
      message: translate('de', 'apply.outcome.duplicateUnlinked', { reference: first.reference ?? '' }),
      link: null,
      status: null,
    });
    expect(issued.map((answer) => [answer.outcome, answer.status])).toEqual(Array.from({ length: APPLICANT_LINKS_PER_APPLICATION - 1 }, () => ['duplicate', 'new']));
    for (const link of [first.link, ...issued.map((answer) => answer.link)]) {
      expect(await linkOpens(link ?? ''), link ?? '').toBe(first.reference);
    }

    // The form route gets the same: the stored reference, no link.
    const target = { locale: 'en', jobSlug: 'machine-learning-intern' } as const;
    expect(await submitApplication(postForm(FORM_URL, formBody(validFields())), target, testDeps())).toEqual({ outcome: 'accepted', reference: first.reference, kind: 'duplicate', link: undefined });
    expect(await storedCounts()).toEqual({ rows: 1, objects: 1 });
  });

  it('keeps to the bound when repeats arrive all at once: the check and the new link are one statement', async () => {
    const first = await jsonOf(await handleApplicationApiRequest(apiRequest(validFields()), testDeps()));
    const answers = await Promise.all(Array.from({ length: 2 * APPLICANT_LINKS_PER_APPLICATION }, async () => jsonOf(await handleApplicationApiRequest(apiRequest(validFields()), testDeps()))));
    expect(answers.filter((answer) => answer.link !== null)).toHaveLength(APPLICANT_LINKS_PER_APPLICATION - 1);
    expect(await linkCount(first.reference ?? '')).toBe(APPLICANT_LINKS_PER_APPLICATION);
  });

  it(`gives a repeat a link of its own only within ${REPEAT_LINK_WINDOW_MINUTES} minutes of the submission`, async () => {
    const first = await jsonOf(await handleApplicationApiRequest(apiRequest(validFields()), testDeps()));
    const at = (minutes: number) => testDeps({ now: () => new Date(NOW.getTime() + minutes * 60_000) });

    const within = await jsonOf(await handleApplicationApiRequest(apiRequest(validFields()), at(REPEAT_LINK_WINDOW_MINUTES - 0.1)));
    const after = await handleApplicationApiRequest(apiRequest(validFields()), at(REPEAT_LINK_WINDOW_MINUTES));

    expect(await linkOpens(within.link ?? '')).toBe(first.reference);
    expect(after.status).toBe(201);
    expect(after.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await jsonOf(after)).toMatchObject({ reference: first.reference, outcome: 'duplicate', link: null, status: null });
    expect(await linkCount(first.reference ?? '')).toBe(2);
  });

  it('tells a repeat the status of the application as it is now, a decided one too', async () => {
    const first = await jsonOf(await handleApplicationApiRequest(apiRequest(validFields()), testDeps()));
    await changeStatus(env.DB, { reference: first.reference ?? '', status: 'rejected', actor: 'recruiter@example.com', now: NOW, deliveryChannels: [] });

    const repeat = await jsonOf(await handleApplicationApiRequest(apiRequest(validFields()), testDeps()));

    expect(repeat).toMatchObject({ reference: first.reference, outcome: 'duplicate', status: 'rejected', link: expect.stringMatching(/\/application\//) });
  });

  it('stores one application when two identical submissions arrive at the same time', async () => {
    const target = { locale: 'en', jobSlug: 'machine-learning-intern' } as const;
    const [first, second] = await Promise.all([
      submitApplication(postForm(FORM_URL, formBody(validFields())), target, testDeps()),
      submitApplication(postForm(FORM_URL, formBody(validFields())), target, testDeps()),
    ]);

    expect(first.outcome === 'accepted' && second.outcome === 'accepted' && first.reference === second.reference).toBe(true);
    expect(await storedCounts()).toEqual({ rows: 1, objects: 1 });
  });
});

describe('another application with the same e-mail address (review of issue 11, findings 1 and 2)', () => {
  // What a stranger who knows Ada's address can send: her address, written differently, with
  // answers and a CV of their own.
  const stranger = () => validFields({ email: ' ADA@Example.ORG ', firstName: 'Mallory', motivation: 'Replace her.' });
  const strangersCv = { bytes: pdfBytes(3000, 66) };

  it('is stored as an application of its own, answered exactly as it would be if the address had never applied (API)', async () => {
    const alone = await answerShape(await handleApplicationApiRequest(apiRequest(stranger(), { cv: strangersCv, locale: 'de' }), testDeps()));
    await clearStorage();
    const ada = await jsonOf(await handleApplicationApiRequest(apiRequest(validFields()), testDeps()));
    const response = await handleApplicationApiRequest(apiRequest(stranger(), { cv: strangersCv, locale: 'de' }), testDeps({ now: () => new Date('2026-11-26T15:00:00Z') }));
    const after = await answerShape(response.clone());

    expect(after).toEqual(alone);
    const body = await jsonOf(response);
    expect(body.outcome).toBe('stored');
    expect(body.reference).not.toBe(ada.reference);
    expect(JSON.stringify(body)).not.toContain(ada.reference);
    expect(body.message).toBe(translate('de', 'apply.outcome.stored', { reference: body.reference ?? '' }));
  });

  it('is stored as an application of its own, answered exactly as it would be if the address had never applied (form without JavaScript)', async () => {
    const target = { locale: 'en', jobSlug: 'machine-learning-intern' } as const;
    await submitApplication(postForm(FORM_URL, formBody(validFields())), target, testDeps());
    const result = await submitApplication(postForm(FORM_URL, formBody(stranger(), strangersCv)), target, testDeps());

    expect(result).toEqual({ outcome: 'accepted', reference: expect.stringMatching(REFERENCE_PATTERN), kind: 'stored', link: { token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), status: 'new' } });
  });

  it('changes nothing of the earlier application: its row, its CV and its link stay as they were', async () => {
    const ada = await jsonOf(await handleApplicationApiRequest(apiRequest(validFields()), testDeps()));
    const before = await env.DB.prepare('SELECT * FROM applications WHERE reference = ?1').bind(ada.reference).first();
    await handleApplicationApiRequest(apiRequest(stranger(), { cv: strangersCv }), testDeps());

    expect(await env.DB.prepare('SELECT * FROM applications WHERE reference = ?1').bind(ada.reference).first()).toEqual(before);
    expect((await applicationsOf('ada@example.org')).map((row) => JSON.parse(row.answers).firstName)).toEqual(['Ada', 'Mallory']);
    expect(await storedCounts()).toEqual({ rows: 2, objects: 2 });
  });

  it('with changed answers, a new talent-pool choice or a new Idempotency-Key is each stored, and each told the same', async () => {
    await handleApplicationApiRequest(apiRequest(validFields({ talentPool: undefined })), testDeps());
    const answers = [
      await jsonOf(await handleApplicationApiRequest(apiRequest(validFields({ talentPool: 'yes' })), testDeps())),
      await jsonOf(await handleApplicationApiRequest(apiRequest(validFields({ motivation: 'Second thoughts.' }), { headers: { 'Idempotency-Key': 'new-key' } }), testDeps())),
    ];

    expect(answers.map((body) => [body.outcome, body.message])).toEqual(answers.map((body) => ['stored', translate('en', 'apply.outcome.stored', { reference: body.reference ?? '' })]));
    expect((await applicationsOf('ada@example.org')).map((row) => row.talent_pool)).toEqual([0, 1, 1]);
  });

  it(`is refused with a 429 until midnight in Munich, from any client, once ${APPLICATIONS_PER_ADDRESS_PER_DAY} applications to the posting carried the address that day`, async () => {
    const from = (index: number, overrides: Record<string, string> = {}, job?: string) =>
      apiRequest(validFields({ email: index % 2 ? 'Jonas@Example.org' : ' jonas@example.org', motivation: `Try ${index}`, ...overrides }), {
        headers: { 'CF-Connecting-IP': `203.0.113.${100 + index}` },
        locale: 'de',
        ...(job ? { job } : {}),
      });
    const statuses: number[] = [];
    for (let index = 0; index < APPLICATIONS_PER_ADDRESS_PER_DAY; index += 1) statuses.push((await handleApplicationApiRequest(from(index), testDeps())).status);
    const refused = await handleApplicationApiRequest(from(9), testDeps());

    expect(statuses).toEqual(Array<number>(APPLICATIONS_PER_ADDRESS_PER_DAY).fill(201));
    expect(refused.status).toBe(429);
    // NOW is 11:00 in Munich: 13 hours to midnight.
    expect(refused.headers.get('Retry-After')).toBe(String(13 * 60 * 60));
    expect(await jsonOf(refused)).toEqual({ error: translate('de', 'apply.error.tooManyForAddress'), issues: [] });
    expect(await storedCounts()).toEqual({ rows: APPLICATIONS_PER_ADDRESS_PER_DAY, objects: APPLICATIONS_PER_ADDRESS_PER_DAY });
    // Another posting, another address, and the next day in Munich are not bounded by it.
    expect((await handleApplicationApiRequest(from(10, {}, 'last-day-role'), testDeps())).status).toBe(201);
    expect((await handleApplicationApiRequest(from(11, { email: 'grace@example.org' }), testDeps())).status).toBe(201);
    expect((await handleApplicationApiRequest(from(12), testDeps({ now: () => new Date('2026-11-26T23:00:00Z') }))).status).toBe(201);
    // A repeat of a stored application is still answered as such.
    expect((await handleApplicationApiRequest(from(0), testDeps())).headers.get('Idempotent-Replayed')).toBe('true');
  });

  it('cannot pass the bound per address by arriving all at once', async () => {
    const count = APPLICATIONS_PER_ADDRESS_PER_DAY + 3;
    const responses = await Promise.all(
      Array.from({ length: count }, (_, index) => handleApplicationApiRequest(apiRequest(validFields({ motivation: `At once ${index}` }), { cv: { bytes: pdfBytes(2048, index + 1) } }), testDeps())),
    );

    expect(responses.map((response) => response.status).sort()).toEqual([...Array<number>(APPLICATIONS_PER_ADDRESS_PER_DAY).fill(201), ...Array<number>(count - APPLICATIONS_PER_ADDRESS_PER_DAY).fill(429)]);
    expect(await storedCounts()).toEqual({ rows: APPLICATIONS_PER_ADDRESS_PER_DAY, objects: APPLICATIONS_PER_ADDRESS_PER_DAY });
  });

  it('of another applicant is stored as usual', async () => {
    await handleApplicationApiRequest(apiRequest(validFields()), testDeps());
    const other = await handleApplicationApiRequest(apiRequest(validFields({ email: 'grace@example.org' })), testDeps());
    expect(await jsonOf(other)).toMatchObject({ outcome: 'stored' });
    expect(await storedCounts()).toEqual({ rows: 2, objects: 2 });
  });
});

describe('storage failures', () => {
  it('answers 503 with Retry-After and stores no row when the R2 write fails', async () => {
    const bucket = {
      put: async () => {
        throw new Error('R2 internal error: secret-bucket-detail');
      },
      delete: (keys: string | string[]) => env.CV_BUCKET.delete(keys),
    };
    const response = await handleApplicationApiRequest(apiRequest(validFields(), { locale: 'de' }), testDeps({ bucket }));

    expect(response.status).toBe(503);
    expect(response.headers.get('Retry-After')).toBe('30');
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: translate('de', 'apply.error.unavailable'), issues: [] });
    expect(text).not.toContain('secret-bucket-detail');
    expect(await storedCounts()).toEqual({ rows: 0, objects: 0 });
  });

  it('deletes the uploaded CV again and answers 503 when the D1 insert fails', async () => {
    await env.DB.prepare(
      "CREATE TRIGGER fail_insert BEFORE INSERT ON applications BEGIN SELECT RAISE(ABORT, 'disk I/O detail'); END",
    ).run();
    try {
      const logged: string[] = [];
      const response = await handleApplicationApiRequest(
        apiRequest(validFields()),
        testDeps({ log: (entry) => logged.push(entry.event) }),
      );

      expect(response.status).toBe(503);
      expect(await response.text()).not.toMatch(/disk I\/O|RAISE|at .*\.ts/);
      expect(logged).toEqual(['applications.storage-failed']);
      expect(await storedCounts()).toEqual({ rows: 0, objects: 0 });
    } finally {
      await env.DB.prepare('DROP TRIGGER fail_insert').run();
    }
  });

  it('answers 503 when the database cannot be read, before anything is uploaded', async () => {
    const db = {
      prepare: (): never => {
        throw new Error('D1_ERROR: network connection lost');
      },
      batch: (): never => {
        throw new Error('D1_ERROR: network connection lost');
      },
    };
    const response = await handleApplicationApiRequest(apiRequest(validFields()), testDeps({ db }));
    expect(response.status).toBe(503);
    expect(await storedCounts()).toEqual({ rows: 0, objects: 0 });
  });
});

describe('the rate limits', () => {
  const { limit, period } = inject('applicationRateLimit');
  const attempts = inject('applicationAttemptRateLimit');
  // Waits up to 15 s for a fresh window: longer than a hook's default timeout (10 s).
  beforeEach(() => aFreshWindowIfNeeded(Math.max(period, attempts.period)), 30_000);
  // The bindings of wrangler.toml, as in production; each test is its own client.
  const limitedDeps = () =>
    testDeps({
      rateLimiter: env.APPLICATION_RATE_LIMITER,
      attemptRateLimiter: env.APPLICATION_ATTEMPT_RATE_LIMITER,
      settings: validSettings({ rateLimitPeriodSeconds: period }),
    });
  let applicant = 0;
  /** A valid application of a new applicant (own e-mail and CV) from an address. */
  const validFrom = (ip: string, overrides: { email?: string; job?: string; locale?: string } = {}) => {
    applicant += 1;
    return apiRequest(validFields({ email: overrides.email ?? `applicant-${applicant}@example.org` }), {
      headers: { 'CF-Connecting-IP': ip },
      cv: { bytes: pdfBytes(2048, applicant) },
      ...(overrides.job ? { job: overrides.job } : {}),
      ...(overrides.locale ? { locale: overrides.locale } : {}),
    });
  };
  const statusesOf = async (requests: Request[], deps = limitedDeps()) => {
    const statuses: number[] = [];
    for (const request of requests) statuses.push((await handleApplicationApiRequest(request, deps)).status);
    return statuses;
  };

  it('let a client correct typos: answers refused as invalid do not use up the allowance of applications', async () => {
    const deps = limitedDeps();
    const typos = Array.from({ length: limit }, () => apiRequest(validFields({ email: 'ada@example' }), { headers: { 'CF-Connecting-IP': '198.51.100.41' } }));
    expect(await statusesOf(typos, deps)).toEqual(Array<number>(limit).fill(422));
    expect((await handleApplicationApiRequest(validFrom('198.51.100.41'), deps)).status).toBe(201);
  });

  it('answer 429 with Retry-After once a client’s valid applications exceed the limit, and still serve other clients', async () => {
    const deps = limitedDeps();
    const statuses = await statusesOf(Array.from({ length: limit }, () => validFrom('198.51.100.23')), deps);
    const limited = await handleApplicationApiRequest(validFrom('198.51.100.23', { locale: 'de' }), deps);
    const other = await handleApplicationApiRequest(validFrom('198.51.100.99'), deps);

    // The binding of wrangler.toml allows `limit` applications per `period` seconds.
    expect(statuses).toEqual(Array<number>(limit).fill(201));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('Retry-After')).toBe(String(period));
    expect((await jsonOf(limited)).error).toBe(translate('de', 'apply.error.rateLimited', { seconds: period }));
    expect(other.status).toBe(201);
    expect((await storedCounts()).rows).toBe(limit + 1);
  });

  it('answer 429 before reading the body once a client’s attempts, valid or not, exceed the higher attempts limit', async () => {
    const deps = limitedDeps();
    const invalid = () => apiRequest({}, { headers: { 'CF-Connecting-IP': '198.51.100.57', 'Accept-Language': 'de' }, cv: null });
    expect(await statusesOf(Array.from({ length: attempts.limit }, invalid), deps)).toEqual(Array<number>(attempts.limit).fill(422));
    const request = validFrom('198.51.100.57');
    const limited = await handleApplicationApiRequest(new Request(request, { headers: { ...Object.fromEntries(request.headers), 'Accept-Language': 'de' } }), deps);

    expect(attempts.limit).toBeGreaterThan(limit);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('Retry-After')).toBe(String(attempts.period));
    expect((await jsonOf(limited)).error).toBe(translate('de', 'apply.error.tooManyAttempts', { seconds: attempts.period }));
  });

  it('count every address of one IPv6 /64 as one client, and another /64 as another', async () => {
    const deps = limitedDeps();
    const rotated = Array.from({ length: 8 }, (_, index) => validFrom(`2001:db8:4a7:12::${(index + 1).toString(16)}:${index}`));
    expect(await statusesOf(rotated, deps)).toEqual([...Array<number>(limit).fill(201), ...Array<number>(8 - limit).fill(429)]);
    expect((await handleApplicationApiRequest(validFrom('2001:db8:4a7:13::1'), deps)).status).toBe(201);
  });

  it(`leave no way around the ${APPLICATIONS_PER_ADDRESS_PER_DAY} applications per posting, e-mail address and day by changing the client address (429)`, async () => {
    const sameAddress = (index: number, job?: string) => validFrom(`203.0.113.${100 + index}`, { email: 'Jonas@Example.org', locale: 'de', ...(job ? { job } : {}) });
    const statuses = await statusesOf(Array.from({ length: APPLICATIONS_PER_ADDRESS_PER_DAY }, (_, index) => sameAddress(index)));
    const next = await handleApplicationApiRequest(sameAddress(6), limitedDeps());
    const otherPosting = await handleApplicationApiRequest(sameAddress(7, 'last-day-role'), limitedDeps());

    expect(statuses).toEqual(Array<number>(APPLICATIONS_PER_ADDRESS_PER_DAY).fill(201));
    expect(next.status).toBe(429);
    expect((await jsonOf(next)).error).toBe(translate('de', 'apply.error.tooManyForAddress'));
    expect(otherPosting.status).toBe(201);
  });

  it('do not count a retry of a stored application', async () => {
    const headers = { 'CF-Connecting-IP': '198.51.100.77', 'Idempotency-Key': 'retry-me' };
    const requests = Array.from({ length: limit + 2 }, () => apiRequest(validFields({ email: 'retry@example.org' }), { headers }));
    expect(await statusesOf(requests)).toEqual(Array<number>(limit + 2).fill(201));
  });
});

describe('postings', () => {
  it('answers 404 for an unknown posting', async () => {
    const response = await handleApplicationApiRequest(apiRequest(validFields(), { job: 'no-such-role', locale: 'de' }), testDeps());
    expect(response.status).toBe(404);
    expect((await jsonOf(response)).error).toBe(translate('de', 'apply.error.notFound'));
  });

  it('answers 404 for a draft posting', async () => {
    const result = await submitApplication(postForm(FORM_URL, formBody(validFields())), { locale: 'en', jobSlug: 'draft-role' }, testDeps());
    expect(result).toMatchObject({ outcome: 'refused', status: 404 });
  });

  it('answers 410 for a closed posting', async () => {
    const response = await handleApplicationApiRequest(apiRequest(validFields(), { job: 'closed-role' }), testDeps());
    expect(response.status).toBe(410);
    expect((await jsonOf(response)).error).toBe(translate('en', 'apply.error.closed'));
    expect(await storedCounts()).toEqual({ rows: 0, objects: 0 });
  });

  it('answers 410 once the validThrough day has passed in Berlin', async () => {
    const response = await handleApplicationApiRequest(apiRequest(validFields(), { job: 'expired-role' }), testDeps());
    expect(response.status).toBe(410);
  });

  it('still takes applications on the validThrough day itself', async () => {
    const response = await handleApplicationApiRequest(apiRequest(validFields(), { job: 'last-day-role' }), testDeps());
    expect(response.status).toBe(201);
  });

  it('checks the posting at request time, not at build time', async () => {
    const afterMidnight = () => new Date('2026-11-26T23:30:00Z'); // 00:30 on 27 November in Berlin
    const response = await handleApplicationApiRequest(apiRequest(validFields({ startDate: '2027-01-04' }), { job: 'last-day-role' }), testDeps({ now: afterMidnight }));
    expect(response.status).toBe(410);
  });
});

describe('request format', () => {
  it('answers 415 with Accept-Post for a JSON body', async () => {
    const request = new Request(API_URL, {
      method: 'POST',
      body: JSON.stringify({ ...validFields(), job: 'machine-learning-intern' }),
      headers: { 'Content-Type': 'application/json', 'Accept-Language': 'de-DE,de;q=0.9' },
    });
    const response = await handleApplicationApiRequest(request, testDeps());

    expect(response.status).toBe(415);
    expect(response.headers.get('Accept-Post')).toBe('multipart/form-data');
    expect((await jsonOf(response)).error).toBe(translate('de', 'apply.error.unsupportedMediaType'));
  });

  it('answers 400 with the documented problem, in the visitor’s language, to a multipart body that cannot be read', async () => {
    const request = new Request(API_URL, {
      method: 'POST',
      body: '--cut\r\nContent-Disposition: form-data; name="firstName"\r\n\r\nAda',
      headers: { 'Content-Type': 'multipart/form-data; boundary=cut', 'Accept-Language': 'de-DE,de;q=0.9' },
    });
    const response = await handleApplicationApiRequest(request, testDeps());

    expect(response.status).toBe(400);
    expect(await jsonOf(response)).toEqual({ error: translate('de', 'apply.error.malformed'), issues: [] });
    expect(await storedCounts()).toEqual({ rows: 0, objects: 0 });
  });

  it('answers 400 to an Idempotency-Key longer than 255 characters', async () => {
    const response = await handleApplicationApiRequest(apiRequest(validFields(), { headers: { 'Idempotency-Key': 'k'.repeat(256) } }), testDeps());
    expect(response.status).toBe(400);
    expect(await jsonOf(response)).toEqual({ error: translate('en', 'apply.error.malformed'), issues: [] });
    expect(await storedCounts()).toEqual({ rows: 0, objects: 0 });
  });

  it('answers 415 to the form route for a url-encoded body (a file cannot be in it)', async () => {
    const request = new Request(FORM_URL, { method: 'POST', body: new URLSearchParams(validFields()) });
    const result = await submitApplication(request, { locale: 'en', jobSlug: 'machine-learning-intern' }, testDeps());
    expect(result).toMatchObject({ outcome: 'refused', status: 415 });
  });

  it('answers 422 naming the locale field when the API is asked for an unsupported locale', async () => {
    const response = await handleApplicationApiRequest(apiRequest(validFields(), { locale: 'fr' }), testDeps());
    expect(response.status).toBe(422);
    expect((await jsonOf(response)).issues).toEqual([{ field: 'locale', message: translate('en', 'apply.error.locale', { locales: 'en, de' }) }]);
  });

  it('answers 422 naming the job field when the API request names no posting', async () => {
    const response = await handleApplicationApiRequest(apiRequest(validFields(), { job: '' }), testDeps());
    expect((await jsonOf(response)).issues).toEqual([{ field: 'job', message: translate('en', 'form.error.required') }]);
  });
});

describe('Turnstile', () => {
  /** A stand-in for siteverify that behaves like Cloudflare's test secret keys and spends tokens. */
  function fakeSiteverify() {
    const spent = new Set<string>();
    const calls: Array<{ secret: string; response: string }> = [];
    const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      expect(String(input)).toBe(SITEVERIFY_URL);
      const body = init?.body instanceof FormData ? init.body : new FormData();
      const secret = String(body.get('secret'));
      const token = String(body.get('response'));
      calls.push({ secret, response: token });
      if (secret === '2x0000000000000000000000000000000AA') return Response.json({ success: false, 'error-codes': ['invalid-input-response'] });
      if (secret === '3x0000000000000000000000000000000AA' || spent.has(token)) {
        return Response.json({ success: false, 'error-codes': ['timeout-or-duplicate'] });
      }
      spent.add(token);
      return Response.json({ success: true, 'error-codes': [] });
    };
    return { fetch, calls };
  }
  const PASSES = '1x0000000000000000000000000000000AA';

  it('accepts an application whose token siteverify confirms, sending the secret and the token', async () => {
    const siteverify = fakeSiteverify();
    const response = await handleApplicationApiRequest(
      apiRequest(validFields({ 'cf-turnstile-response': 'XXXX.DUMMY.TOKEN.XXXX' })),
      testDeps({ settings: withTurnstile(PASSES), fetch: siteverify.fetch }),
    );
    expect(response.status).toBe(201);
    expect(siteverify.calls).toEqual([{ secret: PASSES, response: 'XXXX.DUMMY.TOKEN.XXXX' }]);
  });

  it('refuses with a localized message beside the widget when siteverify fails the token', async () => {
    const siteverify = fakeSiteverify();
    const response = await handleApplicationApiRequest(
      apiRequest(validFields({ 'cf-turnstile-response': 'XXXX.DUMMY.TOKEN.XXXX' }), { locale: 'de' }),
      testDeps({ settings: withTurnstile('2x0000000000000000000000000000000AA'), fetch: siteverify.fetch }),
    );
    expect(response.status).toBe(422);
    expect((await jsonOf(response)).issues).toEqual([{ field: 'cf-turnstile-response', message: translate('de', 'form.error.turnstile') }]);
    expect(await storedCounts()).toEqual({ rows: 0, objects: 0 });
  });

  it('refuses a missing token without asking siteverify', async () => {
    const siteverify = fakeSiteverify();
    const response = await handleApplicationApiRequest(apiRequest(validFields()), testDeps({ settings: withTurnstile(PASSES), fetch: siteverify.fetch }));
    expect(response.status).toBe(422);
    expect(siteverify.calls).toEqual([]);
  });

  it('refuses a token that was already spent on another application', async () => {
    const siteverify = fakeSiteverify();
    const deps = testDeps({ settings: withTurnstile(PASSES), fetch: siteverify.fetch });
    const token = { 'cf-turnstile-response': 'XXXX.DUMMY.TOKEN.XXXX' };
    const first = await handleApplicationApiRequest(apiRequest(validFields(token)), deps);
    const replay = await handleApplicationApiRequest(apiRequest(validFields({ ...token, email: 'bot@example.org' }), { cv: { bytes: pdfBytes(3000, 9) } }), deps);

    expect(first.status).toBe(201);
    expect(replay.status).toBe(422);
    expect(await storedCounts()).toEqual({ rows: 1, objects: 1 });
  });

  it('refuses with the test key that reports every token as spent', async () => {
    const siteverify = fakeSiteverify();
    const response = await handleApplicationApiRequest(
      apiRequest(validFields({ 'cf-turnstile-response': 'XXXX.DUMMY.TOKEN.XXXX' })),
      testDeps({ settings: withTurnstile('3x0000000000000000000000000000000AA'), fetch: siteverify.fetch }),
    );
    expect(response.status).toBe(422);
  });

  it('returns the first reference for a double click that repeats the spent token', async () => {
    const siteverify = fakeSiteverify();
    const deps = testDeps({ settings: withTurnstile(PASSES), fetch: siteverify.fetch });
    const fields = validFields({ 'cf-turnstile-response': 'XXXX.DUMMY.TOKEN.XXXX' });
    const first = await handleApplicationApiRequest(apiRequest(fields), deps);
    const second = await handleApplicationApiRequest(apiRequest(fields), deps);

    expect(second.status).toBe(201);
    expect((await jsonOf(second)).reference).toBe((await jsonOf(first)).reference);
    expect(siteverify.calls).toHaveLength(1);
  });

  it('answers 503 when siteverify cannot be reached', async () => {
    const response = await handleApplicationApiRequest(
      apiRequest(validFields({ 'cf-turnstile-response': 'XXXX.DUMMY.TOKEN.XXXX' })),
      testDeps({ settings: withTurnstile(PASSES), fetch: async () => { throw new TypeError('fetch failed'); } }),
    );
    expect(response.status).toBe(503);
    expect(response.headers.get('Retry-After')).toBe('30');
  });

  describe('with a production secret', () => {
    const SECRET = 'a-production-secret-0123456789abcdef';
    /** siteverify confirming every token, for the hostname and action given. */
    const confirming = (answer: { hostname?: string; action?: string }) => async () => Response.json({ success: true, 'error-codes': [], ...answer });

    it.each([
      ['the host the form was posted to', 'careers.example'],
      ['the public site’s host', 'jobs.example.com'],
    ])('accepts a token solved on %s for the form’s action', async (_where, hostname) => {
      const deps = testDeps({
        settings: validSettings({ turnstile: { secretKey: SECRET, hostnames: ['jobs.example.com'], action: 'apply' } }),
        fetch: confirming({ hostname, action: 'apply' }),
      });
      const response = await handleApplicationApiRequest(apiRequest(validFields({ 'cf-turnstile-response': 'token' })), deps);
      expect(response.status).toBe(201);
    });

    it.each([
      ['on another site', { hostname: 'evil.example', action: 'apply' }, 'hostname-mismatch'],
      ['without a hostname', { action: 'apply' }, 'hostname-mismatch'],
      ['for another action', { hostname: 'careers.example', action: 'login' }, 'action-mismatch'],
    ])('refuses a token solved %s, beside the widget, and logs why', async (_case, answer, code) => {
      const logs: unknown[] = [];
      const deps = testDeps({
        settings: validSettings({ turnstile: { secretKey: SECRET, hostnames: ['jobs.example.com'], action: 'apply' } }),
        fetch: confirming(answer),
        log: (entry) => logs.push(entry),
      });
      const response = await handleApplicationApiRequest(apiRequest(validFields({ 'cf-turnstile-response': 'token' }), { locale: 'de' }), deps);

      expect(response.status).toBe(422);
      expect((await jsonOf(response)).issues).toEqual([{ field: 'cf-turnstile-response', message: translate('de', 'form.error.turnstile') }]);
      expect(logs).toEqual([{ level: 'warn', event: 'applications.turnstile-refused', errorCodes: [code] }]);
      expect(await storedCounts()).toEqual({ rows: 0, objects: 0 });
    });
  });
});

describe('a deployment without a privacy notice', () => {
  it('refuses with 503 and reports the missing page, not a storage failure, storing nothing', async () => {
    const logs: unknown[] = [];
    const response = await handleApplicationApiRequest(
      apiRequest(validFields()),
      testDeps({ privacyNoticeVersion: () => undefined, log: (entry) => logs.push(entry) }),
    );
    expect(response.status).toBe(503);
    expect(logs).toEqual([{ level: 'error', event: 'applications.privacy-notice-missing', locale: 'en' }]);
    expect(await storedCounts()).toEqual({ rows: 0, objects: 0 });
  });
});

describe('invalid settings', () => {
  const invalid = { ok: false, problems: [{ variable: 'TURNSTILE_SECRET_KEY', message: 'missing' }] } as const;

  it('refuse every application with 503 and the localized “unavailable” message, storing nothing and logging nothing more', async () => {
    const logs: unknown[] = [];
    const deps = testDeps({ settings: invalid, log: (entry) => logs.push(entry) });
    // Refused before the body is read: in the language the request's headers ask for.
    const api = await handleApplicationApiRequest(apiRequest(validFields(), { locale: 'de', headers: { 'Accept-Language': 'de' } }), deps);
    const form = await submitApplication(postForm(FORM_URL, formBody(validFields())), { locale: 'en', jobSlug: 'machine-learning-intern' }, deps);

    expect(api.status).toBe(503);
    expect(api.headers.get('Retry-After')).toBe('30');
    expect(await jsonOf(api)).toEqual({ error: translate('de', 'apply.error.unavailable'), issues: [] });
    expect(form).toEqual({ outcome: 'refused', status: 503, message: translate('en', 'apply.error.unavailable'), retryAfter: 30 });
    expect(logs).toEqual([]);
    expect(await storedCounts()).toEqual({ rows: 0, objects: 0 });
  });
});
