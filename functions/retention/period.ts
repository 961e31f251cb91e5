/**
 * How long applications are kept, as the privacy notice (content/pages/<locale>/privacy.md)
 * promises: 6 months, or 24 months with talent-pool consent, counted in calendar months. The
 * retention run (./purge.ts) deletes exactly what `isRetentionDue` says is due.
 *
 * The period starts when the recruiting process ended (`processEndedAt`, set when recruiters
 * give a final status in the inbox). While the process runs it starts at the last step
 * recruiters recorded (`statusChangedAt`), so a running process is not cut short by the
 * period; an application nobody touched counts from submission (`createdAt`).
 */
import { addCalendarMonths, startOfUtcMonth } from '#functions/time.ts';

/** Calendar months an application is kept after its retention start. */
export const RETENTION_MONTHS = {
  /** Without talent-pool consent. */
  withoutTalentPool: 6,
  /** With talent-pool consent (Art. 6(1)(a) GDPR). */
  talentPool: 24,
} as const;

/**
 * Days the outbox keeps an `application.deleted` event after it was delivered (a reference, a
 * posting, a date and a reason: enough to see in the inbox that the receivers were told, and
 * nothing personal); the retention run removes it then.
 */
export const DELIVERED_DELETION_EVENT_DAYS = 30;

/** The facts of a stored application that decide when it is deleted. */
export interface RetentionFacts {
  /** Submission time. */
  createdAt: Date;
  /** End of the recruiting process, when recorded. */
  processEndedAt?: Date | null | undefined;
  /** The last status change recruiters recorded, if any. */
  statusChangedAt?: Date | null | undefined;
  /** Whether the applicant consented to the talent pool. */
  talentPool: boolean;
}

/** Calendar months the application is kept. */
export function retentionMonths(talentPool: boolean): number {
  return talentPool ? RETENTION_MONTHS.talentPool : RETENTION_MONTHS.withoutTalentPool;
}

/** The moment the retention period starts: the process end, else the last status change, else submission. */
export function retentionStart(facts: RetentionFacts): Date {
  return facts.processEndedAt ?? facts.statusChangedAt ?? facts.createdAt;
}

/** The moment the application is due for deletion. */
export function retentionEndsAt(facts: RetentionFacts): Date {
  return addCalendarMonths(retentionStart(facts), retentionMonths(facts.talentPool));
}

/** Whether the application is due for deletion at `now`. */
export function isRetentionDue(facts: RetentionFacts, now: Date): boolean {
  return retentionEndsAt(facts).getTime() <= now.getTime();
}

/**
 * A start bound for looking up due applications: whatever started on or after it ends after
 * the current UTC month, so it cannot be due at `now`. Everything due started before it; the
 * exact test is `isRetentionDue`.
 */
export function dueRetentionStartBound(now: Date, talentPool: boolean): Date {
  return addCalendarMonths(startOfUtcMonth(now), 1 - retentionMonths(talentPool));
}

/** The retention facts of a stored application (its times as ISO 8601 text). */
export function retentionFactsOf(application: {
  createdAt: string;
  processEndedAt: string | null;
  statusChangedAt: string | null;
  consent: { talentPool: boolean };
}): RetentionFacts {
  const date = (value: string | null) => (value === null ? null : new Date(value));
  return {
    createdAt: new Date(application.createdAt),
    processEndedAt: date(application.processEndedAt),
    statusChangedAt: date(application.statusChangedAt),
    talentPool: application.consent.talentPool,
  };
}
