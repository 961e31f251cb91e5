/**
 * Composition root of the applications capability: builds the submission's dependencies from
 * the Worker's bindings, the settings (parsed once per isolate), the content index and the UI
 * strings. Only src/server/ and the Worker entry read bindings; functions/applications
 * receives everything as parameters.
 */
import { site } from 'astro:config/client';
import { EmailMessage } from 'cloudflare:email';
import { env } from 'cloudflare:workers';
import { buildApplicantConfirmation } from '#functions/applicants/confirmation.ts';
import { handleApplicationApiRequest } from '#functions/applications/handler.ts';
import { acceptedMessage, type ApplicationDeps, type JobFacts } from '#functions/applications/submission.ts';
import { DEFAULT_LOCALE, LOCALES, type Locale } from '#src/i18n/locales.ts';
import { applicantPath } from '#src/i18n/paths.ts';
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

/** Absolute URL of the applicant's own page, on the public origin (SITE_URL), for e-mails. */
function applicantUrl(locale: Locale, token: string): string {
  return new URL(applicantPath(locale, token), site ?? 'http://localhost:4321').href;
}

/** The applicant's confirmation e-mail, when APPLICANT_EMAIL_FROM is set; otherwise undefined (none is sent). */
function confirmationSender(): ApplicationDeps<Locale>['sendConfirmation'] {
  const { from } = settings().applicantEmail;
  if (!from) return undefined;
  return async (accepted) => {
    const job = (await findPosting(accepted.locale, accepted.jobSlug))?.data.title ?? accepted.jobSlug;
    const raw = buildApplicantConfirmation({
      from,
      to: accepted.email,
      subject: translate(accepted.locale, 'applicantEmail.subject', { reference: accepted.reference, job }),
      text: translate(accepted.locale, 'applicantEmail.body', {
        job,
        outcome: acceptedMessage({ translate }, accepted.locale, { ...accepted, linked: true }),
        link: applicantUrl(accepted.locale, accepted.linkToken),
      }),
      reference: accepted.reference,
      now: new Date(),
    });
    await env.APPLICANT_EMAIL.send(new EmailMessage(from, accepted.email, raw));
  };
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
    applicantPath: (locale, token) => applicantPath(locale, token),
    privacyNoticeVersion,
    // Outbox rows for the channels the settings ask for, and a Queue message to send them now.
    deliveryChannels: delivery.channels,
    notifyDelivery: enqueueDelivery,
    sendConfirmation: confirmationSender(),
    locales: LOCALES,
    defaultLocale: DEFAULT_LOCALE,
  };
}

/** Answers `<base>/api/applications`, the JSON API (functions/applications/handler.ts). */
export function handleApplicationsApi(request: Request): Promise<Response> {
  return handleApplicationApiRequest(request, applicationDeps());
}
