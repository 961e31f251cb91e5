/**
 * The webhook, as the Standard Webhooks specification (standardwebhooks.com) defines it, so a
 * receiver verifies it with an existing library (`standardwebhooks` for JavaScript, and ports
 * for other languages): a POST of JSON `{ type, timestamp, data }` with the headers
 * `webhook-id` (the event's id, the same on every retry: receivers drop repeats),
 * `webhook-timestamp` (Unix seconds of this attempt) and `webhook-signature`
 * (`v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`) under the shared `whsec_…` secret.
 * Signing is the `standardwebhooks` package's own, not a copy.
 *
 * Events: `application.created` (the application without the CV's bytes), then
 * `application.status_changed` and `application.deleted` (reference and facts only), so a
 * company system can follow the inbox and delete its copy in step.
 */
import { Webhook } from 'standardwebhooks';
import type { StoredApplication } from '#functions/storage/applications.ts';
import { CV_CONTENT_TYPE } from '#functions/storage/cvs.ts';
import type { DeletedPayload, DeliveryEvent, StatusChangedPayload } from '#functions/storage/deliveries.ts';

/** How long one webhook call may take before it counts as failed. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** Where the webhook goes and the shared secret (`whsec_` and base64) it is signed with. */
export interface WebhookTarget {
  url: string;
  secret: string;
}

/** The `data` of an `application.created` event: the application as stored, never the CV's bytes. */
export function createdEventData(application: StoredApplication, jobTitle: string | undefined) {
  return {
    reference: application.reference,
    job: { slug: application.jobSlug, title: jobTitle ?? null },
    locale: application.locale,
    status: application.status,
    answers: application.answers,
    consent: application.consent,
    cv: { contentType: CV_CONTENT_TYPE, size: application.cv.size, sha256: application.cv.sha256 },
    submittedAt: application.createdAt,
  };
}

/** One event as the webhook sends it. */
export interface WebhookEvent {
  /** The event's id: `webhook-id`. */
  id: string;
  type: DeliveryEvent;
  data: ReturnType<typeof createdEventData> | StatusChangedPayload | DeletedPayload;
}

/** The body and the three Standard Webhooks headers of one attempt, signed at `now`. */
export function signedWebhookRequest(event: WebhookEvent, secret: string, now: Date): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify({ type: event.type, timestamp: now.toISOString(), data: event.data });
  return {
    body,
    headers: {
      'Content-Type': 'application/json',
      'webhook-id': event.id,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(event.id, now, body),
    },
  };
}

/** The outcome of one call: delivered on 2xx, else why not (no personal data). */
export type WebhookOutcome = { delivered: true } | { delivered: false; error: string };

/** POSTs one signed event once. Never throws. */
export async function sendWebhook(input: { target: WebhookTarget; event: WebhookEvent; now: Date; fetch: typeof fetch }): Promise<WebhookOutcome> {
  try {
    const { body, headers } = signedWebhookRequest(input.event, input.target.secret, input.now);
    const response = await input.fetch(input.target.url, {
      method: 'POST',
      headers,
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
