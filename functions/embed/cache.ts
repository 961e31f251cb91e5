/**
 * The answers the Worker renders for hosts (fragments, `posting.jsonld`, `/api/jobs`) are pure
 * functions of their canonical URL (the path and the query parameters the endpoint reads) for
 * as long as their `Cache-Control: public, max-age` says (the content is bundled with the
 * Worker, and a posting's max-age ends at its deadline). So each is rendered once per isolate
 * and then served from memory with a strong ETag, answering 304 when the caller already has it:
 * a host or CDN revalidating every few minutes gets a body only when something changed, and a
 * fragment costs about what a static file does.
 */
import { sha256Hex } from '#functions/encoding.ts';

/** Whether an `If-None-Match` header matches `etag` (weak comparison, as RFC 9110 asks for GET). */
export function matchesETag(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => opaque(tag) === opaque(etag));
}

/** Seconds a shared cache may keep an answer: its public `max-age`, else 0 (not kept). */
export function publicMaxAge(cacheControl: string | null): number {
  const directives = (cacheControl ?? '').toLowerCase().split(',').map((directive) => directive.trim());
  if (!directives.includes('public') || directives.some((directive) => ['private', 'no-store', 'no-cache'].includes(directive))) return 0;
  const maxAge = directives.find((directive) => directive.startsWith('max-age='));
  const seconds = Number(maxAge?.slice('max-age='.length));
  return Number.isInteger(seconds) && seconds > 0 ? seconds : 0;
}

/**
 * Whether a request asks not to be answered from a stored copy (`Cache-Control: no-cache`, as a
 * browser's hard reload and tools that want a fresh answer send it, RFC 9111 5.2.1.4).
 */
export function asksForFreshAnswer(request: Request): boolean {
  return (request.headers.get('Cache-Control') ?? '').toLowerCase().split(',').some((directive) => directive.trim() === 'no-cache');
}

/** A rendered 200 with its validator: kept for reuse, or answered once. */
interface Validated {
  body: ArrayBuffer;
  headers: Headers;
  etag: string;
  /** When it was rendered, in milliseconds since the epoch. */
  renderedAt: number;
  /** How long it stays fresh, in seconds (its public `max-age`). */
  maxAge: number;
}

/** When a kept answer stops being fresh, in milliseconds since the epoch. */
const expiresAt = (entry: Validated) => entry.renderedAt + entry.maxAge * 1000;

/** How the cache of rendered answers behaves. */
export interface RenderedCacheOptions {
  /** Most answers kept; the least recently used goes first. */
  maxEntries: number;
  /** The current time in milliseconds (tests pass a fake clock). */
  now?: () => number;
}

/** Renders an answer to a GET of the canonical URL; the cache calls it only when it has nothing fresh. */
export type Render = (request: Request) => Promise<Response>;

/** What an answer depends on, as the endpoint knows it (src/server/embed.ts). */
export interface CanonicalRequest {
  /**
   * The URL the answer is a function of: the path and only the query parameters the endpoint
   * reads, normalized and in a fixed order. The cache renders with it and keeps under it, so
   * parameters the endpoint ignores cannot make entries of their own. Default: the request's URL.
   */
  url?: string;
  /**
   * Asked on a miss: whether this URL's answer may be kept. False (e.g. a filter value that no
   * posting has) answers it fresh, with its ETag, and keeps nothing, so made-up values cannot
   * push real entries out.
   */
  keepable?: () => boolean | Promise<boolean>;
}

/**
 * Creates the isolate's cache of rendered answers. Its function answers a GET or HEAD from the
 * kept copy while it is fresh, else renders a GET of the canonical URL and keeps a 200 whose
 * Cache-Control is public with a max-age; the `max-age` it sends counts down to the copy's
 * expiry. A request with `Cache-Control: no-cache` is rendered afresh, and what it renders
 * replaces the kept copy (it costs no more than a made-up filter value does; `npm run bench`
 * measures a render this way). A HEAD is answered from the GET's answer (same headers, Content-Length included), never
 * rendered as a HEAD: a bodiless answer must never be kept as the GET's. Anything else (other
 * methods, other statuses, private answers) is rendered and passed on as it is.
 */
export function createRenderedCache({ maxEntries, now = Date.now }: RenderedCacheOptions): (request: Request, render: Render, canonical?: CanonicalRequest) => Promise<Response> {
  const kept = new Map<string, Validated>();

  /** The answer with an ETag, when it may be reused at all: a 200 with a public max-age. */
  async function validate(response: Response): Promise<Validated | undefined> {
    const maxAge = publicMaxAge(response.headers.get('Cache-Control'));
    if (response.status !== 200 || maxAge === 0) return undefined;
    const body = await response.arrayBuffer();
    return { body, headers: new Headers(response.headers), etag: `"${(await sha256Hex(body)).slice(0, 32)}"`, renderedAt: now(), maxAge };
  }

  function keep(key: string, entry: Validated): void {
    kept.set(key, entry);
    if (kept.size > maxEntries) kept.delete(kept.keys().next().value!);
  }

  /** Answers the request from a validated GET answer: 304 on a matching ETag, no body for HEAD. */
  function answer(request: Request, entry: Validated): Response {
    const headers = new Headers(entry.headers);
    headers.set('ETag', entry.etag);
    // Its max-age less its age in whole seconds (as an Age header counts): a fresh render says
    // its full max-age even when the clock moved on while it was hashed.
    headers.set('Cache-Control', `public, max-age=${Math.max(0, entry.maxAge - Math.floor((now() - entry.renderedAt) / 1000))}`);
    headers.delete('Content-Length');
    if (matchesETag(request.headers.get('If-None-Match'), entry.etag)) return new Response(null, { status: 304, headers });
    if (request.method !== 'HEAD') return new Response(entry.body, { status: 200, headers });
    // What the GET would say about its body, without the body.
    headers.set('Content-Length', String(entry.body.byteLength));
    return new Response(null, { status: 200, headers });
  }

  return async (request, render, canonical = {}) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return render(request);
    const url = new URL(canonical.url ?? request.url);
    const key = `${url.pathname}${url.search}`;
    const fresh = asksForFreshAnswer(request) ? undefined : kept.get(key);
    if (fresh && expiresAt(fresh) > now()) {
      // Most recently used last, so eviction takes the least recently used.
      kept.delete(key);
      kept.set(key, fresh);
      return answer(request, fresh);
    }
    kept.delete(key);
    const keepable = (await canonical.keepable?.()) ?? true;
    // Always a GET: its answer serves GET and HEAD alike.
    const response = await render(new Request(url, { method: 'GET', headers: request.headers }));
    const entry = await validate(response);
    if (!entry) {
      if (request.method !== 'HEAD') return response;
      await response.body?.cancel();
      return new Response(null, response);
    }
    if (keepable) keep(key, entry);
    return answer(request, entry);
  };
}
