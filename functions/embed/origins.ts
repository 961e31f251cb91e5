/**
 * Which other sites may embed us and send applications from their pages: the ONE owner of the
 * `EMBED_ORIGINS` rule. The same list drives CSP `frame-ancestors`, CORS on the embedding
 * endpoints and the cross-site check on form posts, so the three can never disagree.
 *
 * Framework-free and pure: parsed once at build time (a bad value fails the build with a message
 * saying how to fix it) and again, unchanged, in the Worker.
 */
import { z } from 'zod';
import { isPrivateTransport } from '#functions/security/loopback.ts';

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

/** A host name (as URL gives it: lower case, punycode) or an IPv6 literal; no wildcards. */
const HOST_NAME = /^(?:(?:[a-z0-9-]+\.)*[a-z0-9-]+|\[[0-9a-f:.]+\])$/;

/** One allowed origin: an https origin, or an http one on the local machine; nothing after the port. */
const embedOriginSchema = z.string().transform((value, context) => {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    // reported below
  }
  // Nothing but scheme, host and port: no path, query, fragment or credentials.
  const bare = url !== undefined && url.origin !== 'null' && `${url.origin}/` === url.href && HOST_NAME.test(url.hostname);
  // Plain http only for the local machine (`npm start`, tests).
  const secure = url !== undefined && isPrivateTransport(url);
  if (!url || !bare || !secure) {
    context.addIssue({
      code: 'custom',
      message: `"${value}" is not an allowed origin: write scheme and host (and port), nothing after them, e.g. https://www.example.com; http:// only for localhost`,
    });
    return z.NEVER;
  }
  return url.origin;
});

/** The allowed host origins, as written in EMBED_ORIGINS: separated by commas and/or spaces. */
export const embedOriginsSchema = z
  .string()
  .optional()
  .transform((value) => (value ?? '').split(/[\s,]+/).filter(Boolean))
  .pipe(z.array(embedOriginSchema))
  .transform((origins) => [...new Set(origins)]);

/**
 * Parses EMBED_ORIGINS into normalized origins (`https://www.example.com`); empty or unset is
 * none. Throws one message naming every bad entry and how to write it.
 */
export function parseEmbedOrigins(value: string | undefined): string[] {
  const result = embedOriginsSchema.safeParse(value);
  if (result.success) return result.data;
  throw new Error(`EMBED_ORIGINS: ${result.error.issues.map((issue) => issue.message).join('; ')}`);
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
