/**
 * Composition root of the retention capability: the daily cron's dependencies from the
 * Worker's bindings. functions/retention receives everything as parameters.
 */
import { env } from 'cloudflare:workers';
import type { RetentionDeps } from '#functions/retention/handler.ts';
import { settings } from '#src/server/settings.ts';

/**
 * The scheduled run's dependencies, for the cron's scheduled time. Each deletion queues
 * `application.deleted` on the configured channels; the delivery sweep sends it.
 */
export function retentionDeps(now: Date): RetentionDeps {
  return { db: env.DB, bucket: env.CV_BUCKET, now, deliveryChannels: settings().delivery.channels };
}
