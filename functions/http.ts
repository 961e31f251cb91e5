/** Small helpers for answering HTTP requests, shared by every capability and the Worker entry. */

/** One problem with one input field, as shown to clients. */
export interface FieldIssue {
  field: string;
  message: string;
}

/**
 * The reason phrases of RFC 9110 for the statuses we answer with. Runtimes fill in their own
 * (workerd an older "Unprocessable Entity"), and a Response built with only a status says "OK".
 */
const REASON_PHRASES: Readonly<Record<number, string>> = {
  200: 'OK',
  201: 'Created',
  303: 'See Other',
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** The RFC 9110 reason phrase of a status, e.g. "Unprocessable Content" for 422; empty when unknown. */
export function reasonPhrase(status: number): string {
  return REASON_PHRASES[status] ?? '';
}

/** A JSON response with the right content type and no caching of personal answers. */
export function json(body: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set('Content-Type', 'application/json; charset=utf-8');
  if (!headers.has('Cache-Control')) headers.set('Cache-Control', 'no-store');
  const status = init.status ?? 200;
  return new Response(JSON.stringify(body), { ...init, status, statusText: init.statusText ?? reasonPhrase(status), headers });
}

/** An error response in the documented shape `{ error, issues }`; never internal details. */
export function problem(status: number, error: string, issues: FieldIssue[] = [], init: ResponseInit = {}): Response {
  return json({ error, issues }, { ...init, status });
}

/**
 * The response with `charset=utf-8` added to a text content type that names none (Astro's
 * rendered pages say only `text/html`): without it a browser may guess the encoding.
 */
export function withUtf8Charset(response: Response): Response {
  const type = response.headers.get('Content-Type');
  if (!type || !/^text\//i.test(type) || /;\s*charset=/i.test(type)) return response;
  const headers = new Headers(response.headers);
  headers.set('Content-Type', `${type}; charset=utf-8`);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/**
 * Most bytes of a request body read, and thrown away, before answering a request whose answer
 * did not need its body (a 403 for a foreign origin, 415, 413 from Content-Length, 404, 429 …).
 */
export const UNREAD_BODY_MAX_BYTES = 64 * 1024;

/**
 * Reads and discards what is left of a request body, at most `maxBytes`, then cancels the rest
 * and returns how many bytes were read. A small body (every ordinary form post) is consumed
 * whole, so the connection can carry the answer and stay open; a large one costs no more than
 * the bound: refusing a 31 MB upload must not mean receiving it first. Every answer of the
 * Worker passes here, so any refusal decided before reading is bounded alike.
 */
export async function discardUnreadBody(request: Request, maxBytes = UNREAD_BODY_MAX_BYTES): Promise<number> {
  if (!request.body || request.bodyUsed) return 0;
  const reader = request.body.getReader();
  let read = 0;
  try {
    while (read <= maxBytes) {
      const chunk = await reader.read();
      if (chunk.done) break;
      read += chunk.value.byteLength;
    }
  } catch {
    // The client went away: nothing more to read.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return read;
}
