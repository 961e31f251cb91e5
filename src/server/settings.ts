/**
 * The Worker's settings, parsed once per isolate: wrangler.toml [vars], the secrets, and the
 * build's own settings (the Turnstile site key in the pages, the public origin). One failure
 * policy (functions/settings.ts): an invalid setting is logged once as `config.invalid`,
 * naming the variable and how to fix it, and its capability fails closed. Only this module,
 * the other composition modules of src/server/ and the Worker entry read bindings.
 */
import { site } from 'astro:config/client';
import { TURNSTILE_SITE_KEY } from 'astro:env/client';
import { env } from 'cloudflare:workers';
import { parseApplicantEmailSettings, type ApplicantEmailSettings } from '#functions/applicants/confirmation.ts';
import { parseApplicationSettings, type ApplicationSettings } from '#functions/applications/settings.ts';
import { parseDeliverySettings, type DeliverySettings } from '#functions/delivery/settings.ts';
import { writeLog } from '#functions/log.ts';
import { parseRecruiterSettings, type RecruiterSettings } from '#functions/recruiters/settings.ts';
import { settingsOnce, type ParsedSettings } from '#functions/settings.ts';

/** Every capability's settings. */
export interface Settings {
  applications: ParsedSettings<ApplicationSettings>;
  delivery: DeliverySettings;
  /** The recruiters' inbox: Cloudflare Access, the local sign-in. */
  recruiters: RecruiterSettings;
  /** The applicant's confirmation e-mail. */
  applicantEmail: ApplicantEmailSettings;
}

/** The settings of this isolate; parsed (and, if invalid, reported) on first use. */
export const settings = settingsOnce<Settings>(() => {
  // Secrets are not in wrangler.toml, so `wrangler types` does not know them: each parser
  // reads the variables it names as unknown values.
  const applications = parseApplicationSettings(env, { turnstileSiteKey: TURNSTILE_SITE_KEY, siteUrl: site });
  const delivery = parseDeliverySettings(env);
  const recruiters = parseRecruiterSettings(env);
  const applicantEmail = parseApplicantEmailSettings(env);
  return {
    value: { applications, delivery: delivery.value, recruiters: recruiters.value, applicantEmail: applicantEmail.value },
    problems: [
      ...(applications.ok ? [] : applications.problems.map((problem) => ({ ...problem, capability: 'applications' }))),
      ...delivery.problems.map((problem) => ({ ...problem, capability: 'delivery' })),
      ...recruiters.problems.map((problem) => ({ ...problem, capability: 'recruiters' })),
      ...applicantEmail.problems.map((problem) => ({ ...problem, capability: 'applicants' })),
    ],
  };
}, writeLog);
