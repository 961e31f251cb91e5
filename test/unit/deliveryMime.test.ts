import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { backoffSeconds, BACKOFF_MAX_SECONDS } from '#functions/delivery/handler.ts';
import { base64Lines, buildMimeMessage, encodeHeaderText, isPlainAddress, rfc5322Date, stripLineBreaks, type MailMessage } from '#functions/delivery/mime.ts';
import { signedWebhookRequest } from '#functions/delivery/webhook.ts';
import { csvCell, toCsv } from '#functions/recruiters/csv.ts';

function decodeWords(value: string): string {
  return value
    .split(/\r\n /)
    .map((word) => {
      const match = /^=\?UTF-8\?B\?([A-Za-z0-9+/=]+)\?=$/.exec(word);
      if (!match) throw new Error(`not an encoded-word: ${word}`);
      return Buffer.from(match[1]!, 'base64');
    })
    .reduce((text, bytes) => text + bytes.toString('utf8'), '');
}

const MESSAGE: MailMessage & { attachment: NonNullable<MailMessage['attachment']> } = {
  from: 'careers@example.com',
  to: 'recruiting@example.com',
  subject: 'Application ML-ABC123: Machine Learning Intern',
  text: 'Line one\nLine two: äöü',
  attachment: { filename: 'ML-ABC123.pdf', contentType: 'application/pdf', bytes: new Uint8Array([37, 80, 68, 70, 45, 0, 255]) },
  messageId: 'ML-ABC123.1@example.com',
  date: new Date('2026-11-26T10:00:00Z'),
  boundary: '=_test_boundary',
};

describe('encoded header text (RFC 2047)', () => {
  it('decodes back to the original text, emoji and umlauts included, in words of at most 75 characters', () => {
    const subject = `Bewerbung ML-7F3K9Q: Praktikum Maschinelles Lernen – Zoë 👩‍💻 ${'ü'.repeat(60)}`;
    const encoded = encodeHeaderText(subject);
    for (const word of encoded.split('\r\n ')) expect(word.length).toBeLessThanOrEqual(75);
    expect(encoded.split('\r\n ').length).toBeGreaterThan(2);
    expect(decodeWords(encoded)).toBe(subject);
  });

  it('never splits a character’s UTF-8 bytes across two words', () => {
    const encoded = encodeHeaderText('€'.repeat(40));
    // Each word must decode on its own to whole euro signs.
    for (const word of encoded.split('\r\n ')) expect(decodeWords(word)).toMatch(/^€+$/);
  });

  it('turns line breaks into spaces, so no new header line can begin', () => {
    expect(decodeWords(encodeHeaderText('Intern\r\nBcc: x@example.net'))).toBe('Intern Bcc: x@example.net');
    expect(stripLineBreaks('a\rb\nc\r\nd')).toBe('a b c d');
  });
});

describe('the MIME message', () => {
  it('has CRLF line ends, the fixed headers and no line longer than 76 characters', () => {
    const raw = buildMimeMessage({ ...MESSAGE, boundary: undefined, attachment: { ...MESSAGE.attachment, bytes: new Uint8Array(1000).fill(7) } });
    expect(raw).not.toMatch(/[^\r]\n/);
    const [head] = raw.split('\r\n\r\n');
    expect(head).toContain('From: careers@example.com\r\nTo: recruiting@example.com\r\n');
    expect(head).toContain('Date: Thu, 26 Nov 2026 10:00:00 +0000');
    expect(head).toContain('Message-ID: <ML-ABC123.1@example.com>');
    expect(head).toContain('MIME-Version: 1.0');
    expect(head).toMatch(/\r\nContent-Type: multipart\/mixed;\r\n boundary="=_careers_[0-9a-f]{32}"$/);
    for (const line of raw.split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
    expect(raw).toMatch(/--=_careers_[0-9a-f]{32}--\r\n$/);
  });

  it('carries the attachment bytes exactly', () => {
    const raw = buildMimeMessage(MESSAGE);
    const part = raw.split('--=_test_boundary')[2]!;
    const body = part.slice(part.indexOf('\r\n\r\n') + 4);
    expect(new Uint8Array(Buffer.from(body.replace(/\r\n/g, ''), 'base64'))).toEqual(MESSAGE.attachment.bytes);
    expect(part).toContain('Content-Disposition: attachment; filename="ML-ABC123.pdf"');
  });

  it('refuses a sender or recipient that is not a bare address', () => {
    expect(() => buildMimeMessage({ ...MESSAGE, from: 'Careers <careers@example.com>' })).toThrow(/sender address/);
    expect(() => buildMimeMessage({ ...MESSAGE, to: 'a@example.com\r\nBcc: b@example.com' })).toThrow(/recipient address/);
  });

  it('leaves out a Reply-To that is not a bare address', () => {
    expect(buildMimeMessage({ ...MESSAGE, replyTo: 'ada@example.org' })).toContain('\r\nReply-To: ada@example.org\r\n');
    expect(buildMimeMessage({ ...MESSAGE, replyTo: 'ada@example.org\r\nBcc: b@example.com' })).not.toMatch(/Reply-To|Bcc/);
  });

  it('writes base64 in lines of 76 characters and the date with a numeric zone', () => {
    expect(base64Lines(new Uint8Array(114).fill(1)).split('\r\n').map((line) => line.length)).toEqual([76, 76, 0]);
    expect(rfc5322Date(new Date('2027-01-05T08:09:10Z'))).toBe('Tue, 05 Jan 2027 08:09:10 +0000');
    expect(isPlainAddress('careers@example.com')).toBe(true);
    expect(isPlainAddress('careers@localhost')).toBe(false);
  });
});

describe('the webhook (Standard Webhooks)', () => {
  const secret = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
  const event = { id: 'msg_2f1c0a', type: 'application.deleted' as const, data: { reference: 'ML-ABC123', job: { slug: 'x' }, deletedAt: '2026-11-26T10:00:00.000Z', reason: 'withdrawn' as const } };

  it('is signed as the specification computes it: base64 HMAC-SHA256 of "<id>.<timestamp>.<body>" under the decoded secret', () => {
    const now = new Date('2026-11-26T10:00:00.000Z');
    const { body, headers } = signedWebhookRequest(event, secret, now);
    const expected = createHmac('sha256', Buffer.alloc(32, 9)).update(`msg_2f1c0a.1795687200.${body}`).digest('base64');
    expect(headers).toEqual({ 'Content-Type': 'application/json', 'webhook-id': 'msg_2f1c0a', 'webhook-timestamp': '1795687200', 'webhook-signature': `v1,${expected}` });
    expect(JSON.parse(body)).toEqual({ type: 'application.deleted', timestamp: now.toISOString(), data: event.data });
  });

  it('verifies with the standardwebhooks library a receiver uses, and fails it with another secret', () => {
    const { body, headers } = signedWebhookRequest(event, secret, new Date());
    expect(new Webhook(secret).verify(body, headers)).toMatchObject({ type: 'application.deleted' });
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 8).toString('base64')}`).verify(body, headers)).toThrow(/signature/i);
  });
});

describe('CSV cells', () => {
  it('neutralize every start a spreadsheet reads as a formula, and nothing else', () => {
    expect(['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx'].map(csvCell)).toEqual(['"\'=1+1"', '"\'+1"', '"\'-1"', '"\'@SUM(A1)"', '"\'\tx"', '"\'\rx"']);
    expect(['Ada', ' =1', '1-2', 'a"b', '', null, 6].map(csvCell)).toEqual(['"Ada"', '" =1"', '"1-2"', '"a""b"', '""', '""', '"6"']);
  });

  it('make a file with a UTF-8 byte-order mark and CRLF line ends', () => {
    expect(toCsv([['a', 'b'], ['Zoë', '=x']])).toBe('\uFEFF"a","b"\r\n"Zoë","\'=x"\r\n');
  });
});

describe('retries', () => {
  it('wait 1 minute after the first failure, doubling up to 6 hours', () => {
    expect([1, 2, 3, 8, 9, 20].map(backoffSeconds)).toEqual([60, 120, 240, 7680, 15360, BACKOFF_MAX_SECONDS]);
  });
});
