/**
 * Composition root of the recruiters' inbox: who may enter (Cloudflare Access, or the local
 * sign-in on loopback, from the settings parsed once per isolate) and the inbox's dependencies
 * from the Worker's bindings. functions/recruiters receives everything as parameters.
 */
import { env } from 'cloudflare:workers';
import { authenticateRecruiter, LOCAL_SIGN_IN_COOKIE, localSignInIdentity, signInReturnPath, type RecruiterIdentity } from '#functions/recruiters/access.ts';
import type { InboxDeps } from '#functions/recruiters/inbox.ts';
import { isLoopbackHostname } from '#functions/security/loopback.ts';
import { LOCALES, type Locale } from '#src/i18n/locales.ts';
import { BASE, inboxPath } from '#src/i18n/paths.ts';
import { translate } from '#src/i18n/ui.ts';
import { enqueueDelivery } from '#src/server/delivery.ts';
import { settings } from '#src/server/settings.ts';

/**
 * What the inbox and the applicant's pages act with: the bindings, the clock, and the delivery
 * channels their status changes and deletions queue events on (logging to the console).
 */
export function privateAreaDeps(): Omit<InboxDeps, 'log'> {
  return {
    db: env.DB,
    bucket: env.CV_BUCKET,
    now: () => new Date(),
    deliveryChannels: settings().delivery.channels,
    notifyDelivery: enqueueDelivery,
  };
}

/** The inbox's dependencies. */
export const inboxDeps: () => InboxDeps = privateAreaDeps;

/** A short plain-text answer, never cached. */
function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'private, no-store' } });
}

/** The inbox's start in every locale: where a return after the local sign-in may lead. */
const INBOX_ROOTS = LOCALES.map((locale) => inboxPath(locale));

/** The inbox page to return to after the local sign-in, from an untrusted value (a query or form field); undefined for anything else. */
export function returnAfterSignIn(value: unknown): string | undefined {
  return signInReturnPath(value, INBOX_ROOTS);
}

/**
 * Lets a request into the inbox, or answers it: 401 without a token, 403 with one that does
 * not verify, and nothing else. Locally (RECRUITER_LOCAL_SIGN_IN on a loopback hostname) a
 * page request without the sign-in is sent to the sign-in page instead, which returns to the
 * page asked for once signed in.
 */
export async function admitRecruiter(request: Request, locale: Locale): Promise<{ identity: RecruiterIdentity } | { response: Response }> {
  const recruiters = settings().recruiters;
  const verdict = await authenticateRecruiter(request, recruiters);
  if (verdict.ok) return { identity: verdict.identity };
  if (verdict.status === 401 && request.method === 'GET' && localSignInIdentity(request, recruiters)) {
    const { pathname, search } = new URL(request.url);
    const next = returnAfterSignIn(`${pathname}${search}`);
    const location = next && next !== inboxPath(locale) ? `${inboxPath(locale, 'sign-in')}?${new URLSearchParams({ next })}` : inboxPath(locale, 'sign-in');
    return { response: new Response(null, { status: 303, headers: { Location: location, 'Cache-Control': 'private, no-store' } }) };
  }
  // On this machine without the local sign-in, say how to switch it on (no deployed Worker
  // answers a loopback hostname, so visitors of the real site never read it).
  const unauthorized = isLoopbackHostname(new URL(request.url).hostname) ? 'inbox.error.unauthorizedLocal' : 'inbox.error.unauthorized';
  return { response: plain(verdict.status, translate(locale, verdict.status === 401 ? unauthorized : 'inbox.error.forbidden')) };
}

/** The identity of the local sign-in for this request, when it is allowed (configured, loopback). */
export function localSignIn(request: Request): string | undefined {
  return localSignInIdentity(request, settings().recruiters);
}

/** The cookie that signs in (or, with `signOut`, out) locally; the inbox lives under every locale, so it is scoped to the base path. */
export function localSignInCookie(request: Request, signOut = false): string {
  const secure = new URL(request.url).protocol === 'https:' ? '; Secure' : '';
  return `${LOCAL_SIGN_IN_COOKIE}=${signOut ? '' : '1'}; Path=${BASE}; HttpOnly; SameSite=Strict${signOut ? '; Max-Age=0' : ''}${secure}`;
}
