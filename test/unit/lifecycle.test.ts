import { describe, expect, it } from 'vitest';
import { applicationDeadline, acceptsApplications } from '#functions/postings/lifecycle.ts';
import { postingsCacheControl } from '#src/postings/caching.ts';
import { applyJobFilters, filterChoices, filterQuery, groupByTeam, hasFilters, offersFilters, parseJobFilters } from '#src/postings/listing.ts';

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe('acceptsApplications', () => {
  it('accepts for an open posting without validThrough', () => {
    expect(acceptsApplications({ status: 'open' }, day('2030-01-01'))).toBe(true);
  });

  it('accepts until the end of the validThrough day in Munich and not a millisecond longer', () => {
    // January: Berlin is UTC+1, so the day ends at 23:00 UTC.
    const winter = { status: 'open', validThrough: day('2026-01-31') } as const;
    expect(acceptsApplications(winter, new Date('2026-01-31T22:59:59.999Z'))).toBe(true);
    expect(acceptsApplications(winter, new Date('2026-01-31T23:00:00.000Z'))).toBe(false);
    // July: Berlin is UTC+2, so the day ends at 22:00 UTC.
    const summer = { status: 'open', validThrough: day('2026-07-31') } as const;
    expect(acceptsApplications(summer, new Date('2026-07-31T21:59:59.999Z'))).toBe(true);
    expect(acceptsApplications(summer, new Date('2026-07-31T22:00:00.000Z'))).toBe(false);
  });

  it('never accepts for closed or draft postings', () => {
    expect(acceptsApplications({ status: 'closed' }, day('2020-01-01'))).toBe(false);
    expect(acceptsApplications({ status: 'draft' }, day('2020-01-01'))).toBe(false);
  });
});

describe('applicationDeadline', () => {
  it('is midnight in Berlin after the validThrough day, the instant the page script and the edge use', () => {
    expect(applicationDeadline({ validThrough: day('2026-01-31') })?.toISOString()).toBe('2026-01-31T23:00:00.000Z');
    expect(applicationDeadline({ validThrough: day('2026-07-31') })?.toISOString()).toBe('2026-07-31T22:00:00.000Z');
    // The last Sunday of March and of October change the offset within the next day.
    expect(applicationDeadline({ validThrough: day('2026-03-28') })?.toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(applicationDeadline({ validThrough: day('2026-10-24') })?.toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(applicationDeadline({})).toBeUndefined();
  });
});

describe('postingsCacheControl', () => {
  it('lets shared caches keep a list or a posting for five minutes, but never past the deadline of a posting it shows', () => {
    const lastDay = { validThrough: day('2026-01-31') };
    expect(postingsCacheControl([{}, { validThrough: day('2026-03-01') }], new Date('2026-01-31T12:00:00Z'))).toBe('public, max-age=300');
    // Two minutes before midnight in Munich, the last day of one posting.
    expect(postingsCacheControl([{}, lastDay], new Date('2026-01-31T22:58:00Z'))).toBe('public, max-age=120');
    // The first deadline counts, wherever its posting is in the list.
    expect(postingsCacheControl([{ validThrough: day('2026-03-01') }, lastDay, {}], new Date('2026-01-31T22:58:00Z'))).toBe('public, max-age=120');
    expect(postingsCacheControl([lastDay], new Date('2026-01-31T22:59:59.500Z'))).toBe('public, max-age=0');
    expect(postingsCacheControl([], new Date('2026-01-31T22:58:00Z'))).toBe('public, max-age=300');
  });
});

const job = (slug: string, team: string, city: string, employmentType: 'FULL_TIME' | 'INTERN' | 'PART_TIME') => ({
  slug,
  data: { team, employmentType, location: { city, streetAddress: 'x', postalCode: '1', region: 'r', countryCode: 'DE' } },
});
const jobs = [
  job('a', 'Design', 'München', 'FULL_TIME'),
  job('b', 'Finanzen', 'Berlin', 'INTERN'),
  job('c', 'Design', 'Berlin', 'INTERN'),
  job('d', 'Ärzte', 'Köln', 'PART_TIME'),
];

describe('list filters', () => {
  it('reads team, location and type from the query, ignoring empty and unknown values', () => {
    expect(parseJobFilters(new URLSearchParams('team=Design&location=&type=INTERN'))).toEqual({ team: 'Design', type: 'INTERN' });
    expect(parseJobFilters(new URLSearchParams('type=ASTRONAUT&team=%20'))).toEqual({});
    expect(hasFilters(parseJobFilters(new URLSearchParams('utm_source=x')))).toBe(false);
  });

  it('keeps the postings that match every filter set', () => {
    const slugs = (filters: Parameters<typeof applyJobFilters>[1]) => applyJobFilters(jobs, filters).map(({ slug }) => slug);
    expect(slugs({})).toEqual(['a', 'b', 'c', 'd']);
    expect(slugs({ team: 'Design' })).toEqual(['a', 'c']);
    expect(slugs({ location: 'Berlin', type: 'INTERN' })).toEqual(['b', 'c']);
    expect(slugs({ team: 'Design', location: 'Köln' })).toEqual([]);
  });

  it('writes the set filters as one query, each once and in a fixed order, whatever the request had', () => {
    const canonical = (query: string) => filterQuery(parseJobFilters(new URLSearchParams(query))).toString();
    expect(canonical('type=INTERN&utm_source=x&team=%20Design%20&location=')).toBe('team=Design&type=INTERN');
    expect(canonical('location=K%C3%B6ln&team=Design&team=Finanzen')).toBe('team=Design&location=K%C3%B6ln');
    expect(canonical('type=ASTRONAUT&page=2')).toBe('');
  });

  it('tells filters that name values some posting has from made-up ones', () => {
    expect(offersFilters(jobs, {})).toBe(true);
    expect(offersFilters([], {})).toBe(true);
    // Each value occurs, even if no posting has all of them: a choice the list offers.
    expect(offersFilters(jobs, { team: 'Design', location: 'Köln', type: 'PART_TIME' })).toBe(true);
    expect(offersFilters(jobs, { team: 'Nobody' })).toBe(false);
    expect(offersFilters(jobs, { team: 'Design', location: 'Hamburg' })).toBe(false);
    expect(offersFilters(jobs, { type: 'CONTRACTOR' })).toBe(false);
  });

  it('offers only choices that occur, sorted for the locale', () => {
    expect(filterChoices(jobs, 'de')).toEqual({
      teams: ['Ärzte', 'Design', 'Finanzen'],
      locations: ['Berlin', 'Köln', 'München'],
      types: ['FULL_TIME', 'PART_TIME', 'INTERN'],
    });
  });

  it('groups by team in alphabetical order and keeps the order within a team', () => {
    expect(groupByTeam(jobs, 'de').map(({ team, jobs: members }) => [team, members.map(({ slug }) => slug)])).toEqual([
      ['Ärzte', ['d']],
      ['Design', ['a', 'c']],
      ['Finanzen', ['b']],
    ]);
  });
});
