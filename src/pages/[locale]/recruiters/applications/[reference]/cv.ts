/**
 * `<base><locale>/recruiters/applications/<reference>/cv`: the CV streamed from R2 as an
 * attachment `<reference>.pdf`, never shown inline (functions/http.ts `attachment`); a GET is
 * recorded as a download, a HEAD (headers only, nothing downloaded) is not.
 */
import type { APIRoute } from 'astro';
import { REFERENCE_PATTERN } from '#functions/applications/reference.ts';
import { downloadCv } from '#functions/recruiters/inbox.ts';
import { inboxDeps } from '#src/server/recruiters.ts';

export const prerender = false;

export const GET: APIRoute = async ({ params, locals, request }) => {
  const { reference = '' } = params;
  if (!locals.recruiter || !REFERENCE_PATTERN.test(reference)) return new Response(null, { status: 404 });
  const method = request.method === 'HEAD' ? 'HEAD' : 'GET';
  return (await downloadCv(inboxDeps(), reference, locals.recruiter, method)) ?? new Response(null, { status: 404 });
};

// Astro answers HEAD with GET's handler unless told otherwise; the handler tells them apart.
export const HEAD: APIRoute = GET;
