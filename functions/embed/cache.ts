/**
 * Validators for the answers the Worker renders for hosts (fragments, `posting.jsonld`,
 * `/api/jobs`): a strong ETag from the bytes, and 304 when the caller already has them, so a
 * host or CDN revalidating every few minutes gets a body only when something changed.
 */
import { sha256Hex } from '#functions/encoding.ts';

/** Whether an `If-None-Match` header matches `etag` (weak comparison, as RFC 9110 asks for GET). */
export function matchesETag(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => opaque(tag) === opaque(etag));
}

/**
 * Returns a 200 answer to GET or HEAD with a strong ETag (SHA-256 of the body), or a 304
 * without body when `If-None-Match` names it; any other answer unchanged.
 */
export async function withETag(request: Request, response: Response): Promise<Response> {
  if (response.status !== 200 || (request.method !== 'GET' && request.method !== 'HEAD')) return response;
  const body = await response.arrayBuffer();
  const headers = new Headers(response.headers);
  const etag = `"${(await sha256Hex(body)).slice(0, 32)}"`;
  headers.set('ETag', etag);
  if (matchesETag(request.headers.get('If-None-Match'), etag)) {
    headers.delete('Content-Length');
    return new Response(null, { status: 304, headers });
  }
  return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers });
}
