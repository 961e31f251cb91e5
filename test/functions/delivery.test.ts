import { env } from 'cloudflare:workers';
import { Webhook } from 'standardwebhooks';
import { beforeEach, describe, expect, it } from 'vitest';
import { handleApplicationApiRequest } from '#functions/applications/handler.ts';
import {
  BACKOFF_MAX_SECONDS,
  handleDeliveryBatch,
  MAX_ATTEMPTS,
  MISCONFIGURED_RETRY_SECONDS,
  sweepPendingDeliveries,
  type DeliveryDeps,
  type DeliveryLogEntry,
  type DeliveryMessage,
} from '#functions/delivery/handler.ts';
import { purgeExpiredApplications } from '#functions/retention/purge.ts';
import { changeStatus } from '#functions/storage/applications.ts';
import { APPLICANT_ACTOR } from '#functions/storage/audit.ts';
import { deleteApplications } from '#functions/storage/deletion.ts';
import { apiRequest, clearStorage, NOW, pdfBytes, seedApplication, sha256, testDeps, validFields } from './support.ts';

const WEBHOOK_URL = 'https://hr.example.com/careers-webhook';
/** A Standard Webhooks secret: `whsec_` and 32 bytes in base64. */
const WEBHOOK_SECRET = `whsec_${btoa('0123456789abcdef0123456789abcdef')}`;
const INBOX = 'https://careers.example/recruiters/applications/';
const FROM = 'careers@example.com';
const TO = 'recruiting@example.com';

interface DeliveryRow {
  event_type: string;
  channel: 'email' | 'webhook';
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
}

async function deliveriesOf(reference: string): Promise<DeliveryRow[]> {
  const { results } = await env.DB.prepare(
    'SELECT event_type, channel, status, attempts, next_attempt_at, last_error, created_at, delivered_at FROM deliveries WHERE application_reference = ? ORDER BY id',
  )
    .bind(reference)
    .all<DeliveryRow>();
  return results;
}

async function deliveryCount(): Promise<number> {
  return (await env.DB.prepare('SELECT count(*) AS n FROM deliveries').first<{ n: number }>())?.n ?? 0;
}

/** Submits a valid application through the JSON API with both channels; returns its reference. */
async function submit(
  options: { cv?: Uint8Array<ArrayBuffer>; notify?: (reference: string) => void | Promise<void>; fields?: Record<string, string> } = {},
): Promise<string> {
  const response = await handleApplicationApiRequest(
    apiRequest(options.fields ?? validFields(), { cv: { bytes: options.cv ?? pdfBytes(3000, 5) } }),
    testDeps({ deliveryChannels: ['email', 'webhook'], notifyDelivery: options.notify }),
  );
  expect(response.status).toBe(201);
  return ((await response.json()) as { reference: string }).reference;
}

/** A Queue message that records whether it was acknowledged or retried. */
function fakeMessage(body: unknown) {
  const message = {
    id: crypto.randomUUID(),
    timestamp: NOW,
    body,
    attempts: 1,
    acked: false,
    retried: undefined as QueueRetryOptions | undefined,
    ack() {
      message.acked = true;
    },
    retry(options?: QueueRetryOptions) {
      message.retried = options ?? {};
    },
  };
  return message;
}

function fakeBatch(messages: ReturnType<typeof fakeMessage>[]): MessageBatch<unknown> {
  return {
    messages,
    queue: 'careers-deliveries',
    metadata: { metrics: { backlogCount: 0, backlogBytes: 0 } },
    retryAll: () => messages.forEach((message) => message.retry()),
    ackAll: () => messages.forEach((message) => message.ack()),
  };
}

interface SentEmail {
  from: string;
  to: string;
  raw: string;
}
interface WebhookCall {
  url: string;
  headers: Headers;
  body: string;
}

/** Consumer deps over the real local D1 and R2, recording e-mails and webhook calls. */
function consumer(options: { webhookStatus?: () => number; clock?: { now: Date }; jobTitle?: string; attachApplication?: boolean } = {}) {
  const emails: SentEmail[] = [];
  const calls: WebhookCall[] = [];
  const logs: DeliveryLogEntry[] = [];
  const clock = options.clock ?? { now: NOW };
  const deps: DeliveryDeps = {
    db: env.DB,
    bucket: env.CV_BUCKET,
    now: () => clock.now,
    email: {
      from: FROM,
      to: TO,
      send: async (from, to, raw) => {
        emails.push({ from, to, raw });
      },
    },
    webhook: {
      url: WEBHOOK_URL,
      secret: WEBHOOK_SECRET,
      fetch: async (input, init) => {
        const request = new Request(input, init);
        calls.push({ url: request.url, headers: request.headers, body: await request.text() });
        return new Response('ok', { status: options.webhookStatus?.() ?? 200 });
      },
    },
    jobTitle: () => options.jobTitle ?? 'Machine Learning Intern',
    inboxUrl: (reference) => `${INBOX}${reference}/`,
    attachApplication: options.attachApplication,
    log: (entry) => logs.push(entry),
  };
  const deliver = async (reference: string) => {
    const message = fakeMessage({ reference } satisfies DeliveryMessage);
    await handleDeliveryBatch(fakeBatch([message]), deps);
    return message;
  };
  return { deps, emails, calls, logs, clock, deliver };
}

// ─── A MIME reader written for the test, independent of functions/delivery/mime.ts ───────────

interface MimePart {
  headers: Map<string, string>;
  body: string;
}

function parseHeaders(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  // Unfold continuation lines (CRLF followed by whitespace), then one header per line.
  for (const line of block.replace(/\r\n[ \t]/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    expect(colon, `header line without a colon: ${JSON.stringify(line)}`).toBeGreaterThan(0);
    const name = line.slice(0, colon).toLowerCase();
    expect(headers.has(name), `repeated header ${name}`).toBe(false);
    headers.set(name, line.slice(colon + 1).trim());
  }
  return headers;
}

function parsePart(text: string): MimePart {
  const split = text.indexOf('\r\n\r\n');
  return { headers: parseHeaders(text.slice(0, split)), body: text.slice(split + 4) };
}

function parseMessage(raw: string): { headers: Map<string, string>; parts: MimePart[] } {
  expect(raw).not.toMatch(/[^\r]\n/);
  const { headers, body } = parsePart(raw);
  const boundary = /^multipart\/mixed; boundary="([^"]+)"$/.exec(headers.get('content-type') ?? '')?.[1];
  expect(boundary).toBeDefined();
  const sections = body.split(`--${boundary}`);
  // Preamble, the parts, and the epilogue after the closing delimiter `--boundary--`.
  expect(sections.at(-1)).toBe('--\r\n');
  const parts = sections.slice(1, -1).map((section) => parsePart(section.replace(/^\r\n/, '').replace(/\r\n$/, '')));
  return { headers, parts };
}

/** A message without attachment: one text part, base64. Returns its headers and decoded text. */
function parseTextMessage(raw: string): { headers: Map<string, string>; text: string } {
  expect(raw).not.toMatch(/[^\r]\n/);
  const { headers, body } = parsePart(raw);
  expect(headers.get('content-type')).toBe('text/plain; charset=UTF-8');
  expect(headers.get('content-transfer-encoding')).toBe('base64');
  return { headers, text: new TextDecoder().decode(decodeBase64(body.replace(/\r\n$/, ''))) };
}

/** The event id the outbox gave an application's first delivery. */
async function eventIdOf(reference: string, event = 'application.created'): Promise<string> {
  const row = await env.DB.prepare('SELECT event_id FROM deliveries WHERE application_reference = ?1 AND event_type = ?2 LIMIT 1').bind(reference, event).first<{ event_id: string }>();
  return row?.event_id ?? '';
}

function decodeBase64(text: string): Uint8Array {
  for (const line of text.split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
  return Uint8Array.from(atob(text.replace(/\r\n/g, '')), (character) => character.charCodeAt(0));
}

function decodeEncodedWords(value: string): string {
  const words = value.split(/\s+/);
  return words
    .map((word) => {
      const match = /^=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=$/.exec(word);
      expect(match, `not an encoded-word: ${word}`).not.toBeNull();
      expect(word.length).toBeLessThanOrEqual(75);
      return match![1]!;
    })
    .map((encoded) => new TextDecoder().decode(decodeBase64(encoded)))
    .join('');
}

beforeEach(clearStorage);

describe('the outbox', () => {
  it('gets one pending row per configured channel in the same write as the application, and the queue is notified', async () => {
    const notified: string[] = [];
    const reference = await submit({ notify: (value) => void notified.push(value) });

    expect(notified).toEqual([reference]);
    expect(await deliveriesOf(reference)).toEqual([
      { event_type: 'application.created', channel: 'email', status: 'pending', attempts: 0, next_attempt_at: NOW.toISOString(), last_error: null, created_at: NOW.toISOString(), delivered_at: null },
      { event_type: 'application.created', channel: 'webhook', status: 'pending', attempts: 0, next_attempt_at: NOW.toISOString(), last_error: null, created_at: NOW.toISOString(), delivered_at: null },
    ]);
  });

  it('gets no rows and the queue no message for a duplicate submission', async () => {
    const notified: string[] = [];
    const first = await submit({ notify: (value) => void notified.push(value) });
    const second = await submit({ notify: (value) => void notified.push(value) });

    expect(second).toBe(first);
    expect(notified).toEqual([first]);
    expect(await deliveryCount()).toBe(2);
  });

  it('gets no rows when no channel is configured', async () => {
    const response = await handleApplicationApiRequest(apiRequest(validFields()), testDeps({ deliveryChannels: [] }));
    expect(response.status).toBe(201);
    expect(await deliveryCount()).toBe(0);
  });

  it('keeps neither the application nor its deliveries nor the CV when the outbox insert fails', async () => {
    await env.DB.prepare("CREATE TRIGGER fail_delivery BEFORE INSERT ON deliveries BEGIN SELECT RAISE(ABORT, 'outbox detail'); END").run();
    try {
      const notified: string[] = [];
      const response = await handleApplicationApiRequest(
        apiRequest(validFields()),
        testDeps({ deliveryChannels: ['email'], notifyDelivery: (reference) => void notified.push(reference) }),
      );
      expect(response.status).toBe(503);
      expect(notified).toEqual([]);
      expect((await env.DB.prepare('SELECT count(*) AS n FROM applications').first<{ n: number }>())?.n).toBe(0);
      expect(await deliveryCount()).toBe(0);
      expect((await env.CV_BUCKET.list()).objects).toEqual([]);
    } finally {
      await env.DB.prepare('DROP TRIGGER fail_delivery').run();
    }
  });

  it('accepts the application and logs when the queue cannot be reached; the rows stay pending for the sweep', async () => {
    const logged: string[] = [];
    const response = await handleApplicationApiRequest(
      apiRequest(validFields()),
      testDeps({
        deliveryChannels: ['email', 'webhook'],
        notifyDelivery: async () => {
          throw new Error('Queue send failed');
        },
        log: (entry) => logged.push(entry.event),
      }),
    );
    expect(response.status).toBe(201);
    expect(logged).toEqual(['applications.delivery-enqueue-failed']);
    const { reference } = (await response.json()) as { reference: string };
    expect((await deliveriesOf(reference)).map((row) => row.status)).toEqual(['pending', 'pending']);
  });
});

describe('the consumer', () => {
  it('e-mails the recruiters once with the reference, the posting and the inbox link, and by default nothing personal', async () => {
    const reference = await submit({ fields: validFields({ firstName: 'Zoë', lastName: 'Müller-Łukasiewicz' }) });
    const { emails, deliver } = consumer();

    const message = await deliver(reference);

    expect(message.acked).toBe(true);
    expect(message.retried).toBeUndefined();
    expect(emails).toHaveLength(1);
    const [email] = emails;
    expect(email!.from).toBe(FROM);
    expect(email!.to).toBe(TO);
    const { headers, text } = parseTextMessage(email!.raw);
    // No Reply-To: the applicant's address would be personal data in the mailbox.
    expect([...headers.keys()].sort()).toEqual(['content-transfer-encoding', 'content-type', 'date', 'from', 'message-id', 'mime-version', 'subject', 'to']);
    expect(headers.get('date')).toBe('Thu, 26 Nov 2026 10:00:00 +0000');
    expect(headers.get('message-id')).toBe(`<${await eventIdOf(reference)}@example.com>`);
    expect(decodeEncodedWords(headers.get('subject')!)).toBe(`Application ${reference}: Machine Learning Intern`);
    expect(text).toContain(`Reference:      ${reference}`);
    expect(text).toContain('A new application for Machine Learning Intern (machine-learning-intern).');
    expect(text).toContain(`Open it in the inbox: ${INBOX}${reference}/`);
    expect(text).not.toMatch(/Zoë|Müller|ada@example\.org|Technical University|gaze|github/);
  });

  it('attaches the answers and the exact CV as <reference>.pdf only when RECRUITER_EMAIL_ATTACH_APPLICATION asks for it, saying retention cannot delete them', async () => {
    const cv = pdfBytes(5000, 9);
    const reference = await submit({ cv, fields: validFields({ firstName: 'Zoë', lastName: 'Müller-Łukasiewicz' }) });
    const { emails, deliver } = consumer({ attachApplication: true });

    await deliver(reference);

    const { headers, parts } = parseMessage(emails[0]!.raw);
    expect([...headers.keys()].sort()).toEqual(['content-type', 'date', 'from', 'message-id', 'mime-version', 'reply-to', 'subject', 'to']);
    expect(headers.get('reply-to')).toBe('ada@example.org');
    expect(parts).toHaveLength(2);
    const [text, attachment] = parts;
    const summary = new TextDecoder().decode(decodeBase64(text!.body));
    expect(summary).toContain(`Reference:      ${reference}`);
    expect(summary).toContain('Name:           Zoë Müller-Łukasiewicz');
    expect(summary).toContain('E-mail:         ada@example.org');
    expect(summary).toContain('Duration:       6 months');
    expect(summary).toContain('Talent pool:    yes');
    expect(summary).toContain('  https://github.com/ada');
    expect(summary).toContain('I would love to work on gaze tracking.');
    expect(summary).toContain(`Open it in the inbox: ${INBOX}${reference}/`);
    expect(summary).toContain('Retention cannot delete copies in mailboxes');

    expect(attachment!.headers.get('content-type')).toBe(`application/pdf; name="${reference}.pdf"`);
    expect(attachment!.headers.get('content-disposition')).toBe(`attachment; filename="${reference}.pdf"`);
    expect(decodeBase64(attachment!.body)).toEqual(cv);
  });

  it('calls the webhook once as Standard Webhooks define it: the standardwebhooks library verifies it, and refuses it with another secret or a changed body', async () => {
    const cv = pdfBytes(4000, 3);
    const reference = await submit({ cv });
    // Signed at the real time: the library refuses timestamps more than 5 minutes away.
    const now = new Date();
    const { calls, deliver } = consumer({ clock: { now } });

    await deliver(reference);

    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(call!.url).toBe(WEBHOOK_URL);
    expect(call!.headers.get('Content-Type')).toBe('application/json');
    const headers = Object.fromEntries(['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((name) => [name, call!.headers.get(name) ?? '']));
    expect(headers['webhook-id']).toBe(await eventIdOf(reference));
    expect(headers['webhook-timestamp']).toBe(String(Math.floor(now.getTime() / 1000)));
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(call!.headers.get('X-Careers-Signature')).toBeNull();

    const payload = new Webhook(WEBHOOK_SECRET).verify(call!.body, headers);
    expect(payload).toMatchObject({
      type: 'application.created',
      timestamp: now.toISOString(),
      data: {
        reference,
        job: { slug: 'machine-learning-intern', title: 'Machine Learning Intern' },
        locale: 'en',
        status: 'new',
        answers: { firstName: 'Ada', email: 'ada@example.org', durationMonths: 6 },
        consent: { privacyNoticeVersion: '2026-11-26-en', privacyConsentedAt: NOW.toISOString(), talentPool: true },
        cv: { contentType: 'application/pdf', size: 4000, sha256: await sha256(cv) },
        submittedAt: NOW.toISOString(),
      },
    });
    // Nothing ties it to other applications with the same e-mail address (anyone can type one).
    expect(Object.keys(JSON.parse(call!.body).data).sort()).toEqual(['answers', 'consent', 'cv', 'job', 'locale', 'reference', 'status', 'submittedAt']);
    expect(() => new Webhook(`whsec_${btoa('another secret, 32 bytes long!!!')}`).verify(call!.body, headers)).toThrow(/signature/i);
    expect(() => new Webhook(WEBHOOK_SECRET).verify(call!.body.replace('Ada', 'Eve'), headers)).toThrow(/signature/i);
    expect(call!.body.length).toBeLessThan(4000);
    expect((await deliveriesOf(reference)).map(({ channel, status, attempts, delivered_at }) => ({ channel, status, attempts, delivered_at }))).toEqual([
      { channel: 'email', status: 'sent', attempts: 1, delivered_at: now.toISOString() },
      { channel: 'webhook', status: 'sent', attempts: 1, delivered_at: now.toISOString() },
    ]);
  });

  it('says nothing of an earlier application with the same e-mail address, in the webhook or the e-mail', async () => {
    const first = await submit();
    const second = await submit({ fields: validFields({ email: 'ADA@example.org', motivation: 'Updated.' }) });
    const { emails, calls, deliver } = consumer();

    await deliver(second);

    expect(second).not.toBe(first);
    expect(calls[0]!.body).not.toContain(first);
    expect(emails).toHaveLength(1);
    const { text } = parseTextMessage(emails[0]!.raw);
    expect(text).toContain(second);
    expect(text).not.toMatch(new RegExp(`${first}|Replaces|version`));
  });

  it('sends nothing twice when a message is redelivered after everything was sent', async () => {
    const reference = await submit();
    const { emails, calls, deliver } = consumer();

    await deliver(reference);
    const again = await deliver(reference);

    expect(emails).toHaveLength(1);
    expect(calls).toHaveLength(1);
    expect(again.acked).toBe(true);
  });

  it('sends nothing while another attempt holds the lease on a delivery', async () => {
    const reference = await submit();
    const first = consumer();
    // A concurrent consumer claimed both rows a moment ago and has not finished yet.
    await env.DB.prepare("UPDATE deliveries SET next_attempt_at = ? WHERE status = 'pending'")
      .bind(new Date(NOW.getTime() + 300_000).toISOString())
      .run();

    const message = await first.deliver(reference);

    expect(first.emails).toHaveLength(0);
    expect(first.calls).toHaveLength(0);
    expect(message.retried).toEqual({ delaySeconds: 300 });
  });

  it('retries a failing webhook with exponential backoff and marks it failed after MAX_ATTEMPTS, e-mailing only once', async () => {
    const reference = await submit();
    const clock = { now: NOW };
    const { emails, calls, logs, deliver } = consumer({ webhookStatus: () => 500, clock });
    const delays: number[] = [];

    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      const message = await deliver(reference);
      const [, webhook] = await deliveriesOf(reference);
      expect(webhook!.attempts).toBe(attempt);
      expect(webhook!.last_error).toBe('HTTP 500');
      if (attempt < MAX_ATTEMPTS) {
        expect(webhook!.status).toBe('pending');
        expect(message.acked).toBe(false);
        delays.push(message.retried!.delaySeconds!);
        expect(webhook!.next_attempt_at).toBe(new Date(clock.now.getTime() + delays.at(-1)! * 1000).toISOString());
        clock.now = new Date(webhook!.next_attempt_at);
      } else {
        expect(webhook!.status).toBe('failed');
        expect(message.acked).toBe(true);
        expect(message.retried).toBeUndefined();
      }
    }

    expect(delays).toEqual([60, 120, 240, 480, 960, 1920, 3840]);
    expect(Math.max(...delays)).toBeLessThanOrEqual(BACKOFF_MAX_SECONDS);
    expect(calls).toHaveLength(MAX_ATTEMPTS);
    expect(emails).toHaveLength(1);
    expect(logs.filter((entry) => entry.event === 'delivery.failed')).toEqual([
      { level: 'error', event: 'delivery.failed', reference, channel: 'webhook', attempts: MAX_ATTEMPTS, error: 'HTTP 500' },
    ]);
    // The logs carry references, channels and counts, never the applicant's data.
    expect(JSON.stringify(logs)).not.toMatch(/Ada|Lovelace|ada@example\.org|gaze/);

    // A late duplicate message finds nothing pending.
    const late = await deliver(reference);
    expect(late.acked).toBe(true);
    expect(calls).toHaveLength(MAX_ATTEMPTS);
  });

  it('retries when the webhook cannot be reached, then delivers once it answers 2xx', async () => {
    const reference = await submit();
    const clock = { now: NOW };
    let reachable = false;
    const { deps, calls, deliver } = consumer({ clock });
    const fetchOk = deps.webhook!.fetch;
    deps.webhook!.fetch = async (input, init) => {
      if (!reachable) throw new TypeError('Network connection lost');
      return fetchOk(input, init);
    };

    const first = await deliver(reference);
    expect(first.retried).toEqual({ delaySeconds: 60 });
    expect((await deliveriesOf(reference))[1]).toMatchObject({ status: 'pending', attempts: 1, last_error: 'network: TypeError' });

    reachable = true;
    clock.now = new Date(NOW.getTime() + 60_000);
    const second = await deliver(reference);
    expect(second.acked).toBe(true);
    expect(calls).toHaveLength(1);
    expect((await deliveriesOf(reference))[1]).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
  });

  it('retries the e-mail with attachments when the CV is missing from R2', async () => {
    const reference = await submit();
    const { cv_key: cvKey } = (await env.DB.prepare('SELECT cv_key FROM applications WHERE reference = ?').bind(reference).first<{ cv_key: string }>())!;
    await env.CV_BUCKET.delete(cvKey);
    const { emails, deliver } = consumer({ attachApplication: true });

    const message = await deliver(reference);

    expect(emails).toHaveLength(0);
    expect(message.retried).toEqual({ delaySeconds: 60 });
    expect((await deliveriesOf(reference))[0]).toMatchObject({ channel: 'email', status: 'pending', last_error: 'CV object missing in R2' });
  });

  it('acknowledges messages without a valid body or for applications that no longer exist', async () => {
    const { emails, calls, logs, deps } = consumer();
    const invalid = fakeMessage({ ref: 'nope' });
    const gone = fakeMessage({ reference: 'ML-GONE00' });

    await handleDeliveryBatch(fakeBatch([invalid, gone]), deps);

    expect(invalid.acked).toBe(true);
    expect(gone.acked).toBe(true);
    expect(emails).toHaveLength(0);
    expect(calls).toHaveLength(0);
    expect(logs.map((entry) => entry.event)).toEqual(['delivery.message-invalid']);
  });

  it('retries the message when the database cannot be read', async () => {
    const { deps, logs } = consumer();
    const message = fakeMessage({ reference: 'ML-AAAAAA' });
    deps.db = {
      prepare: () => {
        throw new Error('D1_ERROR: network connection lost');
      },
    };

    await handleDeliveryBatch(fakeBatch([message]), deps);

    expect(message.acked).toBe(false);
    expect(message.retried).toEqual({ delaySeconds: 60 });
    expect(logs).toEqual([{ level: 'error', event: 'delivery.error', reference: 'ML-AAAAAA', error: 'Error: D1_ERROR: network connection lost' }]);
  });
});

describe('an unreadable stored application (issue 9, finding 16)', () => {
  it('counts each attempt and ends as failed after MAX_ATTEMPTS instead of being sent again forever', async () => {
    const reference = await submit();
    // Valid JSON (the column's CHECK holds) that no longer matches what the store writes.
    await env.DB.prepare(`UPDATE applications SET answers = '{"firstName": 1}' WHERE reference = ?1`).bind(reference).run();
    const clock = { now: NOW };
    const { emails, calls, logs, deliver } = consumer({ clock });

    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      const message = await deliver(reference);
      const rows = await deliveriesOf(reference);
      expect(rows.map((row) => row.attempts)).toEqual([attempt, attempt]);
      expect(rows.map((row) => row.last_error)).toEqual(['stored application unreadable', 'stored application unreadable']);
      if (attempt < MAX_ATTEMPTS) clock.now = new Date(rows[0]!.next_attempt_at);
      else expect(message.acked).toBe(true);
    }

    expect((await deliveriesOf(reference)).map((row) => row.status)).toEqual(['failed', 'failed']);
    expect(emails).toHaveLength(0);
    expect(calls).toHaveLength(0);
    expect(logs.filter((entry) => entry.event === 'delivery.failed')).toHaveLength(2);
    // A late message finds nothing pending; the sweep has nothing to re-enqueue.
    expect((await deliver(reference)).acked).toBe(true);
  });
});

describe('events after the application', () => {
  it('a status change goes to the webhook alone, signed, with the status, the previous one and the process end', async () => {
    const reference = await submit();
    const clock = { now: NOW };
    const { calls, emails, deliver } = consumer({ clock });
    await deliver(reference);
    const later = new Date('2026-11-28T09:00:00.000Z');

    await changeStatus(env.DB, { reference, status: 'rejected', actor: 'rita@example.com', now: later, deliveryChannels: ['email', 'webhook'] });
    clock.now = later;
    await deliver(reference);

    expect(emails).toHaveLength(1);
    expect(calls).toHaveLength(2);
    const body = JSON.parse(calls[1]!.body);
    expect(body).toEqual({
      type: 'application.status_changed',
      timestamp: later.toISOString(),
      data: { reference, job: { slug: 'machine-learning-intern' }, status: 'rejected', previousStatus: 'new', changedAt: later.toISOString(), processEndedAt: later.toISOString() },
    });
    expect(calls[1]!.headers.get('webhook-id')).toBe(await eventIdOf(reference, 'application.status_changed'));
    expect(calls[1]!.headers.get('webhook-id')).not.toBe(calls[0]!.headers.get('webhook-id'));
  });

  it('a withdrawal deletes every delivery row of the application and queues application.deleted for the webhook and the recruiters’ e-mail, which outlive it', async () => {
    const reference = await submit();
    await deleteApplications(env.DB, env.CV_BUCKET, { references: [reference], actor: APPLICANT_ACTOR, reason: 'withdrawn', now: NOW, deliveryChannels: ['email', 'webhook'] });

    expect((await deliveriesOf(reference)).map((row) => [row.event_type, row.channel, row.status])).toEqual([
      ['application.deleted', 'email', 'pending'],
      ['application.deleted', 'webhook', 'pending'],
    ]);
    const { calls, emails, deliver } = consumer();
    expect((await deliver(reference)).acked).toBe(true);

    expect(JSON.parse(calls[0]!.body)).toMatchObject({
      type: 'application.deleted',
      data: { reference, job: { slug: 'machine-learning-intern' }, deletedAt: NOW.toISOString(), reason: 'withdrawn' },
    });
    const { headers, text } = parseTextMessage(emails[0]!.raw);
    expect(decodeEncodedWords(headers.get('subject')!)).toBe(`Application ${reference} withdrawn: Machine Learning Intern`);
    expect(text).toContain(`The applicant withdrew application ${reference}`);
    expect(text).toContain('Please delete any copies you made');
    expect(text).not.toMatch(/Ada|ada@example\.org/);
  });

  it('a deletion in the inbox or by retention goes to the webhook alone', async () => {
    const byRecruiter = await submit({ fields: validFields({ email: 'one@example.org' }) });
    const byRetention = await submit({ fields: validFields({ email: 'two@example.org' }) });
    await deleteApplications(env.DB, env.CV_BUCKET, { references: [byRecruiter], actor: 'rita@example.com', reason: 'recruiter', now: NOW, deliveryChannels: ['email', 'webhook'] });
    const later = new Date('2028-12-27T10:00:00Z');
    await purgeExpiredApplications({ db: env.DB, bucket: env.CV_BUCKET, now: later, deliveryChannels: ['email', 'webhook'], log: () => {} });

    expect((await deliveriesOf(byRecruiter)).map((row) => [row.event_type, row.channel])).toEqual([['application.deleted', 'webhook']]);
    expect((await deliveriesOf(byRetention)).map((row) => [row.event_type, row.channel])).toEqual([['application.deleted', 'webhook']]);
    const { calls, deliver } = consumer({ clock: { now: later } });
    await deliver(byRetention);
    expect(JSON.parse(calls[0]!.body).data).toMatchObject({ reference: byRetention, reason: 'retention' });
  });

  it('an event whose stored data cannot be read counts attempts like any failure', async () => {
    const reference = await submit();
    await deleteApplications(env.DB, env.CV_BUCKET, { references: [reference], actor: 'rita@example.com', reason: 'recruiter', now: NOW, deliveryChannels: ['webhook'] });
    await env.DB.prepare(`UPDATE deliveries SET payload = '{"reference": 7}' WHERE application_reference = ?1`).bind(reference).run();
    const { calls, deliver } = consumer();

    await deliver(reference);

    expect(calls).toHaveLength(0);
    expect(await deliveriesOf(reference)).toMatchObject([{ status: 'pending', attempts: 1, last_error: 'event data unreadable' }]);
  });
});

describe('header injection', () => {
  it('cannot add headers through CR/LF in the applicant’s answers or the posting title', async () => {
    const cv = pdfBytes(1000, 4);
    // Answers no form would pass, stored as they are: the e-mail must stay safe even so.
    const { reference } = await seedApplication({
      createdAt: NOW.toISOString(),
      cv,
      channels: ['email'],
      answers: {
        firstName: 'Ada\r\nBcc: victim@example.net',
        lastName: 'Lovelace\nX-Injected: yes',
        email: 'ada@example.org\r\nBcc: victim@example.net',
        motivation: 'Hello\r\n\r\n--fake-boundary\r\nContent-Type: text/html\r\n\r\n<b>x</b>',
      },
    });
    const { emails, deliver } = consumer({ jobTitle: 'Intern\r\nBcc: victim@example.net', attachApplication: true });

    await deliver(reference);

    expect(emails).toHaveLength(1);
    const { headers, parts } = parseMessage(emails[0]!.raw);
    // No Reply-To (the address is not plain), no Bcc, no X-Injected: exactly our headers.
    expect([...headers.keys()].sort()).toEqual(['content-type', 'date', 'from', 'message-id', 'mime-version', 'subject', 'to']);
    expect(decodeEncodedWords(headers.get('subject')!)).toBe(`Application ${reference}: Intern Bcc: victim@example.net`);
    expect(parts).toHaveLength(2);
    expect(decodeBase64(parts[1]!.body)).toEqual(cv);
    expect(new TextDecoder().decode(decodeBase64(parts[0]!.body))).toContain('--fake-boundary');
  });
});

describe('fake lines in the e-mail body (with RECRUITER_EMAIL_ATTACH_APPLICATION, the only e-mail that carries answers)', () => {
  it('cannot be made by line breaks or bidi overrides in single-line answers, and the motivation is quoted apart', async () => {
    // Stored as they are (as rows from before the form refused such answers): the e-mail must stay truthful even so.
    const { reference } = await seedApplication({
      createdAt: NOW.toISOString(),
      channels: ['email'],
      talentPool: false,
      answers: {
        firstName: 'Ada\r\nE-mail:         ceo@evil.example\r\nTalent pool:    yes',
        lastName: 'Love\u202Ecalo',
        university: 'TUM\u2028Degree:         phd',
        links: ['https://github.com/ada\nPhone: 0800'],
        motivation: 'I like vision.\r\nTalent pool:    yes\u2028E-mail: ceo@evil.example\n\nThanks',
      },
    });
    const { emails, deliver } = consumer({ attachApplication: true });

    await deliver(reference);

    const { parts } = parseMessage(emails[0]!.raw);
    const lines = new TextDecoder().decode(decodeBase64(parts[0]!.body)).split(/\r?\n/);
    // Each of our labels starts exactly one line; the applicant's text starts none.
    for (const label of ['E-mail:', 'Talent pool:', 'Degree:', 'Phone:']) expect(lines.filter((line) => line.startsWith(label)), label).toHaveLength(1);
    expect(lines).toContain('Talent pool:    no');
    expect(lines).toContain('Name:           Ada\uFFFD\uFFFDE-mail:         ceo@evil.example\uFFFD\uFFFDTalent pool:    yes Love\uFFFDcalo');
    expect(lines.join('\n')).not.toMatch(/[\u202E\u2028\r]/);
    const motivation = lines.slice(lines.findIndex((line) => line.startsWith('Motivation')) + 1, lines.findIndex((line) => line.startsWith('CV:')) - 1);
    expect(motivation).toEqual(['> I like vision.', '> Talent pool:    yes', '> E-mail: ceo@evil.example', '>', '> Thanks']);
  });
});

describe('a channel whose settings are invalid', () => {
  it('keeps its deliveries pending and unattempted, logs nothing per message, and still sends the valid channel', async () => {
    const reference = await submit();
    const { deps, emails, calls, logs, deliver } = consumer();
    // The webhook's settings failed to parse (logged once, at parse time): the consumer has none.
    deps.webhook = undefined;

    const message = await deliver(reference);

    expect(emails).toHaveLength(1);
    expect(calls).toHaveLength(0);
    expect((await deliveriesOf(reference)).map(({ channel, status, attempts, last_error }) => ({ channel, status, attempts, last_error }))).toEqual([
      { channel: 'email', status: 'sent', attempts: 1, last_error: null },
      { channel: 'webhook', status: 'pending', attempts: 0, last_error: null },
    ]);
    expect(message.retried).toEqual({ delaySeconds: MISCONFIGURED_RETRY_SECONDS });
    expect(logs.map((entry) => entry.event)).toEqual(['delivery.sent']);
  });
});

describe('the sweep', () => {
  it('re-enqueues applications whose pending deliveries are overdue, and leaves fresh, sent and failed ones alone', async () => {
    const overdue = await submit({ fields: validFields({ email: 'one@example.org' }) });
    const fresh = await submit({ fields: validFields({ email: 'two@example.org' }) });
    const sent = await submit({ fields: validFields({ email: 'three@example.org' }) });
    const failed = await submit({ fields: validFields({ email: 'four@example.org' }) });
    const hourAgo = new Date(NOW.getTime() - 3_600_000).toISOString();
    await env.DB.prepare('UPDATE deliveries SET next_attempt_at = ?1 WHERE application_reference IN (?2, ?3, ?4)').bind(hourAgo, overdue, sent, failed).run();
    await env.DB.prepare("UPDATE deliveries SET status = 'sent' WHERE application_reference = ?").bind(sent).run();
    await env.DB.prepare("UPDATE deliveries SET status = 'failed' WHERE application_reference = ?").bind(failed).run();
    const enqueued: DeliveryMessage[][] = [];

    const count = await sweepPendingDeliveries({ db: env.DB, now: NOW, enqueue: async (messages) => void enqueued.push(messages), log: () => {} });

    expect(count).toBe(1);
    expect(enqueued).toEqual([[{ reference: overdue }]]);
    expect(fresh).not.toBe(overdue);
  });

  it('enqueues nothing when nothing is overdue', async () => {
    await submit();
    const enqueued: DeliveryMessage[][] = [];
    const count = await sweepPendingDeliveries({ db: env.DB, now: NOW, enqueue: async (messages) => void enqueued.push(messages), log: () => {} });
    expect(count).toBe(0);
    expect(enqueued).toEqual([]);
  });
});

describe('retention', () => {
  it('deletes an application’s deliveries with it, leaving only its application.deleted event', async () => {
    const reference = await submit();
    expect(await deliveryCount()).toBe(2);

    // 25 months later even a talent-pool application has expired.
    const later = new Date('2028-12-27T10:00:00Z');
    const result = await purgeExpiredApplications({ db: env.DB, bucket: env.CV_BUCKET, now: later, deliveryChannels: ['webhook'], log: () => {} });

    expect(result.deletedApplications).toBe(1);
    expect((await deliveriesOf(reference)).map((row) => row.event_type)).toEqual(['application.deleted']);
    expect(await deliveryCount()).toBe(1);
  });
});
