/**
 * How long shared caches (a host's, a CDN's) may keep what the Worker renders from the
 * postings: the list, the fragments, `posting.jsonld` and `/api/jobs`. A posting that closes
 * drops out after at most this long; the apply endpoints check the deadline themselves.
 */

/** Seconds a shared cache may reuse a rendered answer without asking again. */
export const SHARED_MAX_AGE_SECONDS = 300;

/** `Cache-Control` of the list and of `/api/jobs`. */
export const SHARED_CACHE_CONTROL = `public, max-age=${SHARED_MAX_AGE_SECONDS}`;

/**
 * `Cache-Control` of one posting's answer: as for the list, but never past the instant it
 * stops taking applications, so no cache shows its form after the deadline.
 */
export function postingCacheControl(deadline: Date | undefined, now: Date): string {
  const untilDeadline = deadline ? Math.floor((deadline.getTime() - now.getTime()) / 1000) : Infinity;
  return `public, max-age=${Math.max(0, Math.min(SHARED_MAX_AGE_SECONDS, untilDeadline))}`;
}
