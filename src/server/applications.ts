/**
 * Composition root of the applications capability: builds the submission's dependencies from
 * the Worker's bindings, the settings (parsed once per isolate), the content collections and
 * the UI strings. Only src/server/ and the Worker entry read bindings; functions/applications
 * receives everything as parameters.
 */
import { getEntry } from 'astro:content';
import { env } from 'cloudflare:workers';
import type { ApplicationDeps, JobFacts } from '#functions/applications/submission.ts';
import { isoDay } from '#functions/time.ts';
import { DEFAULT_LOCALE, LOCALES, type Locale } from '#src/i18n/locales.ts';
import { translate } from '#src/i18n/ui.ts';
import { findJobEntry } from '#src/postings/collection.ts';
import { enqueueDelivery } from '#src/server/delivery.ts';
import { settings } from '#src/server/settings.ts';

/** The posting `content/jobs/<locale>/<slug>.md`, as the submission needs it. */
async function findJob(slug: string, locale: Locale): Promise<JobFacts | undefined> {
  const entry = await findJobEntry(locale, slug);
  if (!entry) return undefined;
  const { status, validThrough, title } = entry.data;
  return { status, title, validThrough };
}

/**
 * Version of `content/pages/<locale>/privacy.md`, stored with every consent; undefined when
 * the page is missing (the content checks refuse to build without it).
 */
async function privacyNoticeVersion(locale: Locale): Promise<string | undefined> {
  const page = await getEntry('pages', `${locale}/privacy`);
  // Without an explicit version the day of the last change identifies the text.
  return page && (page.data.version ?? isoDay(page.data.updated));
}

/** The dependencies of the application handlers, from this Worker's bindings and settings. */
export function applicationDeps(): ApplicationDeps<Locale> {
  const { applications, delivery } = settings();
  return {
    db: env.DB,
    bucket: env.CV_BUCKET,
    settings: applications,
    rateLimiter: env.APPLICATION_RATE_LIMITER,
    attemptRateLimiter: env.APPLICATION_ATTEMPT_RATE_LIMITER,
    fetch: (input, init) => fetch(input, init),
    now: () => new Date(),
    findJob,
    translate,
    privacyNoticeVersion,
    // Outbox rows for the channels the settings ask for, and a Queue message to send them now.
    deliveryChannels: delivery.channels,
    notifyDelivery: enqueueDelivery,
    locales: LOCALES,
    defaultLocale: DEFAULT_LOCALE,
  };
}
