/**
 * Where a state-changing request comes from. The recruiters' inbox and the applicant's own
 * page accept form posts from their own origin only (not even from a host site allowed to
 * embed the public pages): the browser's `Origin` must be the request's own, and, where the
 * browser says it, `Sec-Fetch-Site` must be `same-origin`. Every browser that can run these
 * pages sends `Origin` with a POST, so a post without one is refused too.
 */

/** Methods that change state; browsers send `Origin` with them. */
const UNSAFE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Whether a request changes state. */
export function isUnsafeMethod(method: string): boolean {
  return UNSAFE_METHODS.has(method.toUpperCase());
}

/** Whether a request was sent by a page of its own origin. */
export function isSameOriginRequest(request: Request): boolean {
  const origin = request.headers.get('Origin');
  if (!origin || origin !== new URL(request.url).origin) return false;
  const site = request.headers.get('Sec-Fetch-Site');
  return site === null || site === 'same-origin';
}
