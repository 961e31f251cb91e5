/**
 * The answers the Worker renders for hosts (fragments, `posting.jsonld`, `/api/jobs`) are pure
 * functions of their URL for as long as their `Cache-Control: public, max-age` says (the
 * content is bundled with the Worker, and a posting's max-age ends at its deadline). So each is
 * rendered once per isolate and then served from memory with a strong ETag, answering 304 when
 * the caller already has it: a host or CDN revalidating every few minutes gets a body only
 * when something changed, and a fragment costs about what a static file does.
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

/** A rendered answer kept for reuse. */
interface Kept {
  body: ArrayBuffer;
  headers: Headers;
  etag: string;
  /** When it stops being fresh, in milliseconds since the epoch. */
  expires: number;
}

/** How the cache of rendered answers behaves. */
export interface RenderedCacheOptions {
  /** Most answers kept; the least recently used goes first. */
  maxEntries: number;
  /** The current time in milliseconds (tests pass a fake clock). */
  now?: () => number;
}

/** Renders an answer; the cache calls it only when it has nothing fresh for the URL. */
export type Render = () => Promise<Response>;

/**
 * Creates the isolate's cache of rendered answers. Its function answers a GET or HEAD from the
 * kept copy while it is fresh, else renders and keeps a 200 whose Cache-Control is public with
 * a max-age; the `max-age` it sends counts down to the copy's expiry. Anything else (other
 * methods, other statuses, private answers) is rendered and passed on as it is.
 */
export function createRenderedCache({ maxEntries, now = Date.now }: RenderedCacheOptions): (request: Request, render: Render) => Promise<Response> {
  const kept = new Map<string, Kept>();

  async function keep(key: string, response: Response): Promise<Kept | undefined> {
    const maxAge = publicMaxAge(response.headers.get('Cache-Control'));
    if (response.status !== 200 || maxAge === 0) return undefined;
    const body = await response.arrayBuffer();
    const entry = { body, headers: new Headers(response.headers), etag: `"${(await sha256Hex(body)).slice(0, 32)}"`, expires: now() + maxAge * 1000 };
    kept.set(key, entry);
    if (kept.size > maxEntries) kept.delete(kept.keys().next().value!);
    return entry;
  }

  return async (request, render) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return render();
    const { pathname, search } = new URL(request.url);
    const key = `${pathname}${search}`;
    let entry = kept.get(key);
    if (entry && entry.expires > now()) {
      // Most recently used last, so eviction takes the least recently used.
      kept.delete(key);
      kept.set(key, entry);
    } else {
      kept.delete(key);
      const response = await render();
      entry = await keep(key, response);
      if (!entry) return response;
    }
    const headers = new Headers(entry.headers);
    headers.set('ETag', entry.etag);
    headers.set('Cache-Control', `public, max-age=${Math.max(0, Math.floor((entry.expires - now()) / 1000))}`);
    headers.delete('Content-Length');
    if (matchesETag(request.headers.get('If-None-Match'), entry.etag)) return new Response(null, { status: 304, headers });
    return new Response(request.method === 'HEAD' ? null : entry.body, { status: 200, headers });
  };
}
