/**
 * The endpoints host sites call, by their path below the base path, and what each needs: the
 * ONE table the Worker consults for preflights, CORS, validators and absolute fragment links.
 */
import type { CorsPolicy } from '#functions/embed/cors.ts';

/** What the Worker adds to one kind of host-facing answer. */
export interface EmbedEndpoint {
  /** Which endpoint (for logs and tests). */
  name: 'jobs-api' | 'applications-api' | 'list-fragment' | 'posting-fragment' | 'posting-jsonld';
  /** Cross-origin access for EMBED_ORIGINS. */
  cors: CorsPolicy;
  /** Whether its fresh answers are kept in the isolate and get an ETag and 304 (functions/embed/cache.ts). */
  validators: boolean;
  /** Whether the answer is a fragment inserted into a host page: its URLs must be absolute. */
  fragment: boolean;
}

const READ: CorsPolicy = { methods: ['GET', 'HEAD'] };

/** Where each host-facing endpoint is: its path below the base, without leading slash. */
export const EMBED_PATHS = {
  'jobs-api': /^api\/jobs\/?$/,
  'applications-api': /^api\/applications\/?$/,
  'list-fragment': /^[^/]+\/fragment\/?$/,
  'posting-fragment': /^[^/]+\/jobs\/[^/]+\/fragment\/?$/,
  'posting-jsonld': /^[^/]+\/jobs\/[^/]+\/posting\.jsonld\/?$/,
} as const satisfies Record<EmbedEndpoint['name'], RegExp>;

const ENDPOINTS: ReadonlyArray<[RegExp, EmbedEndpoint]> = [
  [EMBED_PATHS['jobs-api'], { name: 'jobs-api', cors: READ, validators: true, fragment: false }],
  [
    EMBED_PATHS['applications-api'],
    // The form script sends multipart with an Idempotency-Key header (which needs a preflight).
    { name: 'applications-api', cors: { methods: ['POST'], allowHeaders: ['Content-Type', 'Idempotency-Key'] }, validators: false, fragment: false },
  ],
  [EMBED_PATHS['list-fragment'], { name: 'list-fragment', cors: READ, validators: true, fragment: true }],
  [EMBED_PATHS['posting-fragment'], { name: 'posting-fragment', cors: READ, validators: true, fragment: true }],
  [EMBED_PATHS['posting-jsonld'], { name: 'posting-jsonld', cors: READ, validators: true, fragment: false }],
];

/** Where the JSON Schema of `/api/jobs` is served (a static file of public/), below the base. */
export const JOBS_SCHEMA_PATH = 'api/jobs.schema.json';

/**
 * The form route an application posts to without JavaScript, `<locale>/jobs/<slug>/apply`
 * (way 3 posts to it from a host's page): captures the locale and the slug.
 */
export const APPLICATION_FORM_ROUTE = /^([^/]+)\/jobs\/([^/]+)\/apply\/?$/;

/** The host-facing endpoint at `path` (below the base, no leading slash), if it is one. */
export function embedEndpointOf(path: string): EmbedEndpoint | undefined {
  return ENDPOINTS.find(([pattern]) => pattern.test(path))?.[1];
}
