/**
 * The life cycle of a posting, the one place it is decided: a posting is published unless it
 * is a draft, and takes applications while it is open and its `validThrough` day (a Munich
 * calendar day) has not ended. The pages, the JSON-LD, the list, the feeds, the deadline
 * script's instant and the application handlers all ask here, so they cannot disagree.
 */
import { endOfMunichDay, isoDay, todayInMunich } from '#functions/time.ts';

/** The life-cycle states an editor sets in a posting's front matter. */
export const POSTING_STATUSES = ['draft', 'open', 'closed'] as const;
/** draft (never published), open (takes applications) or closed. */
export type PostingStatus = (typeof POSTING_STATUSES)[number];

/** What the life cycle needs to know about a posting. */
export interface PostingDates {
  status: PostingStatus;
  /** The last day applications are taken: UTC midnight of a `YYYY-MM-DD` day, as content dates are. */
  validThrough?: Date | undefined;
}

/** Whether a posting is published at all: drafts are not (except where `includeDrafts`, i.e. `astro dev`). */
export function isPublished(posting: Pick<PostingDates, 'status'>, options: { includeDrafts?: boolean } = {}): boolean {
  return posting.status !== 'draft' || options.includeDrafts === true;
}

/** Whether a posting takes applications at `now`: open, and its validThrough day not over in Munich. */
export function acceptsApplications(posting: PostingDates, now: Date): boolean {
  return acceptsApplicationsOn(posting, todayInMunich(now));
}

/**
 * The same rule for a whole Munich calendar day (`YYYY-MM-DD`, from `todayInMunich`): a list
 * decides it for many postings at once, with one look at the clock.
 */
export function acceptsApplicationsOn(posting: PostingDates, munichDay: string): boolean {
  if (posting.status !== 'open') return false;
  return !posting.validThrough || munichDay <= isoDay(posting.validThrough);
}

/**
 * The instant applications stop: midnight in Munich after the validThrough day, or undefined
 * when the posting has no end date.
 */
export function applicationDeadline(posting: Pick<PostingDates, 'validThrough'>): Date | undefined {
  return posting.validThrough ? endOfMunichDay(isoDay(posting.validThrough)) : undefined;
}

/** Why a posting takes no application: `unpublished` (unknown or draft: 404) or `closed` (410). */
export type PostingRefusal = 'unpublished' | 'closed';

/** Whether an application to this posting (undefined: no such posting) can be taken now, or why not. */
export function applicationRefusal(posting: PostingDates | undefined, now: Date): PostingRefusal | undefined {
  if (!posting || !isPublished(posting)) return 'unpublished';
  return acceptsApplications(posting, now) ? undefined : 'closed';
}
