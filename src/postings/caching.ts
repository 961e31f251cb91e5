/**
 * How long shared caches (a host's, a CDN's) may keep what the Worker renders from the
 * postings: the list, the fragments, `posting.jsonld` and `/api/jobs`. Never past the deadline
 * of a posting it shows, so a posting that stops taking applications drops out at once; the
 * apply endpoints check the deadline themselves.
 */
import { applicationDeadline, type PostingDates } from '#functions/postings/lifecycle.ts';

/** Seconds a shared cache may reuse a rendered answer without asking again. */
export const SHARED_MAX_AGE_SECONDS = 300;

/**
 * `Cache-Control` of a public answer showing these open postings (one, or a list): cacheable
 * for at most SHARED_MAX_AGE_SECONDS, and never past the first of their deadlines.
 */
export function postingsCacheControl(postings: ReadonlyArray<Pick<PostingDates, 'validThrough'>>, now: Date): string {
  // The first deadline ends the earliest validThrough day: one deadline worked out, not one per
  // posting (each looks at Munich's clock; a list can show a thousand postings).
  let earliest: Date | undefined;
  for (const { validThrough } of postings) if (validThrough && (!earliest || validThrough < earliest)) earliest = validThrough;
  const deadline = applicationDeadline({ validThrough: earliest });
  const untilDeadline = deadline ? Math.floor((deadline.getTime() - now.getTime()) / 1000) : Infinity;
  return `public, max-age=${Math.max(0, Math.min(SHARED_MAX_AGE_SECONDS, untilDeadline))}`;
}
