/**
 * What a kept answer depends on (src/server/embed.ts keeps the host-facing answers and the list
 * pages in the isolate): its path, each segment in one encoding, and only the query parameters
 * it reads, normalized and in a fixed order. The cache renders a GET of that URL and keeps it
 * under it, so parameters an answer ignores, or other spellings of the same ones, cannot make
 * entries of their own. A list or jobs API answer is kept only when its filters name values the
 * open postings have, so made-up filter values cannot push real entries out either. Loaded with
 * the first answer that may be kept: it reads the query with zod, which the Worker's start does
 * not load.
 */
import type { CanonicalRequest } from '#functions/embed/cache.ts';
import type { EmbedEndpoint } from '#functions/embed/routes.ts';
import { isLocale } from '#src/i18n/locales.ts';
import { filterQuery, offersFilters, parseJobFilters, parseListPage } from '#src/postings/listing.ts';
import { JOBS_API_PER_PAGE, jobsApiPagingSchema } from '#src/schemas/jobsApi.ts';
import { getOpenJobs } from '#src/server/content.ts';

/** The answers the Worker keeps: the read-only host-facing endpoints and the list page. */
export type KeptKind = EmbedEndpoint['name'] | 'list-page';

/** The canonical request of a GET or HEAD of a `kind` answer. */
export function canonicalRequest(kind: KeptKind, request: Request): CanonicalRequest {
  const url = new URL(request.url);
  const segments = url.pathname.replace(/\/$/, '').split('/').map((segment) => encodeURIComponent(decodedOrAsIs(segment)));
  // The list page is a directory (`/de/`) as every page links it; the endpoints answer without the slash.
  const canonical = new URL(`${segments.join('/')}${kind === 'list-page' ? '/' : ''}`, url);
  if (kind !== 'list-fragment' && kind !== 'jobs-api' && kind !== 'list-page') return { url: canonical.href };

  const filters = parseJobFilters(url.searchParams);
  // The API names its language in the query (an unknown one is a 400, never kept), the lists in their path.
  const locale = (kind === 'jobs-api' ? url.searchParams.get('locale') : segments.at(kind === 'list-page' ? -1 : -2)) ?? undefined;
  const query = new URLSearchParams(kind === 'jobs-api' && locale !== undefined ? { locale } : {});
  for (const [name, value] of filterQuery(filters)) query.append(name, value);
  if (kind === 'jobs-api') {
    const paging = jobsApiPagingSchema.safeParse({ page: url.searchParams.get('page') ?? undefined, perPage: url.searchParams.get('perPage') ?? undefined });
    // Malformed paging is a 400 for the handler to explain: the request goes on as it came, never kept.
    if (!paging.success) return { keepable: () => false };
    // The page last, so the answer's links to other pages differ from its own URL only at the end.
    if (paging.data.perPage !== JOBS_API_PER_PAGE) query.set('perPage', String(paging.data.perPage));
    if (paging.data.page > 1) query.set('page', String(paging.data.page));
  } else {
    // A missing or malformed page is the first.
    const page = parseListPage(url.searchParams);
    if (page > 1) query.set('page', String(page));
  }
  canonical.search = query.toString();
  return { url: canonical.href, keepable: async () => isLocale(locale) && offersFilters(await getOpenJobs(locale, new Date()), filters) };
}

function decodedOrAsIs(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
