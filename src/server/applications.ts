/**
 * Composition root of the applications capability: builds the handlers' dependencies from the
 * Worker's bindings, the content collections and the UI strings. Only this module (and the
 * Worker entry) reads bindings; functions/applications receives everything as parameters.
 */
import { getEntry } from 'astro:content';
import { env } from 'cloudflare:workers';
import { z } from 'astro/zod';
import type { ApplicationDeps, JobFacts } from '#functions/applications/handler.ts';
import { DEFAULT_LOCALE, LOCALES, type Locale } from '#src/i18n/locales.ts';
import { isoDate, useTranslations } from '#src/i18n/ui.ts';
import { findJobEntry } from '#src/lib/jobs.ts';
import { deliveryChannels, enqueueDelivery } from './delivery.ts';

// Secrets are not in wrangler.toml, so `wrangler types` cannot know them: parsed here, at the edge.
const configSchema = z.object({
  /** Turnstile secret (`wrangler secret put` / `.dev.vars`); empty or absent turns Turnstile off. */
  TURNSTILE_SECRET_KEY: z.string().trim().optional().transform((value) => value || undefined),
  /** The rate limit's period in seconds, from wrangler.toml [vars]; sent as Retry-After. */
  APPLICATION_RATE_LIMIT_PERIOD: z.coerce.number().int().positive().default(60),
});

/** The posting `content/jobs/<locale>/<slug>.md`, as the handler needs it. */
async function findJob(slug: string, locale: Locale): Promise<JobFacts | undefined> {
  const entry = await findJobEntry(locale, slug);
  if (!entry) return undefined;
  const { status, validThrough, title } = entry.data;
  return { status, title, validThrough: validThrough ? isoDate(validThrough) : undefined };
}

/** Version of `content/pages/<locale>/privacy.md`, stored with every consent. */
async function privacyNoticeVersion(locale: Locale): Promise<string> {
  const page = await getEntry('pages', `${locale}/privacy`);
  if (!page) throw new Error(`content/pages/${locale}/privacy.md is missing: applications need a privacy notice`);
  // Without an explicit version the day of the last change identifies the text.
  return page.data.version ?? isoDate(page.data.updated);
}

/** The dependencies of the application handlers, from this Worker's bindings. */
export function applicationDeps(): ApplicationDeps<Locale> {
  const config = configSchema.parse(env);
  return {
    db: env.DB,
    bucket: env.CV_BUCKET,
    rateLimiter: env.APPLICATION_RATE_LIMITER,
    rateLimitPeriodSeconds: config.APPLICATION_RATE_LIMIT_PERIOD,
    turnstileSecretKey: config.TURNSTILE_SECRET_KEY,
    fetch: (input, init) => fetch(input, init),
    now: () => new Date(),
    findJob,
    translate: (locale, key, params) => useTranslations(locale)(key, params),
    privacyNoticeVersion,
    // Outbox rows for the configured channels, and a Queue message to send them now.
    deliveryChannels: deliveryChannels(env),
    notifyDelivery: (reference) => enqueueDelivery(env, reference),
    locales: LOCALES,
    defaultLocale: DEFAULT_LOCALE,
  };
}
