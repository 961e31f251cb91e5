/**
 * `<base><locale>/application/<token>/cv`: the applicant's own CV, as an attachment, never
 * rendered inline (functions/applicants/own.ts); 404 for a link that opens none.
 */
import type { APIRoute } from 'astro';
import { applicantCv } from '#functions/applicants/own.ts';
import { applicantDeps } from '#src/server/applicants.ts';

export const prerender = false;

export const GET: APIRoute = async ({ params }) => (await applicantCv(applicantDeps(), params.token)) ?? new Response(null, { status: 404 });
