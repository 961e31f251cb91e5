/**
 * `<base><locale>/recruiters/applications/<reference>/cv`: the CV streamed from R2 as an
 * attachment `<reference>.pdf`, never shown inline (functions/http.ts `attachment`); recorded.
 */
import type { APIRoute } from 'astro';
import { REFERENCE_PATTERN } from '#functions/applications/reference.ts';
import { downloadCv } from '#functions/recruiters/inbox.ts';
import { inboxDeps } from '#src/server/recruiters.ts';

export const prerender = false;

export const GET: APIRoute = async ({ params, locals }) => {
  const { reference = '' } = params;
  if (!locals.recruiter || !REFERENCE_PATTERN.test(reference)) return new Response(null, { status: 404 });
  return (await downloadCv(inboxDeps(), reference, locals.recruiter)) ?? new Response(null, { status: 404 });
};
