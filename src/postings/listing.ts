/**
 * The list page's filters, order, grouping and pages, as pure functions: query parameters in,
 * postings out. Filters and the page are plain GET parameters so they work without JavaScript:
 * `?team=<team>&location=<city>&type=<EMPLOYMENT_TYPE>&page=<n>`, each optional.
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

/** One collator per locale: comparing with it is many times faster than `localeCompare`. */
const collators = new Map<string, Intl.Collator>();
function collatorFor(locale: string): Intl.Collator {
  let collator = collators.get(locale);
  if (!collator) collators.set(locale, (collator = new Intl.Collator(locale)));
  return collator;
}

/** The choices each filter offers: the values that occur among `jobs`, sorted for `locale`. */
export function filterChoices(jobs: readonly Listed[], locale: string) {
  const sorted = (values: Iterable<string>) => [...new Set(values)].sort(collatorFor(locale).compare);
  return {
    teams: sorted(jobs.map(({ data }) => data.team)),
    locations: sorted(jobs.map(({ data }) => data.location.city)),
    types: EMPLOYMENT_TYPES.filter((type) => jobs.some(({ data }) => data.employmentType === type)),
  };
}

/** Postings grouped by team, teams in alphabetical order, postings in their given order. */
export function groupByTeam<T extends Listed>(jobs: readonly T[], locale: string): Array<{ team: string; jobs: T[] }> {
  const groups = new Map<string, T[]>();
  for (const job of jobs) {
    const members = groups.get(job.data.team);
    if (members) members.push(job);
    else groups.set(job.data.team, [job]);
  }
  const compare = collatorFor(locale).compare;
  return [...groups].sort(([a], [b]) => compare(a, b)).map(([team, members]) => ({ team, jobs: members }));
}

/** Open postings as the list shows them: in its order (by team, see groupByTeam), and the filter choices. */
export interface ListView<T> {
  ordered: readonly T[];
  choices: ReturnType<typeof filterChoices>;
}

const views = new WeakMap<readonly Listed[], ListView<Listed>>();

/**
 * The list's order and filter choices for a set of open postings, worked out once per set: the
 * open postings of a day are one set (src/server/content.ts), so a request only filters and
 * pages, however many postings there are.
 */
export function listView<T extends Listed>(open: readonly T[], locale: string): ListView<T> {
  let view = views.get(open) as ListView<T> | undefined;
  if (!view) {
    view = { ordered: groupByTeam(open, locale).flatMap((group) => group.jobs), choices: filterChoices(open, locale) };
    views.set(open, view);
  }
  return view;
}

/** Postings per page of the list page and the list fragment. */
export const LIST_PAGE_SIZE = 20;

/** Highest page number the list reads; beyond it a value counts as malformed. */
const MAX_PAGE = 100_000;

/** The page a visitor asked for (`?page=`): a whole number from 1; a missing or malformed one is the first. */
export function parseListPage(search: URLSearchParams): number {
  const value = search.get('page') ?? '';
  const page = /^[1-9]\d{0,5}$/.test(value) ? Number(value) : 1;
  return page <= MAX_PAGE ? page : 1;
}

/** One page of a list. */
export interface ListPage<T> {
  items: T[];
  /** Its number, from 1. */
  page: number;
  /** How many pages the list has; an empty list has one, empty page. */
  pageCount: number;
  /** How many items the whole list has. */
  total: number;
}

/** Page `page` (from 1) of `items` in pages of `size`, or undefined past the last page. */
export function pageOf<T>(items: readonly T[], page: number, size: number): ListPage<T> | undefined {
  const pageCount = Math.max(1, Math.ceil(items.length / size));
  if (!Number.isInteger(page) || page < 1 || page > pageCount) return undefined;
  return { items: items.slice((page - 1) * size, page * size), page, pageCount, total: items.length };
}

/**
 * The page numbers a pager links: the first, the last, and the current one with one either
 * side; `null` marks a gap. Short lists show every number.
 */
export function pagerNumbers(page: number, pageCount: number): Array<number | null> {
  const shown = [...new Set([1, page - 1, page, page + 1, pageCount])].filter((number) => number >= 1 && number <= pageCount).sort((a, b) => a - b);
  return shown.flatMap((number, index) => {
    const previous = shown[index - 1];
    if (previous === undefined || number === previous + 1) return [number];
    // A gap of one page is shown as that page, not as an ellipsis standing for one number.
    return number === previous + 2 ? [previous + 1, number] : [null, number];
  });
}

/** The query string of a list view, with `?`: its filters, and its page past the first ("" when neither). */
export function listQuery(filters: JobFilters, page: number): string {
  const query = filterQuery(filters);
  if (page > 1) query.set('page', String(page));
  const text = query.toString();
  return text ? `?${text}` : '';
}

/** What one list request shows: the page of the matching postings, and the filter choices. */
export interface ListSelection<T> {
  /** How many postings are open at all (none: the list says so instead of offering filters). */
  openCount: number;
  choices: ListView<T>['choices'];
  /** The requested page of the postings that match the filters. */
  current: ListPage<T>;
}

/**
 * The page of open postings a list request asks for, in the list's order, or undefined past
 * the last page (a 404): the list page and the list fragment answer from it alike.
 */
export function selectListPage<T extends Listed>(open: readonly T[], filters: JobFilters, page: number, locale: string): ListSelection<T> | undefined {
  const view = listView(open, locale);
  const current = pageOf(hasFilters(filters) ? applyJobFilters(view.ordered, filters) : view.ordered, page, LIST_PAGE_SIZE);
  return current && { openCount: open.length, choices: view.choices, current };
}
