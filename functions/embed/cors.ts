/**
 * CORS for the endpoints a host site calls from its own pages (`/api/jobs`, `/api/applications`,
 * the fragments and `posting.jsonld`): allowed only for the origins of EMBED_ORIGINS, never `*`,
 * never with credentials (nothing we answer depends on cookies).
 */

/** What one endpoint offers to allowed origins. */
export interface CorsPolicy {
  /** Methods the endpoint answers, e.g. `['GET', 'HEAD']`. */
  methods: readonly string[];
  /** Request headers a caller may send beyond the CORS-safelisted ones. */
  allowHeaders?: readonly string[];
}

/** Seconds a browser may cache a preflight answer: one day. */
export const PREFLIGHT_MAX_AGE_SECONDS = 24 * 60 * 60;

/** Response headers a caller's script may read beyond the safelisted ones. */
const EXPOSED_HEADERS = ['ETag', 'Retry-After', 'Idempotent-Replayed', 'Link'];

/** Adds `value` to a comma-separated header unless it is there already. */
export function appendVary(headers: Headers, value: string): void {
  const present = (headers.get('Vary') ?? '').split(',').map((part) => part.trim().toLowerCase());
  if (!present.includes(value.toLowerCase()) && !present.includes('*')) headers.append('Vary', value);
}

/**
 * Returns the response with CORS headers for an allowed origin, and `Vary: Origin` always:
 * the answer differs by origin, so no cache may hand one origin's answer to another.
 */
export function withCors(request: Request, response: Response, allowed: readonly string[]): Response {
  const cors = new Response(response.body, response);
  appendVary(cors.headers, 'Origin');
  const origin = request.headers.get('Origin');
  if (origin && allowed.includes(origin)) {
    cors.headers.set('Access-Control-Allow-Origin', origin);
    cors.headers.set('Access-Control-Expose-Headers', EXPOSED_HEADERS.join(', '));
  }
  return cors;
}

/**
 * Answers `OPTIONS`: 204 with `Allow`, plus the preflight grant when the origin is allowed and
 * asks for a method the endpoint has. A refused preflight carries no grant, so the browser
 * stops the actual request.
 */
export function preflightResponse(request: Request, allowed: readonly string[], policy: CorsPolicy): Response {
  const methods = [...policy.methods, 'OPTIONS'];
  const headers = new Headers({ Allow: methods.join(', '), 'Cache-Control': 'no-store', Vary: 'Origin' });
  const origin = request.headers.get('Origin');
  const method = request.headers.get('Access-Control-Request-Method')?.toUpperCase();
  if (origin && allowed.includes(origin) && method && policy.methods.includes(method)) {
    headers.set('Access-Control-Allow-Origin', origin);
    headers.set('Access-Control-Allow-Methods', policy.methods.join(', '));
    if (policy.allowHeaders?.length) headers.set('Access-Control-Allow-Headers', policy.allowHeaders.join(', '));
    headers.set('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_SECONDS));
    // Only the grant may be cached, and only per origin.
    headers.set('Cache-Control', `public, max-age=${PREFLIGHT_MAX_AGE_SECONDS}`);
  }
  return new Response(null, { status: 204, headers });
}
