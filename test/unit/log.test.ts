import { afterEach, describe, expect, it, vi } from 'vitest';
import { errorSummary, redact, writeLog } from '#functions/log.ts';

afterEach(() => vi.restoreAllMocks());

describe('the log redaction', () => {
  it('replaces e-mail addresses, IP addresses and phone numbers', () => {
    expect(redact('D1_ERROR: UNIQUE constraint failed for ada@example.org from 203.0.113.7 or 2001:db8::1, call +49 89 1234567')).toBe(
      'D1_ERROR: UNIQUE constraint failed for <email> from <ip> or <ip>, call <phone>',
    );
  });

  it('keeps timestamps, references, CV keys and status codes readable', () => {
    const text = 'ML-7F3K9Q cv/0b6f3c1e-6f43-4d55-9a3e-2b7f0c1d9e11.pdf 2026-11-26T10:00:00.000Z HTTP 500 Thu, 26 Nov 2026 10:00:00 +0000';
    expect(redact(text)).toBe(text);
  });

  it('summarizes an error by class and redacted message, never its stack', () => {
    const error = new TypeError('could not reach ada@example.org');
    expect(errorSummary(error)).toBe('TypeError: could not reach <email>');
    expect(errorSummary('a string')).toBe('non-error thrown');
    expect(errorSummary(new Error('x'.repeat(500))).length).toBeLessThanOrEqual('Error: '.length + 200);
  });
});

describe('the console logger', () => {
  it('writes one JSON line per entry, errors to stderr, with every string redacted', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const info = vi.spyOn(console, 'log').mockImplementation(() => {});
    writeLog({ level: 'error', event: 'delivery.failed', reference: 'ML-7F3K9Q', details: { reason: ['ada@example.org'] } });
    writeLog({ level: 'info', event: 'delivery.sent', reference: 'ML-7F3K9Q' });

    expect(error.mock.calls).toEqual([['{"event":"delivery.failed","reference":"ML-7F3K9Q","details":{"reason":["<email>"]}}']]);
    expect(info.mock.calls).toEqual([['{"event":"delivery.sent","reference":"ML-7F3K9Q"}']]);
  });
});
