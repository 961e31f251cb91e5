/**
 * The signed webhook: the application as JSON (never the CV's bytes) POSTed to the company's
 * own system, signed like Stripe's: `X-Careers-Signature: v1=<hex HMAC-SHA256>` over
 * `<X-Careers-Timestamp>.<body>`, so a receiver can check origin, integrity and freshness.
 */
import { hmacSha256Hex } from '#functions/encoding.ts';
import type { StoredApplication } from '#functions/storage/applications.ts';
import { CV_CONTENT_TYPE } from '#functions/storage/cvs.ts';

/** Header with the signing time, in Unix seconds. */
export const TIMESTAMP_HEADER = 'X-Careers-Timestamp';
/** Header with the signature(s), `v1=<hex>`. */
export const SIGNATURE_HEADER = 'X-Careers-Signature';
/** How long one webhook call may take before it counts as failed. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** Where the webhook goes and the shared secret it is signed with. */
export interface WebhookTarget {
  url: string;
  secret: string;
}

/** The JSON the receiver gets. */
export function webhookPayload(application: StoredApplication, jobTitle: string | undefined) {
  return {
    type: 'application.submitted',
    reference: application.reference,
    job: { slug: application.jobSlug, title: jobTitle ?? null },
    locale: application.locale,
    answers: application.answers,
    consent: application.consent,
    cv: { contentType: CV_CONTENT_TYPE, size: application.cv.size, sha256: application.cv.sha256 },
    submittedAt: application.createdAt,
  };
}

/** Lower-case hex HMAC-SHA256 of `<timestamp>.<body>` with `secret`. */
export function signWebhook(secret: string, timestamp: string, body: string): Promise<string> {
  return hmacSha256Hex(secret, `${timestamp}.${body}`);
}

/** The outcome of one call: delivered on 2xx, else why not (no personal data). */
export type WebhookOutcome = { delivered: true } | { delivered: false; error: string };

/** POSTs the signed payload once. Never throws. */
export async function sendWebhook(input: {
  target: WebhookTarget;
  application: StoredApplication;
  jobTitle: string | undefined;
  now: Date;
  fetch: typeof fetch;
}): Promise<WebhookOutcome> {
  const body = JSON.stringify(webhookPayload(input.application, input.jobTitle));
  const timestamp = String(Math.floor(input.now.getTime() / 1000));
  const signature = await signWebhook(input.target.secret, timestamp, body);
  try {
    const response = await input.fetch(input.target.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        [TIMESTAMP_HEADER]: timestamp,
        [SIGNATURE_HEADER]: `v1=${signature}`,
        // Retries repeat the reference: receivers deduplicate by it.
        'Idempotency-Key': input.application.reference,
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
    });
    // The body is not needed; cancelling frees the connection.
    await response.body?.cancel().catch(() => undefined);
    if (response.status >= 200 && response.status < 300) return { delivered: true };
    return { delivered: false, error: `HTTP ${response.status}` };
  } catch (error) {
    return { delivered: false, error: `network: ${error instanceof Error ? error.name : 'non-error thrown'}` };
  }
}
