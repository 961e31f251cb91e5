/**
 * The life cycle of a posting, as pure functions of its frontmatter and the clock, so that
 * the build, the Worker, the apply endpoints and the browser agree on when a posting closes:
 * at the end of its validThrough day in Munich (Europe/Berlin), as the handler in
 * functions/applications checks it.
 */
import { berlinToday } from '#functions/applications/schema.ts';
import type { Job } from '#src/schemas/job.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/**
 * The instant applications stop: midnight in Berlin after the validThrough day, or undefined
 * when the posting has no end date.
 */
export function applicationDeadline(job: Pick<Job, 'validThrough'>): Date | undefined {
  if (!job.validThrough) return undefined;
  const lastDay = isoDay(job.validThrough);
  const nextDayUtc = job.validThrough.getTime() + DAY_MS;
  // Berlin is 1 h (CET) or 2 h (CEST) ahead of UTC: the deadline is the candidate whose
  // Berlin day has just turned.
  for (const offset of [2 * HOUR_MS, HOUR_MS]) {
    const candidate = new Date(nextDayUtc - offset);
    if (berlinToday(candidate) > lastDay && berlinToday(new Date(candidate.getTime() - 1)) === lastDay) return candidate;
  }
  return new Date(nextDayUtc);
}

/** Whether a posting takes applications at `now`: open and not past its validThrough day. */
export function isAcceptingApplications(job: Pick<Job, 'status' | 'validThrough'>, now: Date): boolean {
  if (job.status !== 'open') return false;
  return !job.validThrough || berlinToday(now) <= isoDay(job.validThrough);
}
