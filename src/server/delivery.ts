/**
 * Composition root of the delivery capability: parses the delivery configuration from the
 * Worker's bindings and builds the consumer's and the sweep's dependencies. Only this module
 * (and the Worker entry) reads bindings; functions/delivery receives everything as parameters.
 */
import { findJobEntry } from '#src/lib/jobs.ts';
import { EmailMessage } from 'cloudflare:email';
import { z } from 'astro/zod';
import type { DeliveryChannel } from '#functions/applications/store.ts';
import { configuredChannels, type DeliveryDeps, type DeliveryMessage, type DeliverySweepDeps } from '#functions/delivery/handler.ts';
import { isPlainAddress } from '#functions/delivery/mime.ts';

const optional = z.string().trim().optional().transform((value) => value || undefined);
const address = optional.refine((value) => value === undefined || isPlainAddress(value), {
  error: 'must be a bare e-mail address such as careers@example.com (no display name), or empty to turn e-mail off',
});

// Vars from wrangler.toml [vars] and the secret (`wrangler secret put` / `.dev.vars`).
const configSchema = z.object({
  /** Sender of the recruiter e-mail, on a domain onboarded to Email Routing; empty: e-mail off. */
  RECRUITER_EMAIL_FROM: address,
  /** The recruiters' (verified) address; empty: e-mail off. */
  RECRUITER_EMAIL_TO: address,
  /** The company system's https endpoint for the signed webhook; empty: webhook off. */
  DELIVERY_WEBHOOK_URL: optional.pipe(z.url({ protocol: /^https?$/ }).optional()),
  /** The webhook's HMAC secret; without it the webhook is off. */
  DELIVERY_WEBHOOK_SECRET: optional,
});

type DeliveryConfig = Pick<DeliveryDeps, 'email' | 'webhook'>;

/** The configured channels from the bindings; a misconfiguration is logged and turns them off. */
function deliveryConfig(env: Env): DeliveryConfig {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    console.error(
      JSON.stringify({
        event: 'delivery.config-invalid',
        issues: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
      }),
    );
    return {};
  }
  const config = parsed.data;
  const email =
    config.RECRUITER_EMAIL_FROM && config.RECRUITER_EMAIL_TO
      ? {
          from: config.RECRUITER_EMAIL_FROM,
          to: config.RECRUITER_EMAIL_TO,
          send: (from: string, to: string, rawMime: string) => env.RECRUITER_EMAIL.send(new EmailMessage(from, to, rawMime)),
        }
      : undefined;
  if (config.DELIVERY_WEBHOOK_URL && !config.DELIVERY_WEBHOOK_SECRET) {
    console.error(
      JSON.stringify({
        event: 'delivery.config-invalid',
        issues: ['DELIVERY_WEBHOOK_SECRET: required with DELIVERY_WEBHOOK_URL (`wrangler secret put DELIVERY_WEBHOOK_SECRET`); the webhook is off'],
      }),
    );
  }
  const webhook =
    config.DELIVERY_WEBHOOK_URL && config.DELIVERY_WEBHOOK_SECRET
      ? { url: config.DELIVERY_WEBHOOK_URL, secret: config.DELIVERY_WEBHOOK_SECRET, fetch: (input: RequestInfo | URL, init?: RequestInit) => fetch(input, init) }
      : undefined;
  return { email, webhook };
}

/** The channels the store writes outbox rows for. */
export function deliveryChannels(env: Env): DeliveryChannel[] {
  return configuredChannels(deliveryConfig(env));
}

/** Asks the consumer to deliver a stored application now. */
export async function enqueueDelivery(env: Env, reference: string): Promise<void> {
  await env.DELIVERY_QUEUE.send({ reference } satisfies DeliveryMessage);
}

/** The posting's English title for recruiters (the summary is in English). */
async function jobTitle(slug: string): Promise<string | undefined> {
  return (await findJobEntry('en', slug))?.data.title;
}

/** The Queue consumer's dependencies, from this Worker's bindings. */
export function deliveryDeps(env: Env): DeliveryDeps {
  return { db: env.DB, bucket: env.CV_BUCKET, now: () => new Date(), jobTitle, ...deliveryConfig(env) };
}

/** The sweep's dependencies, from this Worker's bindings. */
export function deliverySweepDeps(env: Env, now: Date): DeliverySweepDeps {
  return {
    db: env.DB,
    now,
    enqueue: (messages) => env.DELIVERY_QUEUE.sendBatch(messages.map((body) => ({ body }))),
  };
}
