/**
 * `POST /api/applications`: the JSON API for applications (multipart, the form's fields plus
 * `job` and `locale`). Rendered on demand; Astro's origin check (CSRF) applies to it.
 */
import type { APIRoute } from 'astro';
import { handleApplicationApiRequest } from '../../../functions/applications/handler';
import { applicationDeps } from '../../server/applications';

export const prerender = false;

export const POST: APIRoute = ({ request }) => handleApplicationApiRequest(request, applicationDeps());
