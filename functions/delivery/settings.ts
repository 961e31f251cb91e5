/**
 * The delivery capability's settings (wrangler.toml [vars] and the secret
 * DELIVERY_WEBHOOK_SECRET). A channel is asked for by setting any of its variables; it is used
 * only when all of them are valid. A channel asked for but misconfigured still gets its outbox
 * rows (nothing an applicant sent is lost) and the consumer leaves them pending until the
 * settings are fixed (fail closed, see functions/settings.ts): nothing goes to an http URL or
 * is signed with a guessable secret.
 */
import { z } from 'zod';
import { isPlainAddress } from '#functions/delivery/mime.ts';
import type { EmailAddresses } from '#functions/delivery/email.ts';
import type { WebhookTarget } from '#functions/delivery/webhook.ts';
import { settingProblems, type SettingProblem } from '#functions/settings.ts';
import type { DeliveryChannel } from '#functions/storage/deliveries.ts';
import { isPrivateTransport } from '#functions/security/loopback.ts';

/** Fewest bytes of the webhook secret (256 bits, the HMAC-SHA256 key size). */
export const WEBHOOK_SECRET_MIN_BYTES = 32;
/** The prefix of a Standard Webhooks secret: `whsec_` and the key in base64. */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

/** The key bytes of a `whsec_<base64>` secret, or undefined when it is not one. */
export function webhookSecretBytes(secret: string): number | undefined {
  if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) return undefined;
  try {
    return atob(secret.slice(WEBHOOK_SECRET_PREFIX.length)).length;
  } catch {
    return undefined;
  }
}
/** How to make a secret, for the messages. */
const MAKE_SECRET = `\`echo "${WEBHOOK_SECRET_PREFIX}$(openssl rand -base64 32)"\``;

/** The delivery settings, once parsed. */
export interface DeliverySettings {
  /** Channels the settings ask for: each stored application gets an outbox row per channel. */
  channels: DeliveryChannel[];
  /** The e-mail channel, when asked for and valid. */
  email?: EmailAddresses | undefined;
  /**
   * Whether the new-application e-mail carries the answers and the CV (copies retention cannot
   * delete); by default it carries the reference, the posting and the inbox link only.
   */
  attachApplication: boolean;
  /** The webhook channel, when asked for and valid. */
  webhook?: WebhookTarget | undefined;
}

const text = z.preprocess((value) => (typeof value === 'string' ? value.trim() : (value ?? '')), z.string());
const address = (variable: string) =>
  text.refine((value) => value === '' || isPlainAddress(value), {
    error: `must be a bare e-mail address such as careers@example.com (no display name); fix ${variable} in wrangler.toml [vars], or leave both RECRUITER_EMAIL_ variables empty to turn e-mail off`,
  });

// Each variable on its own, so one channel's mistake never turns the other channel off.
const variableSchemas = {
  /** Sender of the recruiter e-mail, on a domain onboarded to Email Routing; empty: no e-mail. */
  RECRUITER_EMAIL_FROM: address('RECRUITER_EMAIL_FROM'),
  /** The recruiters' (verified) address; empty: no e-mail. */
  RECRUITER_EMAIL_TO: address('RECRUITER_EMAIL_TO'),
  /**
   * The company system's https endpoint for the signed webhook; empty: no webhook. Plain http
   * only to this machine, so a receiver can be tried locally (`npm start`) without a certificate.
   */
  DELIVERY_WEBHOOK_URL: text.refine((value) => value === '' || isPrivateTransport(URL.parse(value) ?? new URL('about:blank')), {
    error: 'must be an https:// URL (applications are personal data and never travel unencrypted; http:// only to localhost, for trying it locally); fix it in wrangler.toml [vars], or leave it empty to turn the webhook off',
  }),
  /** The webhook's signing key (a secret), Standard Webhooks format `whsec_<base64>`. */
  DELIVERY_WEBHOOK_SECRET: text.refine((value) => value === '' || (webhookSecretBytes(value) ?? 0) >= WEBHOOK_SECRET_MIN_BYTES, {
    error: `must be a Standard Webhooks secret, ${WEBHOOK_SECRET_PREFIX} followed by at least ${WEBHOOK_SECRET_MIN_BYTES} random bytes in base64; make one with ${MAKE_SECRET}, set it with \`wrangler secret put DELIVERY_WEBHOOK_SECRET\` (locally in .dev.vars), and give the receiver the same`,
  }),
  /** "true" attaches the answers and the CV to the new-application e-mail; empty or "false": not. */
  RECRUITER_EMAIL_ATTACH_APPLICATION: text.refine((value) => ['', 'true', 'false'].includes(value), {
    error: 'must be "true" (attach the answers and the CV: copies that retention cannot delete) or "false"/empty (reference, posting and inbox link only); fix it in wrangler.toml [vars]',
  }),
};
type Variable = keyof typeof variableSchemas;

/** Parses the delivery settings; problems name each misconfigured variable and how to fix it. */
export function parseDeliverySettings(variables: Partial<Record<Variable, unknown>>): { value: DeliverySettings; problems: SettingProblem[] } {
  const problems: SettingProblem[] = [];
  const read = (variable: Variable): string | undefined => {
    const parsed = variableSchemas[variable].safeParse(variables[variable]);
    if (parsed.success) return parsed.data;
    problems.push(...settingProblems(parsed.error).map((problem) => ({ ...problem, variable })));
    return undefined;
  };
  const from = read('RECRUITER_EMAIL_FROM');
  const to = read('RECRUITER_EMAIL_TO');
  const url = read('DELIVERY_WEBHOOK_URL');
  const secret = read('DELIVERY_WEBHOOK_SECRET');
  const attachApplication = read('RECRUITER_EMAIL_ATTACH_APPLICATION') === 'true';
  const set = (variable: Variable) => String(variables[variable] ?? '').trim() !== '';

  // A channel is asked for as soon as one of its addresses is set.
  const emailAskedFor = set('RECRUITER_EMAIL_FROM') || set('RECRUITER_EMAIL_TO');
  for (const variable of ['RECRUITER_EMAIL_FROM', 'RECRUITER_EMAIL_TO'] as const) {
    if (emailAskedFor && !set(variable)) {
      problems.push({ variable, message: 'is empty while the other RECRUITER_EMAIL_ variable is set; e-mail needs a sender and a recipient in wrangler.toml [vars]' });
    }
  }
  const webhookAskedFor = set('DELIVERY_WEBHOOK_URL');
  if (webhookAskedFor && !set('DELIVERY_WEBHOOK_SECRET')) {
    problems.push({
      variable: 'DELIVERY_WEBHOOK_SECRET',
      message: `is missing although DELIVERY_WEBHOOK_URL is set; make one with ${MAKE_SECRET} and set it with \`wrangler secret put DELIVERY_WEBHOOK_SECRET\` (locally in .dev.vars)`,
    });
  }

  const email = emailAskedFor && from && to ? { from, to } : undefined;
  const webhook = webhookAskedFor && url && secret ? { url, secret } : undefined;
  const channels: DeliveryChannel[] = [...(emailAskedFor ? (['email'] as const) : []), ...(webhookAskedFor ? (['webhook'] as const) : [])];
  return { value: { channels, email, webhook, attachApplication }, problems };
}
