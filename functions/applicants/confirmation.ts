/**
 * The applicant's confirmation e-mail with the private link, sent right after a submission was
 * stored when a sender is configured (APPLICANT_EMAIL_FROM; off by default). It goes through
 * Cloudflare's `send_email` binding APPLICANT_EMAIL, whose restrictions decide who can receive
 * it (see README: with Email Routing only verified addresses of the account; arbitrary
 * applicants need Cloudflare Email Service's sending). The text comes localized from the
 * caller; applicants' text only reaches the body and the encoded Subject.
 */
import { z } from 'zod';
import { buildMimeMessage, isPlainAddress } from '#functions/delivery/mime.ts';
import { settingProblems, type SettingProblem } from '#functions/settings.ts';

/** The confirmation e-mail's settings, once parsed: the sender, or nothing (off). */
export interface ApplicantEmailSettings {
  from?: string | undefined;
}

const fromSchema = z
  .preprocess((value) => (typeof value === 'string' ? value.trim() : (value ?? '')), z.string())
  .refine((value) => value === '' || isPlainAddress(value), {
    error: 'must be a bare sender address on a domain onboarded to Cloudflare Email (e.g. careers@example.com), or empty to send no confirmation e-mails; fix it in wrangler.toml [vars]',
  });

/** Parses APPLICANT_EMAIL_FROM. */
export function parseApplicantEmailSettings(variables: { APPLICANT_EMAIL_FROM?: unknown }): { value: ApplicantEmailSettings; problems: SettingProblem[] } {
  const parsed = fromSchema.safeParse(variables.APPLICANT_EMAIL_FROM);
  if (!parsed.success) return { value: {}, problems: settingProblems(parsed.error).map((problem) => ({ ...problem, variable: 'APPLICANT_EMAIL_FROM' })) };
  return { value: { from: parsed.data || undefined }, problems: [] };
}

/** The whole message: to the applicant, from the configured sender. */
export function buildApplicantConfirmation(input: { from: string; to: string; subject: string; text: string; reference: string; now: Date }): string {
  return buildMimeMessage({
    from: input.from,
    to: input.to,
    subject: input.subject,
    text: input.text,
    messageId: `${input.reference}.${crypto.randomUUID()}@${input.from.slice(input.from.lastIndexOf('@') + 1)}`,
    date: input.now,
  });
}
