import { describe, expect, it } from 'vitest';
import { dueRetentionStartBound, isRetentionDue, retentionEndsAt } from '#functions/retention/period.ts';
import { addCalendarMonths } from '#functions/time.ts';

describe('the retention period', () => {
  it('counts calendar months and keeps the time of day', () => {
    expect(addCalendarMonths(new Date('2026-05-26T10:00:00.000Z'), 6).toISOString()).toBe('2026-11-26T10:00:00.000Z');
    expect(addCalendarMonths(new Date('2026-11-30T23:59:59.999Z'), 24).toISOString()).toBe('2028-11-30T23:59:59.999Z');
  });

  it('ends on the last day of a shorter month instead of spilling into the next one', () => {
    expect(addCalendarMonths(new Date('2026-08-31T12:00:00.000Z'), 6).toISOString()).toBe('2027-02-28T12:00:00.000Z');
    expect(addCalendarMonths(new Date('2025-08-31T12:00:00.000Z'), 6).toISOString()).toBe('2026-02-28T12:00:00.000Z');
    expect(addCalendarMonths(new Date('2024-02-29T00:00:00.000Z'), 48).toISOString()).toBe('2028-02-29T00:00:00.000Z');
    expect(addCalendarMonths(new Date('2028-02-29T08:00:00.000Z'), 24).toISOString()).toBe('2030-02-28T08:00:00.000Z');
  });

  it('lasts 6 months without talent-pool consent and 24 months with it, from submission when no process end is recorded', () => {
    const createdAt = new Date('2026-01-15T09:30:00.000Z');
    expect(retentionEndsAt({ createdAt, talentPool: false }).toISOString()).toBe('2026-07-15T09:30:00.000Z');
    expect(retentionEndsAt({ createdAt, processEndedAt: null, talentPool: true }).toISOString()).toBe('2028-01-15T09:30:00.000Z');
  });

  it('starts at the end of the recruiting process when one is recorded', () => {
    const facts = { createdAt: new Date('2026-01-15T09:30:00.000Z'), processEndedAt: new Date('2026-03-31T16:00:00.000Z') };
    expect(retentionEndsAt({ ...facts, talentPool: false }).toISOString()).toBe('2026-09-30T16:00:00.000Z');
    expect(retentionEndsAt({ ...facts, talentPool: true }).toISOString()).toBe('2028-03-31T16:00:00.000Z');
  });
});

describe('the lookup bound of the retention run', () => {
  it('never leaves out an application that is due, whatever the day of the month', () => {
    const now = new Date('2027-03-15T12:00:00.000Z');
    for (const talentPool of [false, true]) {
      const bound = dueRetentionStartBound(now, talentPool);
      // Every start from 30 months back to now, hour by hour around each month's end.
      for (let start = new Date('2024-09-01T00:00:00.000Z'); start <= now; start = new Date(start.getTime() + 6 * 60 * 60 * 1000)) {
        if (isRetentionDue({ createdAt: start, talentPool }, now)) expect(start.getTime(), start.toISOString()).toBeLessThan(bound.getTime());
      }
    }
  });
});
