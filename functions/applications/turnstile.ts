/**
 * Cloudflare Turnstile, checked on the server: the widget puts a token into the form
 * (`cf-turnstile-response`), and siteverify tells whether it is genuine and unspent. A token
 * is valid once: siteverify answers `timeout-or-duplicate` for a second use, so a replayed
 * token is refused here. (A double click still gets its first reference: duplicates are
 * recognised before the token is checked, see handler.ts.)
 */
import { z } from 'zod';

/** The form field the Turnstile widget fills. */
export const TURNSTILE_FIELD = 'cf-turnstile-response';
/** Cloudflare's siteverify endpoint. */
export const SITEVERIFY_URL = 'https://challenges.cloudflare.com/turnstile/v0/siteverify';
/** Longest token Turnstile issues (documented maximum). */
export const TURNSTILE_TOKEN_MAX_LENGTH = 2048;

const siteverifyResponseSchema = z.object({
  success: z.boolean(),
  'error-codes': z.array(z.string()).default([]),
});

/** What siteverify said: passed, failed (with Cloudflare's error codes), or could not be asked. */
export type TurnstileVerdict =
  | { status: 'passed' }
  | { status: 'failed'; errorCodes: string[] }
  | { status: 'unavailable'; reason: string };

/** Asks siteverify about a token; never throws. An empty or oversized token fails without asking. */
export async function verifyTurnstileToken(input: {
  token: string | undefined;
  secretKey: string;
  remoteIp?: string | undefined;
  fetch: typeof fetch;
}): Promise<TurnstileVerdict> {
  const token = input.token?.trim() ?? '';
  if (!token) return { status: 'failed', errorCodes: ['missing-input-response'] };
  if (token.length > TURNSTILE_TOKEN_MAX_LENGTH) return { status: 'failed', errorCodes: ['invalid-input-response'] };

  const body = new FormData();
  body.set('secret', input.secretKey);
  body.set('response', token);
  if (input.remoteIp) body.set('remoteip', input.remoteIp);
  try {
    const response = await input.fetch(SITEVERIFY_URL, { method: 'POST', body });
    if (!response.ok) return { status: 'unavailable', reason: `siteverify answered ${response.status}` };
    const parsed = siteverifyResponseSchema.safeParse(await response.json());
    if (!parsed.success) return { status: 'unavailable', reason: 'siteverify answered an unexpected body' };
    return parsed.data.success ? { status: 'passed' } : { status: 'failed', errorCodes: parsed.data['error-codes'] };
  } catch (error) {
    // Network trouble reaching Cloudflare: the applicant may retry; the caller answers 503.
    return { status: 'unavailable', reason: String(error) };
  }
}
