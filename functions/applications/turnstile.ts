/**
 * Cloudflare Turnstile, checked on the server: the widget puts a token into the form
 * (`cf-turnstile-response`), and siteverify tells whether it is genuine, unspent, and was
 * solved for this form (the action) on this site (the hostname). A token is valid once:
 * siteverify answers `timeout-or-duplicate` for a second use, so a replayed token is refused.
 * (A double click still gets its first reference: duplicates are recognised before the token
 * is checked, see submission.ts.)
 */
import { z } from 'zod';
import type { TurnstileSettings } from '#functions/applications/settings.ts';

/** The form field the Turnstile widget fills. */
export const TURNSTILE_FIELD = 'cf-turnstile-response';
/** Cloudflare's siteverify endpoint. */
export const SITEVERIFY_URL = 'https://challenges.cloudflare.com/turnstile/v0/siteverify';
/** Longest token Turnstile issues (documented maximum). */
export const TURNSTILE_TOKEN_MAX_LENGTH = 2048;
/**
 * Cloudflare's documented test secrets (always pass, always fail, always spent). Their answers
 * carry a placeholder hostname and action, so those two are not compared for them.
 */
const TEST_SECRET = /^[123]x0{31}AA$/;

const siteverifyResponseSchema = z.object({
  success: z.boolean(),
  'error-codes': z.array(z.string()).default([]),
  /** Where the widget was solved. */
  hostname: z.string().optional(),
  /** The action the widget declared. */
  action: z.string().optional(),
});

/** What siteverify said: passed, failed (with error codes, ours included), or could not be asked. */
export type TurnstileVerdict = { status: 'passed' } | { status: 'failed'; errorCodes: string[] } | { status: 'unavailable'; reason: string };

/**
 * Asks siteverify about a token; never throws. An empty or oversized token fails without
 * asking; a token solved on another hostname (neither the request's nor the configured public
 * one) or for another action fails as `hostname-mismatch` / `action-mismatch`.
 */
export async function verifyTurnstileToken(input: {
  token: string | undefined;
  settings: TurnstileSettings;
  /** The hostname the form was posted to. */
  requestHostname: string;
  remoteIp?: string | undefined;
  fetch: typeof fetch;
}): Promise<TurnstileVerdict> {
  const token = input.token?.trim() ?? '';
  if (!token) return { status: 'failed', errorCodes: ['missing-input-response'] };
  if (token.length > TURNSTILE_TOKEN_MAX_LENGTH) return { status: 'failed', errorCodes: ['invalid-input-response'] };

  const { secretKey, hostnames, action } = input.settings;
  const body = new FormData();
  body.set('secret', secretKey);
  body.set('response', token);
  if (input.remoteIp) body.set('remoteip', input.remoteIp);
  try {
    const response = await input.fetch(SITEVERIFY_URL, { method: 'POST', body });
    if (!response.ok) return { status: 'unavailable', reason: `siteverify answered ${response.status}` };
    const parsed = siteverifyResponseSchema.safeParse(await response.json());
    if (!parsed.success) return { status: 'unavailable', reason: 'siteverify answered an unexpected body' };
    const answer = parsed.data;
    if (!answer.success) return { status: 'failed', errorCodes: answer['error-codes'] };
    if (TEST_SECRET.test(secretKey)) return { status: 'passed' };
    if (!answer.hostname || ![input.requestHostname, ...hostnames].includes(answer.hostname)) return { status: 'failed', errorCodes: ['hostname-mismatch'] };
    if (answer.action !== action) return { status: 'failed', errorCodes: ['action-mismatch'] };
    return { status: 'passed' };
  } catch (error) {
    // Network trouble reaching Cloudflare: the applicant may retry; the caller answers 503.
    return { status: 'unavailable', reason: error instanceof Error ? error.name : 'non-error thrown' };
  }
}
