/**
 * The list page's filters and grouping, as pure functions: query parameters in, postings out.
 * Filters are plain GET parameters so they work without JavaScript:
 * `?team=<team>&location=<city>&type=<EMPLOYMENT_TYPE>`, each optional.
 */
import { z } from 'astro/zod';
import { EMPLOYMENT_TYPES, type Job } from '#src/schemas/job.ts';

/** A filter value: empty ("all") and over-long values count as not set. */
const filterValue = z.string().trim().min(1).max(200).optional().catch(undefined);

/** The filters a visitor chose; an unknown or malformed value is ignored rather than an error. */
export const jobFiltersSchema = z.object({
  /** Show only this team, e.g. "Video Computer Vision (VCV)". */
  team: filterValue,
  /** Show only this city, as written in the page's language, e.g. "München". */
  location: filterValue,
  /** Show only this employment type, e.g. "INTERN". */
  type: z.enum(EMPLOYMENT_TYPES).optional().catch(undefined),
});

/** The filters of a list request. */
export type JobFilters = z.infer<typeof jobFiltersSchema>;

/** Reads the filters from a URL's query. */
export function parseJobFilters(search: URLSearchParams): JobFilters {
  return jobFiltersSchema.parse({
    team: search.get('team') ?? undefined,
    location: search.get('location') ?? undefined,
    type: search.get('type') || undefined,
  });
}

/** The names of the filters, in the order their query parameters are written. */
const FILTER_NAMES = ['team', 'location', 'type'] as const;

/** The set filters as query parameters, each once and in a fixed order: one URL per choice of filters. */
export function filterQuery(filters: JobFilters): URLSearchParams {
  const query = new URLSearchParams();
  for (const name of FILTER_NAMES) {
    const value = filters[name];
    if (value) query.set(name, value);
  }
  return query;
}

/** Whether any filter is set. */
export function hasFilters(filters: JobFilters): boolean {
  return Boolean(filters.team || filters.location || filters.type);
}

type Listed = { data: Pick<Job, 'team' | 'location' | 'employmentType'> };

/** The postings that match every set filter. */
export function applyJobFilters<T extends Listed>(jobs: readonly T[], filters: JobFilters): T[] {
  return jobs.filter(
    ({ data }) =>
      (!filters.team || data.team === filters.team) &&
      (!filters.location || data.location.city === filters.location) &&
      (!filters.type || data.employmentType === filters.type),
  );
}

/**
 * Whether every set filter names a value that one of `jobs` has, i.e. one of the choices the
 * list offers; a made-up value matches nothing.
 */
export function offersFilters(jobs: readonly Listed[], filters: JobFilters): boolean {
  const offered = (one: JobFilters) => applyJobFilters(jobs, one).length > 0;
  return (!filters.team || offered({ team: filters.team })) && (!filters.location || offered({ location: filters.location })) && (!filters.type || offered({ type: filters.type }));
}

/** The choices each filter offers: the values that occur among `jobs`, sorted for `locale`. */
export function filterChoices(jobs: readonly Listed[], locale: string) {
  const sorted = (values: Iterable<string>) => [...new Set(values)].sort((a, b) => a.localeCompare(b, locale));
  return {
    teams: sorted(jobs.map(({ data }) => data.team)),
    locations: sorted(jobs.map(({ data }) => data.location.city)),
    types: EMPLOYMENT_TYPES.filter((type) => jobs.some(({ data }) => data.employmentType === type)),
  };
}

/** Postings grouped by team, teams in alphabetical order, postings in their given order. */
export function groupByTeam<T extends Listed>(jobs: readonly T[], locale: string): Array<{ team: string; jobs: T[] }> {
  const groups = new Map<string, T[]>();
  for (const job of jobs) groups.set(job.data.team, [...(groups.get(job.data.team) ?? []), job]);
  return [...groups].sort(([a], [b]) => a.localeCompare(b, locale)).map(([team, members]) => ({ team, jobs: members }));
}
