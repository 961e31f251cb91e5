/**
 * Composition root of the applications capability: builds the submission's dependencies from
 * the Worker's bindings, the settings (parsed once per isolate), the content index and the UI
 * strings. Only src/server/ and the Worker entry read bindings; functions/applications
 * receives everything as parameters.
 */
import { env } from 'cloudflare:workers';
import { handleApplicationApiRequest } from '#functions/applications/handler.ts';
import type { ApplicationDeps, JobFacts } from '#functions/applications/submission.ts';
import { DEFAULT_LOCALE, LOCALES, type Locale } from '#src/i18n/locales.ts';
import { translate } from '#src/i18n/ui.ts';
import { contentIndex, findPosting } from '#src/server/content.ts';
import { enqueueDelivery } from '#src/server/delivery.ts';
import { settings } from '#src/server/settings.ts';

/** The posting `content/jobs/<locale>/<slug>.md`, as the submission needs it. */
async function findJob(slug: string, locale: Locale): Promise<JobFacts | undefined> {
  const posting = await findPosting(locale, slug);
  if (!posting) return undefined;
  const { status, validThrough, title } = posting.data;
  return { status, title, validThrough };
}

/**
 * Version of `content/pages/<locale>/privacy.md`, stored with every consent; undefined when
 * the page is missing (the content checks refuse to build without it).
 */
async function privacyNoticeVersion(locale: Locale): Promise<string | undefined> {
  return (await contentIndex(locale)).privacyNoticeVersion;
}

/** The dependencies of the application handlers, from this Worker's bindings and settings. */
export function applicationDeps(): ApplicationDeps<Locale> {
  const { applications, delivery } = settings();
  return {
    db: env.DB,
    bucket: env.CV_BUCKET,
    settings: applications,
    rateLimiter: env.APPLICATION_RATE_LIMITER,
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

/** Answers `<base>/api/applications`, the JSON API (functions/applications/handler.ts). */
export function handleApplicationsApi(request: Request): Promise<Response> {
  return handleApplicationApiRequest(request, applicationDeps());
}
