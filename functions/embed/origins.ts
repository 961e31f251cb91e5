/**
 * Which other sites may embed us and send applications from their pages: the ONE owner of the
 * `EMBED_ORIGINS` rule. The same list drives CSP `frame-ancestors`, CORS on the embedding
 * endpoints and the cross-site check on form posts, so the three can never disagree.
 *
 * Framework-free and pure. The setting is parsed at build time (./originsSetting.ts: a bad value
 * fails the build with a message saying how to fix it); the Worker takes the parsed list and
 * checks requests with the rules here, which need no zod, so its startup loads none.
 */

/** Methods that can change state: a browser sends them cross-site only with an Origin header. */
export const UNSAFE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Request header the Worker puts on an application form post it refused for its origin, when it
 * passes the typed text on (and nothing else) so that our page shows the form again, re-filled:
 * the applicant sends it from there, same-origin (src/server/embed.ts).
 */
export const ORIGIN_REFUSED_HEADER = 'X-Careers-Origin-Refused';

/** The urlencoded body the Worker passes on with ORIGIN_REFUSED_HEADER (the form itself posts multipart). */
export const REFILL_CONTENT_TYPE = 'application/x-www-form-urlencoded;charset=UTF-8';

/**
 * Whether a request is the Worker's re-fill of an application form post refused for its origin:
 * the marker on a urlencoded body. An application (multipart) with the marker is not one, so a
 * client cannot use it to change how a post from an allowed origin is taken.
 */
export function isOriginRefusedRefill(request: Request): boolean {
  const type = request.headers.get('Content-Type') ?? '';
  return request.method === 'POST' && request.headers.has(ORIGIN_REFUSED_HEADER) && type.toLowerCase().startsWith('application/x-www-form-urlencoded');
}

/**
 * The origins of an EMBED_ORIGINS value that `parseEmbedOrigins` already checked and normalized
 * (the build passes it on, space-separated): the Worker splits it without loading zod at startup.
 */
export function splitEmbedOrigins(normalized: string): string[] {
  return normalized.split(' ').filter(Boolean);
}

/**
 * Whether a request with this `Origin` may change state here: our own origin (the request's,
 * which a host mounting us by service binding or Web Fragments keeps) or an allowed host.
 * A missing or opaque (`null`) origin is refused, as Astro's own check does for form posts.
 */
export function isAllowedOrigin(origin: string | null, requestUrl: string, allowed: readonly string[]): boolean {
  if (!origin || origin === 'null') return false;
  return origin === new URL(requestUrl).origin || allowed.includes(origin);
}

/** Whether a request must pass the origin check: any state-changing method. */
export function needsOriginCheck(request: Request): boolean {
  return UNSAFE_METHODS.has(request.method.toUpperCase());
}
