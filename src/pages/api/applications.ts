/**
 * `POST /api/applications`: the JSON API for applications (multipart, the form's fields plus
 * `job` and `locale`). Rendered on demand; the Worker's origin check (CSRF, src/server/embed.ts)
 * runs before it. Other methods get 405 with `Allow: POST` from the same handler, in the
 * visitor's language.
 */
import type { APIRoute } from 'astro';
import { handleApplicationApiRequest } from '#functions/applications/handler.ts';
import { applicationDeps } from '#src/server/applications.ts';

export const prerender = false;

export const ALL: APIRoute = ({ request }) => handleApplicationApiRequest(request, applicationDeps());
