/**
 * A complete application as the JSON API takes it (issue 3): multipart with every required
 * field and a 1 MiB PDF. Each call gives a body with a unique e-mail address and a unique
 * Idempotency-Key, so the store's deduplication (by key, and by posting + e-mail + CV hash)
 * never turns a benchmark request into a cheap duplicate answer.
 */
import { randomBytes, randomUUID } from 'node:crypto';

/** Size of the benchmark CV: 1 MiB. */
export const CV_BYTES = 1024 * 1024;

/** A 1 MiB file that starts like a PDF (`%PDF-`), filled with deterministic binary noise. */
export function benchmarkPdf(size = CV_BYTES): Buffer {
  const head = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 0 >>\nstream\n', 'latin1');
  const tail = Buffer.from('\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1');
  const pdf = Buffer.alloc(size);
  head.copy(pdf, 0);
  let state = 0x2545_5044; // xorshift32: the same bytes every run
  for (let offset = head.length; offset < size - tail.length; offset += 1) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    pdf[offset] = state & 0xff;
  }
  tail.copy(pdf, size - tail.length);
  return pdf;
}

/** An ISO date `days` from today (start dates must not be in the past). */
const isoDateIn = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** Builds multipart bodies of one application; each `next()` differs only in e-mail and key. */
export function applicationBodies(options: { job: string; locale: string }) {
  const boundary = `----careers-bench-${randomBytes(8).toString('hex')}`;
  const run = randomBytes(4).toString('hex');
  const field = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const before = Buffer.from(field('firstName', 'Ada') + field('lastName', 'Lovelace'));
  const after = Buffer.from(
    field('university', 'Technische Universität München') +
      field('degree', 'master') +
      field('graduation', '2026-09') +
      field('startDate', isoDateIn(90)) +
      field('durationMonths', '6') +
      field('privacy', 'on') +
      field('job', options.job) +
      field('locale', options.locale) +
      `--${boundary}\r\nContent-Disposition: form-data; name="cv"; filename="cv.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
  );
  const pdf = benchmarkPdf();
  const end = Buffer.from(`\r\n--${boundary}--\r\n`);
  let sequence = 0;
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    /** The next body, with its own e-mail address and Idempotency-Key. */
    next(): { body: Buffer; headers: Record<string, string> } {
      sequence += 1;
      // Fixed width, so every body has the same length.
      const email = Buffer.from(field('email', `bench-${run}-${String(sequence).padStart(8, '0')}@example.com`));
      return {
        body: Buffer.concat([before, email, after, pdf, end]),
        headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Idempotency-Key': randomUUID() },
      };
    },
  };
}
