/** Small helpers for answering HTTP requests (JSON, paths), shared by every capability. */

/** One problem with one input field, as shown to clients. */
export interface FieldIssue {
  field: string;
  message: string;
}

/** A JSON response with the right content type and no caching of personal answers. */
export function json(body: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set('Content-Type', 'application/json; charset=utf-8');
  if (!headers.has('Cache-Control')) headers.set('Cache-Control', 'no-store');
  return new Response(JSON.stringify(body), { ...init, headers });
}

/** An error response in the documented shape `{ error, issues }`; never internal details. */
export function problem(status: number, error: string, issues: FieldIssue[] = [], init: ResponseInit = {}): Response {
  return json({ error, issues }, { ...init, status });
}

/** The path with each run of slashes made one (`/a//b/` → `/a/b/`): empty segments name nothing. */
export function collapseEmptySegments(pathname: string): string {
  return pathname.replace(/\/{2,}/g, '/');
}
