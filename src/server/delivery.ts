/**
 * Composition root of the delivery capability: builds the consumer's and the sweep's
 * dependencies from the Worker's bindings and the settings (parsed once per isolate, see
 * ./settings.ts). functions/delivery receives everything as parameters.
 */
import { site } from 'astro:config/client';
import { EmailMessage } from 'cloudflare:email';
import { env } from 'cloudflare:workers';
import type { DeliveryDeps, DeliveryMessage, DeliverySweepDeps } from '#functions/delivery/handler.ts';
import { inboxPath } from '#src/i18n/paths.ts';
import { findPosting } from '#src/server/content.ts';
import { settings } from '#src/server/settings.ts';

/** Asks the consumer to deliver a stored application now. */
export async function enqueueDelivery(reference: string): Promise<void> {
  await env.DELIVERY_QUEUE.send({ reference } satisfies DeliveryMessage);
}

/** The posting's English title for recruiters (the summary is in English). */
async function jobTitle(slug: string): Promise<string | undefined> {
  return (await findPosting('en', slug))?.data.title;
}

/**
 * The absolute URL of an application in the recruiters' inbox, on the public origin (SITE_URL)
 * and without a locale, so that the recruiter who opens it gets their own language.
 */
export function inboxUrl(reference: string): string {
  return new URL(inboxPath(undefined, `applications/${encodeURIComponent(reference)}/`), site ?? 'http://localhost:4321').href;
}

/** The Queue consumer's dependencies: only channels whose settings are valid are used. */
export function deliveryDeps(): DeliveryDeps {
  const { email, webhook, attachApplication } = settings().delivery;
  return {
    db: env.DB,
    bucket: env.CV_BUCKET,
    now: () => new Date(),
    jobTitle,
    inboxUrl,
    attachApplication,
    email: email && { ...email, send: (from, to, rawMime) => env.RECRUITER_EMAIL.send(new EmailMessage(from, to, rawMime)) },
    webhook: webhook && { ...webhook, fetch: (input, init) => fetch(input, init) },
  };
}

/** The sweep's dependencies. */
export function deliverySweepDeps(now: Date): DeliverySweepDeps {
  return { db: env.DB, now, enqueue: (messages) => env.DELIVERY_QUEUE.sendBatch(messages.map((body) => ({ body }))) };
}
