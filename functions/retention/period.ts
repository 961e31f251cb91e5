/**
 * How long applications are kept, as the privacy notice (content/pages/<locale>/privacy.md)
 * promises: 6 months, or 24 months with talent-pool consent, counted in calendar months.
 *
 * The period starts when the recruiting process ended (`process_ended_at`, set by recruiters).
 * While no end is recorded it starts at submission (`created_at`): a conservative default, so
 * an application whose end nobody recorded is never kept longer than promised, only shorter.
 */

/** Calendar months an application is kept after its retention start. */
export const RETENTION_MONTHS = {
  /** Without talent-pool consent. */
  withoutTalentPool: 6,
  /** With talent-pool consent (Art. 6(1)(a) GDPR). */
  talentPool: 24,
} as const;

/** The facts of a stored application that decide when it is deleted. */
export interface RetentionFacts {
  /** Submission time (`created_at`). */
  createdAt: Date;
  /** End of the recruiting process (`process_ended_at`), when recorded. */
  processEndedAt?: Date | null | undefined;
  /** Whether the applicant consented to the talent pool. */
  talentPool: boolean;
}

/** Calendar months the application is kept. */
export function retentionMonths(talentPool: boolean): number {
  return talentPool ? RETENTION_MONTHS.talentPool : RETENTION_MONTHS.withoutTalentPool;
}

/** The moment the retention period starts: the process end when recorded, else submission. */
export function retentionStart(facts: RetentionFacts): Date {
  return facts.processEndedAt ?? facts.createdAt;
}

/** The moment the application is due for deletion. */
export function retentionEndsAt(facts: RetentionFacts): Date {
  return addCalendarMonths(retentionStart(facts), retentionMonths(facts.talentPool));
}

/**
 * `date` plus `months` calendar months in UTC, keeping the time of day. A day that the target
 * month lacks becomes its last day (31 August + 6 months = 28 February), as § 188(3) BGB
 * counts periods; JavaScript's own overflow would give 3 March and keep data days longer.
 */
export function addCalendarMonths(date: Date, months: number): Date {
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const result = new Date(date.getTime());
  result.setUTCFullYear(year, month, Math.min(date.getUTCDate(), lastDay));
  return result;
}

/** The first instant of the UTC calendar month that `date` falls in. */
export function startOfUtcMonth(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
}
