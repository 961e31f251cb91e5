/** Fixtures for the functions tests: requests, a PDF, stored rows, the composition root's parts. */
import { env } from 'cloudflare:workers';
import { generateReference } from '#functions/applications/reference.ts';
import type { ApplicationSettings } from '#functions/applications/settings.ts';
import type { ApplicationDeps, JobFacts } from '#functions/applications/submission.ts';
import { sha256Hex } from '#functions/encoding.ts';
import { applicantTokenSha256, newApplicantToken } from '#functions/applicants/link.ts';
import { createApplicationStore, recordProcessEnd, submissionKeys, type StoredAnswers } from '#functions/storage/applications.ts';
import type { DeliveryChannel } from '#functions/storage/deliveries.ts';
import { LOCALES, type Locale } from '#src/i18n/locales.ts';
import { translate } from '#src/i18n/ui.ts';

/** The production translation (src/i18n/ui.ts), so messages are asserted as visitors read them. */
export { translate };

export type TestLocale = Locale;

/** "Now" in every test: 26 November 2026, 11:00 in Berlin. */
export const NOW = new Date('2026-11-26T10:00:00Z');

/** Postings the fake content knows. */
export const JOBS: Record<string, JobFacts> = {
  'machine-learning-intern': { status: 'open', title: 'Machine Learning Intern' },
  'closed-role': { status: 'closed', title: 'Closed role' },
  'draft-role': { status: 'draft', title: 'Draft role' },
  'expired-role': { status: 'open', title: 'Expired role', validThrough: new Date('2026-11-25T00:00:00Z') },
  'last-day-role': { status: 'open', title: 'Last day role', validThrough: new Date('2026-11-26T00:00:00Z') },
};

/** Valid applications settings, with anything replaced per test. */
export function validSettings(overrides: Partial<ApplicationSettings> = {}): ApplicationDeps<TestLocale>['settings'] {
  return { ok: true, value: { rateLimitPeriodSeconds: 60, ...overrides } };
}

/** Valid settings with Turnstile on, checked with this secret. */
export function withTurnstile(secretKey: string): ApplicationDeps<TestLocale>['settings'] {
  return validSettings({ turnstile: { secretKey, hostnames: ['careers.example'], action: 'apply' } });
}

/** Dependencies over the real local D1 and R2; anything can be replaced per test. */
export function testDeps(overrides: Partial<ApplicationDeps<TestLocale>> = {}): ApplicationDeps<TestLocale> {
  return {
    db: env.DB,
    bucket: env.CV_BUCKET,
    settings: validSettings(),
    now: () => NOW,
    findJob: (slug) => JOBS[slug],
    translate,
    applicantPath: (locale, token) => `/${locale}/application/${token}/`,
    privacyNoticeVersion: (locale) => `2026-11-26-${locale}`,
    locales: LOCALES,
    defaultLocale: 'en',
    log: () => {},
    ...overrides,
  };
}

/** A small but real-looking PDF of `size` bytes. */
export function pdfBytes(size = 2048, seed = 0): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  const head = new TextEncoder().encode(`%PDF-1.7\n%${seed}\n`);
  bytes.set(head);
  for (let index = head.length; index < size; index += 1) bytes[index] = (index * 31 + seed) % 251;
  return bytes;
}

/** The answers of a valid application; tests change single fields. */
export function validFields(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const fields: Record<string, string | undefined> = {
    firstName: 'Ada',
    lastName: 'Lovelace',
    email: 'ada@example.org',
    phone: '+49 89 1234567',
    university: 'Technical University of Munich',
    degree: 'master',
    graduation: '2027-07',
    startDate: '2027-03-01',
    durationMonths: '6',
    links: 'https://github.com/ada\nhttps://www.linkedin.com/in/ada',
    motivation: 'I would love to work on gaze tracking.',
    privacy: 'yes',
    talentPool: 'yes',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** The form's multipart body: text fields and (unless null) a CV file. */
export function formBody(
  fields: Record<string, string>,
  cv: { bytes: Uint8Array<ArrayBuffer>; name?: string; type?: string } | null = { bytes: pdfBytes() },
): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  if (cv) form.append('cv', new File([cv.bytes], cv.name ?? 'Ada Lovelace CV.pdf', { type: cv.type ?? 'application/pdf' }));
  return form;
}

/** A POST of the form to a URL, from a client IP. */
export function postForm(
  url: string,
  form: FormData,
  headers: Record<string, string> = {},
): Request {
  return new Request(url, { method: 'POST', body: form, headers: { 'CF-Connecting-IP': '203.0.113.7', ...headers } });
}

export const API_URL = 'https://careers.example/api/applications';
export const FORM_URL = 'https://careers.example/en/jobs/machine-learning-intern/apply';

/** An API request: the form plus job and locale. */
export function apiRequest(
  fields: Record<string, string>,
  options: { job?: string; locale?: string; cv?: Parameters<typeof formBody>[1]; headers?: Record<string, string> } = {},
): Request {
  const all = { ...fields, job: options.job ?? 'machine-learning-intern', ...(options.locale === undefined ? { locale: 'en' } : options.locale === '' ? {} : { locale: options.locale }) };
  return postForm(API_URL, formBody(all, options.cv), options.headers);
}

/** The answers of a stored application, as the form schema would have produced them. */
export function storedAnswers(overrides: Partial<StoredAnswers> = {}): StoredAnswers {
  return {
    firstName: 'Ada',
    lastName: 'Lovelace',
    email: 'ada@example.org',
    university: 'Technical University of Munich',
    degree: 'master',
    graduation: '2027-07',
    startDate: '2027-03-01',
    durationMonths: 6,
    links: [],
    ...overrides,
  };
}

let seeded = 0;

/**
 * Stores an application through the storage module, as a submission at `createdAt` would:
 * its CV in R2 (stamped with that upload time), its row, its applicant link and outbox rows
 * for `channels` in D1; a recorded process end when given. Returns its reference, CV key and
 * the link's token.
 */
export async function seedApplication(seed: {
  createdAt: string;
  processEndedAt?: string;
  talentPool?: boolean;
  answers?: Partial<StoredAnswers>;
  cv?: Uint8Array<ArrayBuffer>;
  channels?: readonly DeliveryChannel[];
  jobSlug?: string;
}): Promise<{ reference: string; cvKey: string; token: string }> {
  seeded += 1;
  const answers = storedAnswers({ email: `seed-${seeded}@example.org`, ...seed.answers });
  const cv = seed.cv ?? pdfBytes(1024, seeded);
  const cvSha256 = await sha256Hex(cv);
  const store = createApplicationStore(env.DB, env.CV_BUCKET, {
    newReference: generateReference,
    onCleanupFailure: (cvKey, error) => {
      throw new Error(`seeding left ${cvKey} behind`, { cause: error });
    },
    deliveryChannels: seed.channels,
  });
  const jobSlug = seed.jobSlug ?? 'machine-learning-intern';
  const talentPool = seed.talentPool ?? false;
  const token = newApplicantToken();
  const saved = await store.save(
    {
      jobSlug,
      locale: 'en',
      answers,
      privacyNoticeVersion: '2026-11-26-en',
      talentPool,
      cv: { bytes: cv, sha256: cvSha256 },
      keys: await submissionKeys({ jobSlug, answers, talentPool, cvSha256 }),
      applicantLinkSha256: await applicantTokenSha256(token),
      now: new Date(seed.createdAt),
    },
    // Seeding is not bounded per address: tests seed what they need.
    { since: new Date(seed.createdAt), max: Number.MAX_SAFE_INTEGER },
  );
  if (saved.status !== 'stored') throw new Error('seeding clashed with a stored application');
  if (seed.processEndedAt) await recordProcessEnd(env.DB, saved.reference, new Date(seed.processEndedAt));
  return { reference: saved.reference, cvKey: saved.cvKey, token };
}

/** Removes every application, CV, delivery, link, audit entry and saved scan position, so each test starts empty. */
export async function clearStorage(): Promise<void> {
  await env.DB.batch(['applications', 'deliveries', 'applicant_links', 'audit_log', 'scan_cursors'].map((table) => env.DB.prepare(`DELETE FROM ${table}`)));
  const listed = await env.CV_BUCKET.list();
  if (listed.objects.length) await env.CV_BUCKET.delete(listed.objects.map((object) => object.key));
}

/** How many rows and CV objects are stored. */
export async function storedCounts(): Promise<{ rows: number; objects: number }> {
  const row = await env.DB.prepare('SELECT count(*) AS n FROM applications').first<{ n: number }>();
  const listed = await env.CV_BUCKET.list();
  return { rows: row?.n ?? 0, objects: listed.objects.length };
}

/** SHA-256 hex of bytes, computed independently of the code under test. */
export async function sha256(bytes: ArrayBuffer | Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
